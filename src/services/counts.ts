import type { Sql } from '../sql.js';

/**
 * Keeps each work's citation counters: the count basis, the total and the per-year rows
 * the API reads. Loaders call this after writing reported counts or citation edges.
 *
 * The basis of a work is one of its reported counts (one with per-year figures first, then
 * the latest retrieval), or, when no source reported any, the citation edges stored here,
 * counted by the citing work's publication year.
 */
export async function refreshCitationCounts(tx: Sql, workIds: number[]): Promise<void> {
  for (const sql of refreshStatements) await tx.execute(sql, [workIds]);
}

/**
 * Each statement takes the work ids as $1 and writes only rows whose figures differ. The ids are
 * joined as a table (unnest) rather than tested with `= ANY`, so the planner probes each table by
 * work: a test against thousands of ids is estimated to match whole tables, which are then read
 * whole, and a batch's cost would grow with the database.
 */
const refreshStatements = [
  `WITH ids AS MATERIALIZED (SELECT DISTINCT id FROM unnest($1::int[]) AS t(id)),
   basis AS (
     SELECT DISTINCT ON (rc.work_id) rc.work_id, rc.id, rc.total,
            EXISTS (SELECT 1 FROM reported_yearly_count y WHERE y.reported_count_id = rc.id) AS has_years
     FROM ids JOIN reported_count rc ON rc.work_id = ids.id
     ORDER BY rc.work_id, has_years DESC, rc.retrieved_on DESC, rc.id DESC
   ),
   -- Edges are counted only for works no source reported on: a reported basis does not read them.
   unreported AS (
     SELECT ids.id FROM ids WHERE NOT EXISTS (SELECT 1 FROM reported_count rc WHERE rc.work_id = ids.id)
   ),
   edges AS (SELECT c.cited_id, count(*)::int AS total FROM unreported u JOIN citation c ON c.cited_id = u.id GROUP BY c.cited_id),
   next AS (
     SELECT ids.id, b.id AS basis_id, coalesce(b.total, e.total, 0) AS total, coalesce(b.has_years, true) AS has_years
     FROM ids LEFT JOIN basis b ON b.work_id = ids.id LEFT JOIN edges e ON e.cited_id = ids.id
   )
   UPDATE work w SET count_basis_id = n.basis_id, citation_count = n.total, has_yearly_counts = n.has_years
   FROM next n
   WHERE w.id = n.id
     AND (w.count_basis_id, w.citation_count, w.has_yearly_counts) IS DISTINCT FROM (n.basis_id, n.total, n.has_years)`,
  `WITH ids AS MATERIALIZED (SELECT DISTINCT id FROM unnest($1::int[]) AS t(id)),
   works AS MATERIALIZED (SELECT w.id, w.count_basis_id FROM ids JOIN work w ON w.id = ids.id),
   next AS (
     SELECT w.id AS work_id, y.year, y.count
     FROM works w JOIN reported_yearly_count y ON y.reported_count_id = w.count_basis_id
     UNION ALL
     SELECT c.cited_id, citing.publication_year, count(*)::int
     FROM works cited
     JOIN citation c ON c.cited_id = cited.id
     JOIN work citing ON citing.id = c.citing_id AND citing.publication_year IS NOT NULL
     WHERE cited.count_basis_id IS NULL
     GROUP BY c.cited_id, citing.publication_year
   ),
   gone AS (
     DELETE FROM work_yearly_count o USING ids
     WHERE o.work_id = ids.id AND NOT EXISTS (SELECT 1 FROM next n WHERE n.work_id = o.work_id AND n.year = o.year)
     RETURNING o.work_id, o.year
   )
   INSERT INTO work_yearly_count (work_id, year, count)
   SELECT n.work_id, n.year, n.count FROM next n
   WHERE NOT EXISTS (SELECT 1 FROM work_yearly_count o WHERE o.work_id = n.work_id AND o.year = n.year AND o.count = n.count)
   ON CONFLICT (work_id, year) DO UPDATE SET count = EXCLUDED.count`,
];

/** One source's figure for a work: its latest reported total, or the citation edges counted here. */
export interface CountSource {
  workId: number;
  source: string;
  value: number;
  retrievedOn: Date | null;
  reportedCountId: number | null;
}

/** The name the citation edges go by among a work's count sources. */
export const EDGES_SOURCE = 'citegraph-edges';

/**
 * Each source's latest reported total of each work (newest retrieval, then newest row), then the
 * number of citation edges stored for it: one statement for a batch of works.
 */
export async function countSources(
  prisma: { $queryRawUnsafe<T>(query: string, ...values: unknown[]): Promise<T> },
  workIds: readonly number[],
): Promise<CountSource[][]> {
  const rows = await prisma.$queryRawUnsafe<
    { work_id: number; source: string; value: number; retrieved_on: Date | null; id: number | null }[]
  >(
    `SELECT * FROM (
       SELECT DISTINCT ON (r.work_id, r.source) r.work_id, r.source, r.total AS value, r.retrieved_on, r.id
       FROM reported_count r WHERE r.work_id = ANY($1::int[])
       ORDER BY r.work_id, r.source, r.retrieved_on DESC, r.id DESC
     ) latest
     UNION ALL
     SELECT c.cited_id, '${EDGES_SOURCE}', count(*)::int, NULL, NULL FROM citation c
     WHERE c.cited_id = ANY($1::int[]) GROUP BY c.cited_id
     ORDER BY work_id, retrieved_on DESC NULLS LAST, source`,
    [...workIds],
  );
  const byWork = new Map<number, CountSource[]>();
  for (const row of rows) {
    const workId = Number(row.work_id);
    const list = byWork.get(workId) ?? [];
    list.push({
      workId,
      source: row.source,
      value: Number(row.value),
      retrievedOn: row.retrieved_on,
      reportedCountId: row.id === null ? null : Number(row.id),
    });
    byWork.set(workId, list);
  }
  return workIds.map((id) => byWork.get(id) ?? []);
}
