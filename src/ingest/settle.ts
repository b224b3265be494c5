import { refreshCitationCounts } from '../services/counts.js';
import type { Connection } from '../sql.js';
import { deriveAffiliations } from './organizations.js';
import { execute, query, type Tx } from './sql.js';
import type { WriterTurns } from './turns.js';

/**
 * What an import's batches leave to its end: each batch marks, in its own transaction, the works
 * whose edge-counted citation figures and the people whose affiliations it changed; the import
 * brings them up to date once when its last batch is in, rather than with every batch that
 * touches them (a work cited by records all through a snapshot, an author named on works all
 * through it). Marks stay until their update commits, so an interrupted import leaves them to the
 * run that resumes it, which ends in the state of a run that was never stopped.
 */

/** Rows updated per transaction while settling. */
const CHUNK = 20_000;

const PENDING = {
  count_pending: {
    column: 'work_id',
    apply: (tx: Tx, ids: number[]) => refreshCitationCounts(tx, ids),
  },
  affiliation_pending: {
    column: 'person_id',
    apply: (tx: Tx, ids: number[]) => deriveAffiliations(tx, ids),
  },
} as const;

type Pending = keyof typeof PENDING;

/** Marks rows to bring up to date before the import ends. */
export async function markPending(tx: Tx, table: Pending, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await execute(
    tx,
    `INSERT INTO ${table} (${PENDING[table].column}) SELECT DISTINCT id FROM unnest($1::int[]) AS t(id) ORDER BY id
     ON CONFLICT DO NOTHING`,
    ids,
  );
}

/** Brings every marked row up to date, a chunk per transaction, each chunk unmarked as it commits. */
export async function settlePending(connection: Connection, turns: WriterTurns): Promise<void> {
  for (const [table, { column, apply }] of Object.entries(PENDING)) {
    for (;;) {
      const done = await connection.transaction(async (tx) => {
        const rows = await query<{ id: number }>(
          tx,
          `SELECT ${column} AS id FROM ${table} ORDER BY ${column} LIMIT $1`,
          CHUNK,
        );
        if (rows.length === 0) return true;
        const ids = rows.map((row) => row.id);
        await apply(tx, ids);
        await execute(tx, `DELETE FROM ${table} WHERE ${column} = ANY($1::int[])`, ids);
        await turns.changed(tx);
        return false;
      });
      if (done) break;
    }
  }
}
