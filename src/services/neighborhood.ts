import type { PrismaClient } from '../generated/prisma/client.js';

/**
 * The citation neighbourhood of a work W, counted from the citation table's two indexes
 * (citing_id, cited_id) and (cited_id, citing_id) at request time; no pair table is kept (one
 * would hold refs² rows per work).
 *
 * - Co-citation: the works X that works citing W also cite; the count is how many of them cite
 *   both W and X. It reads W's citing works, then each one's references.
 * - Bibliographic coupling: the works X that cite works W cites; the count is how many works both
 *   W and X cite. It reads W's references, then each one's citing works.
 * - Neighbourhood: the works one citation link away from W (either direction), and at depth 2 the
 *   works one link away from those. The count is the number of citation links joining X to the
 *   works one step nearer W.
 *
 * W's own links are always read in full, since ranking the works one hop away needs every one of
 * them: for a work cited tens of thousands of times that is the larger part of the cost (index
 * entries of one key, and each citing work's citation count). The rest is bounded: the works one
 * hop away are read most cited first (citation count, then id, both descending; for coupling,
 * least cited first, both ascending, so a much-cited reference does not use the bound up), each with all
 * its links, while the rows read stay within SCAN_BOUND; the first work whose links would pass
 * it, and every work after it, is left out, so a count is always over whole works. The scan runs
 * as a nested loop in that order under a LIMIT of SCAN_BOUND + 1 rows, so PostgreSQL stops
 * reading there; the work read last is dropped when the limit was reached, because its links may
 * have been cut off.
 *
 * One statement answers the pages of every parent work a request asks about with the same
 * arguments.
 */

/** Citation rows read beyond the work's own links, per work asked about. */
export const SCAN_BOUND = 3_000;

export type NeighborKind = 'coCitation' | 'coupling' | 'neighborhood';

/** A position in a list: the keyset of its order (distance ascending, then the rest descending). */
export interface NeighborKey {
  distance: number;
  count: number;
  citationCount: number;
  id: number;
}

export type NeighborRow = NeighborKey;

export interface NeighborRequest {
  kind: NeighborKind;
  /** Neighbourhood only: 1 or 2. */
  depth: number;
  /** Rows wanted, in list order, or from the end when `backward`. */
  limit: number;
  backward: boolean;
  after: NeighborKey | null;
  before: NeighborKey | null;
}

export interface NeighborPage {
  /** In list order (or reversed, when backward), at most `limit`. */
  rows: NeighborRow[];
  /** Works in the whole list (not only this page). */
  totalCount: number;
  /** Works one hop away whose links were read. */
  scannedWorks: number;
  /** False when the scan bound left works one hop away out. */
  exact: boolean;
}

/** The links of a work `via`, in both directions, as `other`. */
const allLinks = (via: string) =>
  `SELECT cited_id AS other FROM citation WHERE citing_id = ${via}
   UNION ALL SELECT citing_id FROM citation WHERE cited_id = ${via}`;

/**
 * The scan of one kind, as CTEs ending in `scan(parent, rank, other)`: each row is a link read
 * from the work ranked `rank` among those one hop from `parent`. The neighbourhood also defines
 * `near(parent, id, n)`, the works one link away and the links to each.
 */
function scanCtes(kind: NeighborKind, depth: number): string {
  // Coupling reads W's references least cited first: a much-cited reference has as many citing
  // works, and read first it would spend the bound alone and leave every other reference out.
  const direction = kind === 'coupling' ? 'ASC' : 'DESC';
  const ranked = (from: string, hop: string, parent: string) =>
    `SELECT ${hop} AS via, row_number() OVER (ORDER BY w.citation_count ${direction}, w.id ${direction}) AS rank
     FROM ${from} JOIN work w ON w.id = ${hop} WHERE ${parent} = parent.id`;
  const bounded = (viaRows: string, links: string) =>
    `scan AS (
       SELECT parent.id AS parent, r.rank, r.other
       FROM parent CROSS JOIN LATERAL (
         SELECT v.rank, l.other
         FROM (${viaRows} ORDER BY rank) v
         CROSS JOIN LATERAL (${links}) l
         ORDER BY v.rank
         LIMIT $2::int + 1
       ) r
     )`;
  if (kind === 'neighborhood') {
    const near = `near AS (
      SELECT parent.id AS parent, l.other AS id, count(*)::int AS n
      FROM parent CROSS JOIN LATERAL (${allLinks('parent.id')}) l
      WHERE l.other <> parent.id
      GROUP BY parent.id, l.other
    )`;
    if (depth === 1) return `${near}, scan AS (SELECT 0 AS parent, 0::bigint AS rank, 0 AS other WHERE false)`;
    return `${near}, ${bounded(ranked('near', 'near.id', 'near.parent'), allLinks('v.via'))}`;
  }
  // Co-citation hops from W to its citing works, then on to what they cite; coupling the other way.
  const [hop, back] = kind === 'coCitation' ? ['citing_id', 'cited_id'] : ['cited_id', 'citing_id'];
  return bounded(
    ranked('citation c', `c.${hop}`, `c.${back}`),
    `SELECT ${back} AS other FROM citation WHERE ${hop} = v.via`,
  );
}

