import type { CopyValue } from '../sql.js';
import type { Tx } from './sql.js';

/**
 * Staging tables: a batch's rows are COPYed into temporary tables of the import's own
 * connection, then merged into the data tables by set-based statements (joins on the
 * normalized identifiers, INSERT … SELECT … ON CONFLICT). They live as long as the
 * connection and are emptied when each transaction commits.
 */

const STAGES = {
  /**
   * Works named by identifiers (references, edge-file ends): `cited_id` is filled in by
   * resolution; `citing_id` is the stored work that cites it, null when only the id is wanted.
   */
  stage_ref: `slot int, citing_id int, ref_key text, doi text, openalex_id text, s2_id text, s2_corpus_id int,
              arxiv_id text, cited_id int`,
  /** Minimal works created for identifiers no stored work has, and the reference keys that name them. */
  stage_stub: `id int PRIMARY KEY, doi text, openalex_id text, s2_id text, s2_corpus_id int, arxiv_id text`,
  stage_stub_key: `ref_key text PRIMARY KEY, stub_id int`,
  /** Citation edges the batch added (the rest were stored before). */
  stage_new_edge: `citing_id int, cited_id int`,
  stage_authorship: `work_id int, person_id int, position int, affiliation text`,
  /** Institutions named on the batch's authorships, by their key (OpenAlex id, else ROR). */
  stage_institution: `key text PRIMARY KEY, openalex_id text, ror text, name text, country text, slug text`,
  stage_authorship_institution: `work_id int, position int, key text`,
  stage_fill: `id int PRIMARY KEY, doi text, openalex_id text, s2_id text, s2_corpus_id int, arxiv_id text, title text,
               title_key text, venue text, volume text, issue text, pages text, publisher text, url text,
               citation_key text, publication_year int, publication_date date, publication_date_precision text,
               type text, sources text[]`,
} as const;

export type Stage = keyof typeof STAGES;

/** Empties a staging table (creating it on the connection's first use) and COPYs the rows in. */
export async function stage(tx: Tx, table: Stage, columns: readonly string[], rows: Iterable<readonly CopyValue[]>) {
  await clear(tx, table);
  await tx.copy(table, columns, rows);
  // Temporary tables have no statistics of their own until analyzed; the merges join on them.
  await tx.execute(`ANALYZE ${table}`);
}

export async function clear(tx: Tx, table: Stage) {
  await tx.execute(`CREATE TEMP TABLE IF NOT EXISTS ${table} (${STAGES[table]}) ON COMMIT DELETE ROWS`);
  await tx.execute(`DELETE FROM ${table}`);
}
