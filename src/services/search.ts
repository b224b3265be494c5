import type { PrismaClient } from '../generated/prisma/client.js';

/**
 * Search over works, people, projects and organizations in one ranked list (Query.search).
 *
 * Works match by PostgreSQL full-text search over their titles as English text (words stemmed,
 * stop words dropped; the query read as a web search: "quoted phrases", `or`, `-word`), scored by
 * cover density (ts_rank_cd, every matched word weighing 1) divided by ln(1 + the title's length in
 * words), so a short title that is mostly the query ranks above a long one that mentions it;
 * normalized to rank / (rank + 1).
 * Names match by pg_trgm trigram similarity, so a typo still finds the name: a name matches
 * when similarity(name, query) >= 0.3 or word_similarity(query, name) >= 0.6 (pg_trgm's
 * default thresholds), and scores the mean of the two. Every branch reads its own GIN index
 * (prisma/migrations/20261203222621_search); titles are ranked from the stored column
 * work.title_search, not parsed again.
 *
 * Scores are kept in millionths, as integers, so that a page ends on an exact value and the next
 * page starts exactly after it: hits are ordered by score (highest first), then type (works,
 * people, projects, organizations), then id.
 */

export const SEARCH_TYPES = ['WORK', 'PERSON', 'PROJECT', 'ORGANIZATION'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** A score of 1 is this many units. */
export const SCORE_UNITS = 1_000_000;

/** The longest query searched, in characters. */
export const MAX_QUERY_LENGTH = 200;

export interface SearchHit {
  type: SearchType;
  id: number;
  /** In millionths (SCORE_UNITS), at least 1. */
  score: number;
}

/** Where a page starts: after the hit with this score, type rank (1–4, SEARCH_TYPES order) and id. */
export interface SearchPosition {
  score: number;
  typeRank: number;
  id: number;
}

export const typeRank = (type: SearchType) => SEARCH_TYPES.indexOf(type) + 1;

/** A title as English text: the generated column work.title_search, indexed by work_title_search_idx. */
const titleVector = (alias: string) => `${alias}.title_search`;
const titleQuery = (param: string) => `websearch_to_tsquery('english', ${param}::text)`;

/**
 * A SQL condition that holds for the works (alias `w`) whose title matches `query` as Query.search
 * matches titles: full-text search over the title as English text, the query read as a web search
 * ("quoted phrases", `or`, `-word`). `param` adds a statement parameter and returns its
 * placeholder (e.g. `$3`). It reads the work_title_search_idx index on work.title_search; a
 * query of stop words only (e.g. "the") matches no work.
 */
export function workSearchCondition(query: string, param: (value: unknown) => string): string {
  return `${titleVector('w')} @@ ${titleQuery(param(query))}`;
}

const scored = (expression: string) => `GREATEST(1, round((${expression}) * ${SCORE_UNITS}))::int`;

/** Per type: the matching rows' ids and scores, `$1` being the query text. */
const branches: Record<SearchType, string> = {
  WORK: `SELECT w.id, ${scored(`ts_rank_cd('{1,1,1,1}', ${titleVector('w')}, ${titleQuery('$1')}, 1 | 32)`)} AS score
         FROM work w WHERE ${titleVector('w')} @@ ${titleQuery('$1')}`,
  PERSON: nameBranch('person'),
  PROJECT: nameBranch('project'),
  ORGANIZATION: nameBranch('organization'),
};

function nameBranch(table: string): string {
  return `SELECT n.id, ${scored('(similarity(n.name, $1::text) + word_similarity($1::text, n.name)) / 2')} AS score
          FROM ${table} n WHERE n.name % $1::text OR n.name %> $1::text`;
}

/**
 * One page of hits for `query` (trimmed, 1 to MAX_QUERY_LENGTH characters) among `types`, ranked as
 * above: `limit` hits at most, after `after` when given. One statement: each type's branch takes
 * its best `limit` hits after the position from its index, and the union keeps the best `limit`.
 */
/**
 * The statement for a page of hits among `types`: `$1` the query, `$2` the page size, and with
 * `withAfter` `$3`–`$5` the score, type rank and id the page starts after. Each type's branch
 * takes its best `$2` hits after that position from its index; the union keeps the best `$2`.
 */
export function searchStatement(types: readonly SearchType[], withAfter: boolean): string {
  const afterCondition = (type: SearchType) =>
    withAfter ? `WHERE (-m.score, ${typeRank(type)}, m.id) > (-$3::int, $4::int, $5::int)` : '';
  const parts = SEARCH_TYPES.filter((type) => types.includes(type)).map(
    (type) =>
      `(SELECT ${typeRank(type)} AS type, m.id, m.score FROM (${branches[type]}) m ${afterCondition(type)}
        ORDER BY m.score DESC, m.id LIMIT $2::int)`,
  );
  return `SELECT hits.type, hits.id, hits.score FROM (${parts.join(' UNION ALL ')}) hits
          ORDER BY hits.score DESC, hits.type, hits.id LIMIT $2::int`;
}

/**
 * One page of hits for `query` (trimmed, 1 to MAX_QUERY_LENGTH characters) among `types`, ranked as
 * above: `limit` hits at most, after `after` when given. One statement.
 */
export async function searchHits(
  prisma: PrismaClient,
  query: string,
  types: readonly SearchType[],
  limit: number,
  after: SearchPosition | null,
): Promise<SearchHit[]> {
  if (!SEARCH_TYPES.some((type) => types.includes(type))) return [];
  const params: unknown[] = [query, limit];
  if (after) params.push(after.score, after.typeRank, after.id);
  const rows = await prisma.$queryRawUnsafe<{ type: number; id: number; score: number }[]>(
    searchStatement(types, after !== null),
    ...params,
  );
  return rows.map((row) => ({
    type: SEARCH_TYPES[Number(row.type) - 1] as SearchType,
    id: Number(row.id),
    score: Number(row.score),
  }));
}
