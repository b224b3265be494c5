import type { PrismaClient } from '../generated/prisma/client.js';

/**
 * Keeps each work's citation counters: the count basis, the total and the per-year rows
 * the API reads. Loaders call this after writing reported counts or citation edges.
 *
 * The basis of a work is one of its reported counts (one with per-year figures first, then
 * the latest retrieval), or, when no source reported any, the citation edges stored here,
 * counted by the citing work's publication year.
 */
export async function refreshCitationCounts(prisma: PrismaClient, workIds?: number[]): Promise<void> {
  const ids = workIds ?? null;
  await prisma.$transaction([
    prisma.$executeRawUnsafe(`UPDATE work SET count_basis_id = NULL WHERE ($1::int[] IS NULL OR id = ANY($1))`, ids),
    prisma.$executeRawUnsafe(
      `WITH basis AS (
         SELECT DISTINCT ON (rc.work_id) rc.work_id, rc.id, rc.total,
                EXISTS (SELECT 1 FROM reported_yearly_count y WHERE y.reported_count_id = rc.id) AS has_years
         FROM reported_count rc
         WHERE ($1::int[] IS NULL OR rc.work_id = ANY($1))
         ORDER BY rc.work_id, has_years DESC, rc.retrieved_on DESC, rc.id DESC
       )
       UPDATE work w
       SET count_basis_id = basis.id, citation_count = basis.total, has_yearly_counts = basis.has_years
       FROM basis WHERE w.id = basis.work_id`,
      ids,
    ),
    prisma.$executeRawUnsafe(
      `UPDATE work w
       SET citation_count = (SELECT count(*) FROM citation c WHERE c.cited_id = w.id),
           has_yearly_counts = true
       WHERE w.count_basis_id IS NULL AND ($1::int[] IS NULL OR w.id = ANY($1))`,
      ids,
    ),
    prisma.$executeRawUnsafe(`DELETE FROM work_yearly_count WHERE ($1::int[] IS NULL OR work_id = ANY($1))`, ids),
    prisma.$executeRawUnsafe(
      `INSERT INTO work_yearly_count (work_id, year, count)
       SELECT w.id, y.year, y.count
       FROM work w JOIN reported_yearly_count y ON y.reported_count_id = w.count_basis_id
       WHERE ($1::int[] IS NULL OR w.id = ANY($1))`,
      ids,
    ),
    prisma.$executeRawUnsafe(
      `INSERT INTO work_yearly_count (work_id, year, count)
       SELECT c.cited_id, citing.publication_year, count(*)::int
       FROM citation c
       JOIN work cited ON cited.id = c.cited_id AND cited.count_basis_id IS NULL
       JOIN work citing ON citing.id = c.citing_id AND citing.publication_year IS NOT NULL
       WHERE ($1::int[] IS NULL OR c.cited_id = ANY($1))
       GROUP BY c.cited_id, citing.publication_year`,
      ids,
    ),
  ]);
}

/**
 * Citations a work received in years >= since. A work is not cited before it appears, so
 * when `since` is at or before both its publication year and the first year of its per-year
 * counts, that is every citation: the total. Otherwise it is the sum of the per-year counts
 * for years >= since (citations the basis assigns to no year are then not counted). Null
 * when the basis has no per-year counts.
 */
export function citationsSince(
  work: { citationCount: number; hasYearlyCounts: boolean; publicationYear: number | null },
  years: readonly { year: number; count: number }[],
  since: number,
): number | null {
  if (!work.hasYearlyCounts) return null;
  const firstCounted = years[0]?.year ?? since;
  if (work.publicationYear !== null && since <= work.publicationYear && since <= firstCounted) {
    return work.citationCount;
  }
  return years.filter((row) => row.year >= since).reduce((sum, row) => sum + row.count, 0);
}

/** The same rule as citationsSince, as a SQL expression over `work` aliased `w`; `since` is a parameter reference. */
export const citationsSinceSql = (since: string) => `CASE
  WHEN NOT w.has_yearly_counts THEN NULL
  WHEN w.publication_year IS NOT NULL AND ${since} <= w.publication_year
   AND ${since} <= coalesce((SELECT min(y.year) FROM work_yearly_count y WHERE y.work_id = w.id), ${since})
    THEN w.citation_count
  ELSE (SELECT coalesce(sum(y.count), 0) FROM work_yearly_count y WHERE y.work_id = w.id AND y.year >= ${since})::int
END`;
