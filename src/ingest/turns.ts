import { dataChanged } from '../services/version.js';
import type { Connection } from '../sql.js';
import { query, type Tx } from './sql.js';

/**
 * Whether another writer committed while an import ran. The triggers keep the rollups exact for
 * a writer that runs alone; beside another writer, each can miss rows the other has not committed
 * yet (see the rollups_reconcile migration). Every writer takes the next data version in its
 * transaction and holds its row until it commits, so an import's own transactions get versions
 * one after another unless another writer's commit came between two of them. Then the import
 * ends by reconciling the rollups with their recounts.
 */
export class WriterTurns {
  private constructor(
    private last: number,
    public interleaved = false,
  ) {}

  /** Starts from the version committed now. */
  static async start(sql: Tx): Promise<WriterTurns> {
    const [row] = await query<{ version: string }>(sql, 'SELECT version::text AS version FROM data_version');
    return new WriterTurns(Number(row?.version));
  }

  /** Marks the data changed in `tx` (see dataChanged), noting whether another writer came first. */
  async changed(tx: Tx): Promise<void> {
    const version = await dataChanged(tx);
    if (version !== this.last + 1) this.interleaved = true;
    this.last = version;
  }
}

/**
 * Makes every rollup equal to its recount, in one transaction that holds the data version (so no
 * writer runs meanwhile). Returns the rows it changed: 0 when the writers did not in fact meet.
 */
export async function reconcileRollups(connection: Connection): Promise<number> {
  return connection.transaction(async (tx) => {
    await dataChanged(tx);
    const [row] = await query<{ changed: string }>(tx, 'SELECT rollups_reconcile()::text AS changed');
    return Number(row?.changed ?? 0);
  });
}