/** The counted works of each parent, `found(parent, id, distance, n)`, from the kept links. */
function foundCte(kind: NeighborKind): string {
  if (kind !== 'neighborhood') {
    return `found AS (
      SELECT parent, other AS id, 1 AS distance, count(*)::int AS n
      FROM kept WHERE other <> parent GROUP BY parent, other
    )`;
  }
  return `found AS (
    SELECT parent, id, 1 AS distance, n FROM near
    UNION ALL
    SELECT parent, other, 2, count(*)::int FROM kept
    WHERE other <> parent AND NOT EXISTS (SELECT 1 FROM near WHERE near.parent = kept.parent AND near.id = kept.other)
    GROUP BY parent, other
  )`;
}

/** For each parent in `parentIds` (same order), its page and the figures of the whole list. */
export async function neighborPages(
  prisma: PrismaClient,
  parentIds: readonly number[],
  request: NeighborRequest,
  scanBound = SCAN_BOUND,
): Promise<NeighborPage[]> {
  const params: unknown[] = [[...parentIds], scanBound, request.limit];
  const order = request.backward ? 'ASC' : 'DESC';
  // The order is distance ascending, then count, citation count and id descending: as one row
  // comparison, (-distance, n, citation_count, id) descending.
  const keyset = (key: NeighborKey | null, op: '<' | '>') => {
    if (!key) return 'true';
    params.push(-key.distance, key.count, key.citationCount, key.id);
    const at = params.length - 3;
    return `(-f.distance, f.n, w.citation_count, f.id) ${op} ($${at}::int, $${at + 1}::int, $${at + 2}::int, $${at + 3}::int)`;
  };
  const where = `${keyset(request.after, '<')} AND ${keyset(request.before, '>')}`;
  const rows = await prisma.$queryRawUnsafe<
    {
      parent: number;
      total: number;
      scanned: number;
      exact: boolean;
      id: number | null;
      distance: number | null;
      n: number | null;
      citation_count: number | null;
    }[]
  >(
    `WITH parent AS (SELECT p.id, p.ord FROM unnest($1::int[]) WITH ORDINALITY AS p(id, ord)),
     ${scanCtes(request.kind, request.depth)},
     cut AS (
       SELECT parent, rank, other, count(*) OVER (PARTITION BY parent) AS read, max(rank) OVER (PARTITION BY parent) AS last
       FROM scan
     ),
     kept AS (SELECT parent, rank, other FROM cut WHERE read <= $2::int OR rank < last),
     ${foundCte(request.kind)},
     page AS (
       SELECT f.parent, f.id, f.distance, f.n, w.citation_count,
              row_number() OVER (PARTITION BY f.parent ORDER BY -f.distance ${order}, f.n ${order}, w.citation_count ${order}, f.id ${order}) AS pos
       FROM found f JOIN work w ON w.id = f.id
       WHERE ${where}
     ),
     summary AS MATERIALIZED (
       SELECT parent.id AS parent, parent.ord,
              (SELECT count(*) FROM found WHERE found.parent = parent.id)::int AS total,
              (SELECT count(DISTINCT rank) FROM kept WHERE kept.parent = parent.id)::int AS scanned,
              NOT EXISTS (SELECT 1 FROM cut WHERE cut.parent = parent.id AND cut.read > $2::int) AS exact
       FROM parent
     )
     SELECT s.parent, s.total, s.scanned, s.exact, page.id, page.distance, page.n, page.citation_count
     FROM summary s LEFT JOIN page ON page.parent = s.parent AND page.pos <= $3::int
     ORDER BY s.ord, page.pos`,
    ...params,
  );
  const pages = new Map<number, NeighborPage>();
  for (const row of rows) {
    const parent = Number(row.parent);
    let page = pages.get(parent);
    if (!page) {
      page = { rows: [], totalCount: Number(row.total), scannedWorks: Number(row.scanned), exact: row.exact };
      pages.set(parent, page);
    }
    if (row.id !== null) {
      page.rows.push({
        id: Number(row.id),
        distance: Number(row.distance),
        count: Number(row.n),
        citationCount: Number(row.citation_count),
      });
    }
  }
  return parentIds.map((id) => pages.get(id) ?? { rows: [], totalCount: 0, scannedWorks: 0, exact: true });
}
