import type { Sql } from '../sql.js';

/**
 * The planner's statistics, kept in step with an import that grows the tables.
 *
 * Each batch's statements are planned from the row counts and value distributions ANALYZE last
 * recorded. On a server, autovacuum refreshes them when it runs, but it can be off or far behind a
 * long import, and the embedded database has no autovacuum at all. Planned on the statistics of
 * nearly empty tables, a batch's lookup of the edges of 5,000 works became a sequential scan of
 * millions of edges (10 s per batch at 900,000 works, against 20 ms by index).
 *
 * The import counts the rows it writes and runs ANALYZE when they reach a share of what the tables
 * held at the last one (as autovacuum's analyze scale factor does): a few times per import,
 * geometrically spaced, each reading a fixed-size sample per table.
 */

export interface StatisticsPolicy {
  /** Rows written before the first ANALYZE, and the least between two. */
  minRows: number;
  /** Rows written, as a share of the rows at the last ANALYZE, that call for the next. */
  growth: number;
}

/** Small imports (a test fixture, one BibTeX file) never pay for an ANALYZE. */
export const DEFAULT_STATISTICS: StatisticsPolicy = { minRows: 20_000, growth: 0.25 };

/** The tables whose size measures the import's growth: the ones it writes most. */
const GROWING = ['work', 'citation', 'person', 'authorship'];

export class StatisticsKeeper {
  private known = 0;
  private writtenAtLast = 0;
  /** How many times this import refreshed the statistics. */
  refreshed = 0;

  constructor(private readonly policy: StatisticsPolicy = DEFAULT_STATISTICS) {}

  /** The rows the tables held when the import began, by the statistics they carry (0 if never analyzed). */
  async start(sql: Sql): Promise<void> {
    this.known = await estimatedRows(sql);
  }

  /** After a committed batch: `written` is the import's running count of rows written. */
  async afterBatch(sql: Sql, written: number): Promise<boolean> {
    const since = written - this.writtenAtLast;
    if (since < Math.max(this.policy.minRows, this.policy.growth * this.known)) return false;
    // Every table: the rollups and counters the import's triggers write grow with it.
    await sql.execute('ANALYZE');
    this.writtenAtLast = written;
    this.known = await estimatedRows(sql);
    this.refreshed += 1;
    return true;
  }
}

async function estimatedRows(sql: Sql): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `SELECT coalesce(sum(greatest(reltuples, 0)), 0)::float8 AS n FROM pg_class
     WHERE relnamespace = current_schema()::regnamespace AND relname = ANY($1::text[])`,
    [GROWING],
  );
  return Number(rows[0]?.n ?? 0);
}
