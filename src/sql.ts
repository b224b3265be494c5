import type { PGlite, Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Prisma } from './generated/prisma/client.js';

/**
 * Plain SQL for the writers that move many rows at once (imports, rollups): statements with
 * positional parameters, and COPY for bulk rows — PostgreSQL's `COPY … FROM STDIN` over a
 * connection of its own, the embedded engine's COPY from a blob. The API's reads stay on Prisma.
 */

export interface Sql {
  query<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; returns the number of rows it touched. */
  execute(text: string, params?: readonly unknown[]): Promise<number>;
  /** Appends rows to a table (temporary or not), column values in `columns` order. */
  copy(table: string, columns: readonly string[], rows: Iterable<readonly CopyValue[]>): Promise<void>;
}

/** A connection of its own: one session, so temporary tables and advisory locks stay with it. */
export interface Connection extends Sql {
  /** Runs `work` in one transaction: it commits whole or not at all. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type CopyValue = string | number | boolean | null | undefined | readonly (string | number | null)[];

/** One value in COPY's text format: \N for null, backslash escapes for the characters that frame rows. */
function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return escapeCopy(arrayLiteral(value));
  return escapeCopy(value as string);
}

const escapeCopy = (text: string) =>
  /[\\\t\n\r]/.test(text)
    ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : text;

/** A PostgreSQL array literal: every element quoted, so commas, braces and spaces are data. */
const arrayLiteral = (values: readonly (string | number | null)[]) =>
  `{${values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`)).join(',')}}`;

/** Rows as COPY text, built in pieces so a large batch never needs one huge string concatenation chain. */
export function copyText(rows: Iterable<readonly CopyValue[]>): { text: string; count: number } {
  const lines: string[] = [];
  for (const row of rows) lines.push(`${row.map(copyField).join('\t')}\n`);
  return { text: lines.join(''), count: lines.length };
}

const copyStatement = (table: string, columns: readonly string[], source: string) =>
  `COPY ${table} (${columns.join(', ')}) FROM ${source}`;

/** A PostgreSQL server connection (DATABASE_URL). */
export async function postgresConnection(url: string): Promise<Connection> {
  const client = new pg.Client({ connectionString: url });
  // A connection lost between statements fails the next statement, which reports it; without a
  // listener the client's error event would end the process first.
  client.on('error', () => {});
  await client.connect();
  const sql: Sql = {
    async query<T>(text: string, params: readonly unknown[] = []) {
      return (await client.query(text, params as unknown[])).rows as T[];
    },
    async execute(text, params = []) {
      return (await client.query(text, params as unknown[])).rowCount ?? 0;
    },
    async copy(table, columns, rows) {
      const { text, count } = copyText(rows);
      if (count === 0) return;
      const stream = client.query(copyFrom(copyStatement(table, columns, 'STDIN')));
      await new Promise<void>((resolve, reject) => {
        stream.on('finish', () => resolve());
        stream.on('error', reject);
        stream.end(text);
      });
    },
  };
  return {
    ...sql,
    async transaction(work) {
      await client.query('BEGIN');
      try {
        const result = await work(sql);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    close: () => client.end(),
  };
}

function pgliteSql(db: PGlite | Transaction): Sql {
  return {
    async query<T>(text: string, params: readonly unknown[] = []) {
      return (await db.query<T>(text, params as unknown[])).rows;
    },
    async execute(text, params = []) {
      return (await db.query(text, params as unknown[])).affectedRows ?? 0;
    },
    async copy(table, columns, rows) {
      const { text, count } = copyText(rows);
      if (count === 0) return;
      await db.query(copyStatement(table, columns, `'/dev/blob'`), [], { blob: new Blob([text]) });
    },
  };
}

/** The embedded engine: one session already, shared with the process's Prisma client. */
export function pgliteConnection(pglite: PGlite): Connection {
  return {
    ...pgliteSql(pglite),
    transaction: (work) => pglite.transaction((tx) => work(pgliteSql(tx))),
    close: async () => {},
  };
}

/**
 * Plain SQL inside a Prisma transaction, for commands that combine Prisma's writes with the
 * import's (people merge and split, the demo seed). COPY becomes one INSERT from JSON rows.
 */
export function prismaSql(tx: Prisma.TransactionClient): Sql {
  return {
    query: <T>(text: string, params: readonly unknown[] = []) => tx.$queryRawUnsafe<T[]>(text, ...params),
    execute: (text, params = []) => tx.$executeRawUnsafe(text, ...params),
    async copy(table, columns, rows) {
      const records = [...rows].map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i] ?? null])));
      if (records.length === 0) return;
      await tx.$executeRawUnsafe(
        `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')}
         FROM json_populate_recordset(NULL::${table}, $1::json)`,
        JSON.stringify(records),
      );
    },
  };
}
