import type { PrismaClient } from '../generated/prisma/client.js';

export interface YearCount {
  year: number;
  count: number;
}

/** Zero-fills counts over from..to (inclusive). */
export function zeroFill(rows: YearCount[], from: number, to: number): YearCount[] {
  const counts = new Map(rows.map((row) => [row.year, row.count]));
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => ({
    year: from + index,
    count: counts.get(from + index) ?? 0,
  }));
}

export interface PersonYearly {
  personId: number;
  worksWithoutYearlyCounts: number;
  years: YearCount[];
}

/**
 * Per-year citations summed over each person's works, read from the person_year rollup (the
 * same sums, kept by the database as works and counts change): one row per year with
 * citations, whatever the number of works; and in the same statement, a row per person with
 * the number of their works that have no per-year counts (year null). $1: the people's ids.
 * The read benchmark times it too.
 */
export const personYearlySql = `SELECT person_id, year, citations AS count FROM person_year
  WHERE person_id = ANY($1::int[]) AND citations <> 0
  UNION ALL
  SELECT a.person_id, NULL, count(*)::int
  FROM authorship a JOIN work w ON w.id = a.work_id AND NOT w.has_yearly_counts
  WHERE a.person_id = ANY($1::int[]) GROUP BY a.person_id
  ORDER BY year NULLS FIRST`;

export async function personYearlyCitations(
  prisma: PrismaClient,
  personIds: readonly number[],
): Promise<PersonYearly[]> {
  const rows = await prisma.$queryRawUnsafe<{ person_id: number; year: number | null; count: number }[]>(
    personYearlySql,
    [...personIds],
  );
  const byPerson = groupBy(rows, (row) => Number(row.person_id));
  return personIds.map((personId) => {
    const own = byPerson.get(personId) ?? [];
    return {
      personId,
      worksWithoutYearlyCounts: Number(own.find((row) => row.year === null)?.count ?? 0),
      years: own
        .filter((row) => row.year !== null)
        .map((row) => ({ year: Number(row.year), count: Number(row.count) })),
    };
  });
}

export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export async function workYearlyCitations(prisma: PrismaClient, workIds: readonly number[]): Promise<YearCount[][]> {
  const rows = await prisma.workYearlyCount.findMany({
    where: { workId: { in: [...workIds] } },
    orderBy: [{ workId: 'asc' }, { year: 'asc' }],
  });
  const byWork = groupBy(rows, (row) => row.workId);
  return workIds.map((workId) => (byWork.get(workId) ?? []).map(({ year, count }) => ({ year, count })));
}

export interface CoAuthorRow {
  personId: number;
  coAuthorId: number;
  worksTogether: number;
}

/** For each person, the people sharing most works with them (then by name), at most `first`. */
export async function coAuthors(
  prisma: PrismaClient,
  personIds: readonly number[],
  first: number,
): Promise<CoAuthorRow[][]> {
  const rows = await prisma.$queryRawUnsafe<{ person_id: number; co_author_id: number; shared: number }[]>(
    `SELECT person_id, co_author_id, shared FROM (
       SELECT mine.person_id, other.person_id AS co_author_id, count(*)::int AS shared,
              row_number() OVER (PARTITION BY mine.person_id ORDER BY count(*) DESC, p.name, other.person_id) AS rank
       FROM authorship mine
       JOIN authorship other ON other.work_id = mine.work_id AND other.person_id <> mine.person_id
       JOIN person p ON p.id = other.person_id
       WHERE mine.person_id = ANY($1::int[])
       GROUP BY mine.person_id, other.person_id, p.name
     ) ranked WHERE rank <= $2 ORDER BY person_id, rank`,
    [...personIds],
    first,
  );
  const byPerson = groupBy(rows, (row) => Number(row.person_id));
  return personIds.map((personId) =>
    (byPerson.get(personId) ?? []).map((row) => ({
      personId,
      coAuthorId: Number(row.co_author_id),
      worksTogether: Number(row.shared),
    })),
  );
}
