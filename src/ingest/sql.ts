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

/**
 * Runs `work` — statements that insert rows whose every reference was read or written earlier
 * in the same transaction — with PostgreSQL's foreign-key checks off, as pg_restore's
 * --disable-triggers loads data: session_replication_role = replica for this transaction only.
 * A check per row costs an index probe and a row lock on the referenced work, about half of a
 * citation insert. Replica mode also skips ordinary triggers: `work` is told whether they are off,
 * and then does itself what the triggers of the tables it writes would do (the rollups' are on
 * work_yearly_count, authorship, authorship_institution, affiliation, work_project and work; the
 * organizations' are called once the triggers are back on, so that organization_work's own
 * triggers run). Rows that imports reference are deleted
 * only by imports, one at a time (the import lock). Without the privilege to set it (a role that
 * is not a superuser) the checks and triggers simply run.
 */
export async function withoutReferenceChecks<T>(tx: Tx, work: (triggersOff: boolean) => Promise<T>): Promise<T> {
  const [off] = await query(
    tx,
    `SELECT set_config('session_replication_role', 'replica', true) WHERE current_setting('is_superuser')::bool`,
  );
  const result = await work(off !== undefined);
  // After a failure the transaction is rolled back, and the setting with it.
  if (off) await execute(tx, `SELECT set_config('session_replication_role', 'origin', true)`);
  return result;
}
