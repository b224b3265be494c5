import type { Sql } from '../sql.js';

/** The database handle writers use: a transaction, so that a batch commits whole or not at all. */
export type Tx = Sql;

export function query<T>(tx: Tx, sql: string, ...params: unknown[]): Promise<T[]> {
  return tx.query<T>(sql, params);
}

export function execute(tx: Tx, sql: string, ...params: unknown[]): Promise<number> {
  return tx.execute(sql, params);
}

/** `count` fresh ids from a table's serial sequence, so rows can be inserted with known ids. */
export async function allocateIds(tx: Tx, table: string, count: number): Promise<number[]> {
  if (count === 0) return [];
  const rows = await query<{ id: number }>(
    tx,
    `SELECT nextval(pg_get_serial_sequence('${table}', 'id'))::int AS id FROM generate_series(1, $1::int)`,
    count,
  );
  return rows.map((row) => row.id);
}

/** The transaction's own clock, as now() gives it, for rows written by COPY. */
export async function transactionTime(tx: Tx): Promise<string> {
  const [row] = await query<{ now: string }>(tx, `SELECT now()::text AS now`);
  return row?.now ?? new Date().toISOString();
}

/** PostgreSQL text cannot hold NUL characters. */
export const withoutNul = (text: string) => text.replaceAll('\u0000', '');
