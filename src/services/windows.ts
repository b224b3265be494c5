import type { PrismaClient } from '../generated/prisma/client.js';
import { groupBy, type YearCount } from './metrics.js';
import { currentYear } from './periods.js';
import { organizationMembersSql, parameters, type WorkFilter, workFilterSql } from './works.js';

/**
 * Citation figures over sets of works, in a window of years, with honest bounds.
 *
 * A work's citations in a window [since, asOf] come from its per-year counts (work_yearly_count,
 * kept by the importers). What those counts leave open is bounded rather than guessed:
 * - a work with 0 citations has 0 in every window;
 * - a work whose count basis has no per-year counts has between 0 and all of its citations in a
 *   window that is not all time;
 * - citations the basis gives no year (citationCount minus the sum of the per-year counts): a
 *   source reports per-year counts for recent years only (OpenAlex: the last ten), so for a
 *   reported count they fall before the first year the per-year counts give citations; counted from citation
 *   edges, they are citing works with no year, which could fall in any year. Where the window
 *   holds all or none of those years the figure is exact; otherwise it is bounded.
 * Citations dated before the work's publication year count in the year they are dated (OpenAlex
 * has them: a preprint is cited before the version of record appears).
 *
 * Each work thus has a lower and an upper bound (equal when the figure is known), and every
 * set-level figure is computed from both: the h-index of the lower bounds is a lower bound of the
 * h-index, and so on, because each figure grows with each work's count.
 */

/** A window of citation years; null ends are open. An asOf at or after the current year is all time. */
export interface CitationWindow {
  since: number | null;
  asOf: number | null;
}

/** Where the works of each key come from: rows (key, work_id), a work once per key. */
export type WorkSetSource =
  | { kind: 'person' | 'project' | 'organization'; ids: readonly number[] }
  | { kind: 'filter'; filter: WorkFilter };

type Param = (value: unknown) => string;

/** The works of each key, as SQL yielding (key, work_id). */
function memberSql(source: WorkSetSource, param: Param): string {
  switch (source.kind) {
    case 'person':
      return `SELECT a.person_id AS key, a.work_id FROM authorship a WHERE a.person_id = ANY(${param([...source.ids])}::int[])`;
    case 'project':
      return `SELECT p.project_id AS key, p.work_id FROM work_project p WHERE p.project_id = ANY(${param([...source.ids])}::int[])`;
    case 'organization':
      return organizationMembersSql(param([...source.ids]));
    case 'filter':
      return `SELECT 0 AS key, w.id AS work_id FROM work w WHERE ${workFilterSql(source.filter, param)}`;
  }
}

const keysOf = (source: WorkSetSource): readonly number[] => (source.kind === 'filter' ? [0] : source.ids);

/** The window with an asOf at or after the current year dropped: no citation is dated in the future. */
export function normalizeWindow(window: CitationWindow): CitationWindow {
  return { since: window.since, asOf: window.asOf !== null && window.asOf >= currentYear() ? null : window.asOf };
}

/**
 * Lower and upper bounds of each work's citations in the window, as SQL over `w` (the work) and
 * `y` (its per-year counts aggregated: k in the window, all, first year). since and asOf are SQL
 * expressions (parameters or columns), each possibly NULL.
 */
function boundsSql(since: string, asOf: string) {
  const rest = 'greatest(w.citation_count - y.all_years, 0)';
  const first = 'coalesce(y.first_year, 100000)';
  // Citations with no year: all of them in the window, none of them, or unknown.
  const part = `CASE
      WHEN ${rest} = 0 THEN 'none'
      WHEN w.count_basis_id IS NULL THEN CASE WHEN ${since} IS NULL AND ${asOf} IS NULL THEN 'all' ELSE 'unknown' END
      WHEN ${since} IS NOT NULL AND ${since} >= ${first} THEN 'none'
      WHEN ${since} IS NULL AND (${asOf} IS NULL OR ${asOf} >= ${first} - 1) THEN 'all'
      ELSE 'unknown' END`;
  const allTime = `(${since} IS NULL AND ${asOf} IS NULL)`;
  return {
    lower: `CASE WHEN w.citation_count = 0 THEN 0
      WHEN NOT w.has_yearly_counts THEN CASE WHEN ${allTime} THEN w.citation_count ELSE 0 END
      ELSE y.in_window + CASE WHEN ${part} = 'all' THEN ${rest} ELSE 0 END END`,
    upper: `CASE WHEN w.citation_count = 0 THEN 0
      WHEN NOT w.has_yearly_counts THEN w.citation_count
      ELSE y.in_window + CASE WHEN ${part} = 'none' THEN 0 ELSE ${rest} END END`,
  };
}

/** The per-year aggregate `y` of boundsSql for work `w`, in the window. */
const yearlyLateral = (since: string, asOf: string) => `LEFT JOIN LATERAL (
    SELECT coalesce(sum(c.count) FILTER (WHERE (${since} IS NULL OR c.year >= ${since}) AND (${asOf} IS NULL OR c.year <= ${asOf})), 0)::int AS in_window,
           coalesce(sum(c.count), 0)::int AS all_years, min(c.year) FILTER (WHERE c.count > 0) AS first_year
    FROM work_yearly_count c WHERE c.work_id = w.id AND w.has_yearly_counts
  ) y ON true`;

/** One number with the bounds the data gives it: `value` is set when they meet. */
export interface Bounded {
  value: number | null;
  lowerBound: number;
  upperBound: number;
}

const bounded = (lower: number, upper: number): Bounded => ({
  value: lower === upper ? lower : null,
  lowerBound: lower,
  upperBound: upper,
});

export interface CitationMetrics {
  since: number | null;
  asOf: number | null;
  worksCount: number;
  worksWithoutYearlyCounts: number;
  worksWithUnknownWindow: number;
  citationCount: Bounded;
  hIndex: Bounded;
  i10Index: Bounded;
  unknownReason: string | null;
}

interface MetricsRow {
  key: number;
  works_count: number;
  without_yearly: number;
  unknown_window: number;
  cites_lower: number;
  cites_upper: number;
  h_lower: number;
  h_upper: number;
  i10_lower: number;
  i10_upper: number;
}

/** The statement behind setMetrics (the read benchmark times it too). */
export function metricsStatement(source: WorkSetSource, requested: CitationWindow): { sql: string; values: unknown[] } {
  const window = normalizeWindow(requested);
  const { values, param } = parameters();
  if (source.kind === 'organization' && window.since === null && window.asOf === null) {
    return { sql: organizationMetricsSql(source.ids, param), values };
  }
  const members = memberSql(source, param);
  const allTime = window.since === null && window.asOf === null;
  const since = window.since === null ? 'NULL::int' : `${param(window.since)}::int`;
  const asOf = window.asOf === null ? 'NULL::int' : `${param(window.asOf)}::int`;
  const { lower, upper } = boundsSql(since, asOf);
  // All time needs no per-year counts: each work's figure is its citationCount.
  const counted = allTime
    ? `SELECT m.key, w.publication_year, w.has_yearly_counts, w.citation_count AS lower, w.citation_count AS upper
       FROM member m JOIN work w ON w.id = m.work_id`
    : `SELECT m.key, w.publication_year, w.has_yearly_counts, ${lower} AS lower, ${upper} AS upper
       FROM member m JOIN work w ON w.id = m.work_id ${yearlyLateral(since, asOf)}`;
  const sql = `WITH member AS (${members}),
     counted AS (${counted}),
     ranked AS (
       SELECT *, row_number() OVER (PARTITION BY key ORDER BY lower DESC) AS lower_rank,
                 row_number() OVER (PARTITION BY key ORDER BY upper DESC) AS upper_rank
       FROM counted
     )
     SELECT key,
            (count(*) FILTER (WHERE ${asOf} IS NULL OR publication_year <= ${asOf}))::int AS works_count,
            (count(*) FILTER (WHERE NOT has_yearly_counts))::int AS without_yearly,
            (count(*) FILTER (WHERE lower <> upper))::int AS unknown_window,
            coalesce(sum(lower), 0)::bigint AS cites_lower, coalesce(sum(upper), 0)::bigint AS cites_upper,
            (count(*) FILTER (WHERE lower >= lower_rank))::int AS h_lower,
            (count(*) FILTER (WHERE upper >= upper_rank))::int AS h_upper,
            (count(*) FILTER (WHERE lower >= 10))::int AS i10_lower,
            (count(*) FILTER (WHERE upper >= 10))::int AS i10_upper
     FROM ranked GROUP BY key`;
  return { sql, values };
}

/**
 * The all-time metrics of organizations, from organization_citation_count: how many of an
 * organization's works have each citationCount. Over all time each work counts its citationCount,
 * so every figure is exact. The h-index is the largest min(c, n) over the counts c, n being the
 * works with at least c citations: the h most cited works each have at least h.
 */
function organizationMetricsSql(ids: readonly number[], param: Param): string {
  return `WITH counts AS (
       SELECT c.organization_id AS key, c.citation_count, c.has_yearly_counts, c.works,
              sum(c.works) OVER (PARTITION BY c.organization_id ORDER BY c.citation_count DESC ROWS UNBOUNDED PRECEDING) AS reach
       FROM organization_citation_count c
       WHERE c.organization_id = ANY(${param([...ids])}::int[]) AND c.works <> 0
     )
     SELECT key, sum(works)::int AS works_count,
            coalesce(sum(works) FILTER (WHERE NOT has_yearly_counts), 0)::int AS without_yearly, 0 AS unknown_window,
            sum(citation_count::bigint * works)::bigint AS cites_lower, sum(citation_count::bigint * works)::bigint AS cites_upper,
            max(least(citation_count, reach))::int AS h_lower, max(least(citation_count, reach))::int AS h_upper,
            coalesce(sum(works) FILTER (WHERE citation_count >= 10), 0)::int AS i10_lower,
            coalesce(sum(works) FILTER (WHERE citation_count >= 10), 0)::int AS i10_upper
     FROM counts GROUP BY key`;
}

/**
 * Metrics of each key's works in the window, one statement for all keys. worksCount counts the
 * works published by asOf (all works without asOf; a work with no publication year only then).
 */
export async function setMetrics(
  prisma: PrismaClient,
  source: WorkSetSource,
  requested: CitationWindow,
): Promise<CitationMetrics[]> {
  const window = normalizeWindow(requested);
  const statement = metricsStatement(source, window);
  const rows = await prisma.$queryRawUnsafe<MetricsRow[]>(statement.sql, ...statement.values);
  const byKey = new Map(rows.map((row) => [Number(row.key), row]));
  return keysOf(source).map((key) => {
    const row = byKey.get(key);
    const unknown = Number(row?.unknown_window ?? 0);
    const worksCount = Number(row?.works_count ?? 0);
    return {
      since: window.since,
      asOf: requested.asOf,
      worksCount,
      worksWithoutYearlyCounts: Number(row?.without_yearly ?? 0),
      worksWithUnknownWindow: unknown,
      citationCount: bounded(Number(row?.cites_lower ?? 0), Number(row?.cites_upper ?? 0)),
      hIndex: bounded(Number(row?.h_lower ?? 0), Number(row?.h_upper ?? 0)),
      i10Index: bounded(Number(row?.i10_lower ?? 0), Number(row?.i10_upper ?? 0)),
      unknownReason:
        unknown === 0
          ? null
          : `${unknown} works have citations the per-year counts do not place in years ${describeWindow(window)}: figures they could change are given as bounds.`,
    };
  });
}

function describeWindow(window: CitationWindow): string {
  if (window.since !== null && window.asOf !== null) return `${window.since} to ${window.asOf}`;
  if (window.since !== null) return `from ${window.since} on`;
  return `up to ${window.asOf}`;
}

export interface HIndexYear {
  year: number;
  hIndex: number | null;
  lowerBound: number;
  upperBound: number;
}

/**
 * The h-index as it stood at the end of each year from..to (citations dated up to that year), per
 * key, with bounds where the per-year counts leave a work's count in that year open.
 */
export async function hIndexByYear(
  prisma: PrismaClient,
  source: WorkSetSource,
  from: number,
  to: number,
): Promise<HIndexYear[][]> {
  const { values, param } = parameters();
  const members = memberSql(source, param);
  const thisYear = currentYear();
  // Years at or after the current one hold every citation: asOf is open there.
  const asOf = `CASE WHEN s.year >= ${param(thisYear)}::int THEN NULL ELSE s.year END`;
  const { lower, upper } = boundsSql('NULL::int', asOf);
  const rows = await prisma.$queryRawUnsafe<{ key: number; year: number; h_lower: number; h_upper: number }[]>(
    `WITH member AS (${members}),
     counted AS (
       SELECT m.key, s.year, ${lower} AS lower, ${upper} AS upper
       FROM member m JOIN work w ON w.id = m.work_id
       CROSS JOIN generate_series(${param(from)}::int, ${param(to)}::int) AS s(year)
       ${yearlyLateral('NULL::int', asOf)}
     ),
     ranked AS (
       SELECT *, row_number() OVER (PARTITION BY key, year ORDER BY lower DESC) AS lower_rank,
                 row_number() OVER (PARTITION BY key, year ORDER BY upper DESC) AS upper_rank
       FROM counted
     )
     SELECT key, year, (count(*) FILTER (WHERE lower >= lower_rank))::int AS h_lower,
            (count(*) FILTER (WHERE upper >= upper_rank))::int AS h_upper
     FROM ranked GROUP BY key, year`,
    ...values,
  );
  const byKey = groupBy(rows, (row) => Number(row.key));
  return keysOf(source).map((key) => {
    const years = new Map((byKey.get(key) ?? []).map((row) => [Number(row.year), row]));
    return Array.from({ length: to - from + 1 }, (_, index) => {
      const row = years.get(from + index);
      const low = Number(row?.h_lower ?? 0);
      const high = Number(row?.h_upper ?? 0);
      return { year: from + index, hIndex: low === high ? low : null, lowerBound: low, upperBound: high };
    });
  });
}

export interface SetYearly {
  citationCount: number;
  /** citationCount minus the sum of all per-year counts. */
  citationsWithoutYear: number;
  worksWithoutYearlyCounts: number;
  years: YearCount[];
}

/**
 * Citations per year summed over each key's works, with the set's total and the part of it no
 * per-year count places (works without per-year counts included). One statement; a filter on
 * publication years alone reads the cohort rollups instead of its works.
 */
export async function setYearly(prisma: PrismaClient, source: WorkSetSource): Promise<SetYearly[]> {
  const { values, param } = parameters();
  const range = source.kind === 'filter' ? cohortRange(source.filter) : null;
  const parts = range
    ? cohortYearlySql(range, param)
    : source.kind === 'organization'
      ? organizationYearlySql(source.ids, param)
      : `WITH member AS MATERIALIZED (${memberSql(source, param)})
       SELECT m.key, c.year, c.count, 0 AS without
       FROM member m JOIN work_yearly_count c ON c.work_id = m.work_id
       UNION ALL
       SELECT m.key, NULL, w.citation_count, (NOT w.has_yearly_counts)::int
       FROM member m JOIN work w ON w.id = m.work_id`;
  const rows = await prisma.$queryRawUnsafe<{ key: number; year: number | null; count: number; without: number }[]>(
    `SELECT key, year, sum(count)::bigint AS count, sum(without)::int AS without FROM (${parts}) parts
     GROUP BY key, year HAVING year IS NULL OR sum(count) <> 0`,
    ...values,
  );
  const byKey = groupBy(rows, (row) => Number(row.key));
  return keysOf(source).map((key) => {
    const own = byKey.get(key) ?? [];
    const total = own.find((row) => row.year === null);
    const years = own
      .filter((row) => row.year !== null)
      .map((row) => ({ year: Number(row.year), count: Number(row.count) }))
      .sort((a, b) => a.year - b.year);
    const citationCount = Number(total?.count ?? 0);
    return {
      citationCount,
      citationsWithoutYear: citationCount - years.reduce((sum, row) => sum + row.count, 0),
      worksWithoutYearlyCounts: Number(total?.without ?? 0),
      years,
    };
  });
}

/** Rows (key, year, count, without) of setYearly for organizations, from their rollups. */
function organizationYearlySql(ids: readonly number[], param: Param): string {
  const keys = `${param([...ids])}::int[]`;
  return `SELECT o.organization_id AS key, o.year, o.citations AS count, 0 AS without
     FROM organization_year o WHERE o.organization_id = ANY(${keys}) AND o.citations <> 0
     UNION ALL
     SELECT c.organization_id, NULL, c.citation_count::bigint * c.works, CASE WHEN c.has_yearly_counts THEN 0 ELSE c.works END
     FROM organization_citation_count c WHERE c.organization_id = ANY(${keys})`;
}

/**
 * The publication years a filter keeps when it keeps nothing else, so that the cohort rollups
 * answer for its set: null when it has another condition. With neither end it is every work,
 * those without a publication year (which are in no cohort) included.
 */
export function cohortRange(filter: WorkFilter | null | undefined): { from: number | null; to: number | null } | null {
  if (!filter) return { from: null, to: null };
  for (const [name, value] of Object.entries(filter)) {
    if (name === 'yearFrom' || name === 'yearTo' || value == null) continue;
    // An empty and/or adds no condition (an empty list of DOIs matches nothing).
    if ((name === 'and' || name === 'or') && Array.isArray(value) && value.length === 0) continue;
    return null;
  }
  return { from: filter.yearFrom ?? null, to: filter.yearTo ?? null };
}

type CohortRange = NonNullable<ReturnType<typeof cohortRange>>;

function cohortCondition(range: CohortRange, param: Param): string {
  const conditions = ['true'];
  if (range.from !== null) conditions.push(`c.publication_year >= ${param(range.from)}::int`);
  if (range.to !== null) conditions.push(`c.publication_year <= ${param(range.to)}::int`);
  return conditions.join(' AND ');
}

/** Rows (key 0, year, count, without) of setYearly for the works of a cohort range. */
function cohortYearlySql(range: CohortRange, param: Param): string {
  const where = cohortCondition(range, param);
  const cohorts = `SELECT 0 AS key, c.year, c.citations AS count, 0 AS without FROM cohort_year c WHERE ${where}
     UNION ALL
     SELECT 0, NULL, c.citations, c.works_without_yearly_counts FROM cohort c WHERE ${where}`;
  if (range.from !== null || range.to !== null) return cohorts;
  return `${cohorts}
     UNION ALL
     SELECT 0, c.year, c.count, 0 FROM work w JOIN work_yearly_count c ON c.work_id = w.id WHERE w.publication_year IS NULL
     UNION ALL
     SELECT 0, NULL, w.citation_count, (NOT w.has_yearly_counts)::int FROM work w WHERE w.publication_year IS NULL`;
}

/** The number of works a filter on publication years alone keeps, from the cohorts (see cohortRange). */
export async function cohortWorks(prisma: PrismaClient, range: CohortRange): Promise<number> {
  const { values, param } = parameters();
  const all = range.from === null && range.to === null;
  const rows = await prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT (SELECT coalesce(sum(c.works), 0) FROM cohort c WHERE ${cohortCondition(range, param)})
            ${all ? '+ (SELECT count(*) FROM work w WHERE w.publication_year IS NULL)' : ''} AS n`,
    ...values,
  );
  return Number(rows[0]?.n ?? 0);
}

export type GroupField = 'YEAR' | 'TYPE' | 'VENUE' | 'PROJECT' | 'ORGANIZATION' | 'AUTHOR';

export interface Facet {
  key: string | null;
  label: string | null;
  worksCount: number;
  citationCount: number;
}

/** The key and label of each group, from `w` and the join the field needs. */
const facetSql: Record<GroupField, { join: string; key: string; label: string }> = {
  YEAR: { join: '', key: 'w.publication_year::text', label: 'w.publication_year::text' },
  TYPE: { join: '', key: 'w.type::text', label: 'w.type::text' },
  VENUE: { join: '', key: 'w.venue', label: 'w.venue' },
  PROJECT: {
    join: 'LEFT JOIN work_project g ON g.work_id = w.id LEFT JOIN project gp ON gp.id = g.project_id',
    key: 'gp.id::text',
    label: 'gp.name',
  },
  ORGANIZATION: {
    join: 'LEFT JOIN organization_work g ON g.work_id = w.id LEFT JOIN organization go ON go.id = g.organization_id',
    key: 'go.id::text',
    label: 'go.name',
  },
  AUTHOR: {
    join: 'LEFT JOIN authorship g ON g.work_id = w.id LEFT JOIN person gp ON gp.id = g.person_id',
    key: 'gp.id::text',
    label: 'gp.name',
  },
};

/** The largest groups of a filtered set: works and citations per group, most works first, then most cited, then by key. */
export async function facets(
  prisma: PrismaClient,
  filter: WorkFilter,
  field: GroupField,
  first: number,
): Promise<Facet[]> {
  const { values, param } = parameters();
  const facet = facetSql[field];
  const range = field === 'YEAR' ? cohortRange(filter) : null;
  const groups = range
    ? `SELECT c.publication_year::text AS key, c.publication_year::text AS label, c.works AS works_count,
              c.citations AS citation_count
       FROM cohort c WHERE ${cohortCondition(range, param)} AND c.works <> 0
       ${
         range.from === null && range.to === null
           ? `UNION ALL
              SELECT NULL, NULL, count(*)::int, sum(w.citation_count)::bigint FROM work w
              WHERE w.publication_year IS NULL HAVING count(*) > 0`
           : ''
       }`
    : `SELECT ${facet.key} AS key, min(${facet.label}) AS label, count(*)::int AS works_count,
              sum(w.citation_count)::bigint AS citation_count
       FROM work w ${facet.join}
       WHERE ${workFilterSql(filter, param)}
       GROUP BY 1`;
  const rows = await prisma.$queryRawUnsafe<
    { key: string | null; label: string | null; works_count: number; citation_count: number }[]
  >(
    `SELECT * FROM (${groups}) groups
     ORDER BY works_count DESC, citation_count DESC, key NULLS LAST LIMIT ${param(first)}::int`,
    ...values,
  );
  return rows.map((row) => ({
    key: row.key,
    label: row.label,
    worksCount: Number(row.works_count),
    citationCount: Number(row.citation_count),
  }));
}

/**
 * Ids of the works matching `filter`, ranked by their citations in years >= since where the
 * per-year counts determine it; works whose figure is open follow, by total citations; ties by
 * the newest id.
 */
export async function topCitedSince(
  prisma: PrismaClient,
  filter: WorkFilter | null | undefined,
  since: number,
  first: number,
): Promise<number[]> {
  const { values, param } = parameters();
  const sinceSql = `${param(since)}::int`;
  const { lower, upper } = boundsSql(sinceSql, 'NULL::int');
  const rows = await prisma.$queryRawUnsafe<{ id: number }[]>(
    `SELECT w.id, CASE WHEN (${lower}) = (${upper}) THEN ${lower} END AS cites
     FROM work w ${yearlyLateral(sinceSql, 'NULL::int')}
     WHERE ${workFilterSql(filter, param)}
     ORDER BY cites DESC NULLS LAST, w.citation_count DESC, w.id DESC LIMIT ${param(first)}::int`,
    ...values,
  );
  return rows.map((row) => Number(row.id));
}

/** What windowBounds reads of a work. */
export interface WindowedWork {
  citationCount: number;
  hasYearlyCounts: boolean;
  countBasisId: number | null;
}

/** One work's bounds in the window, by the same rules as boundsSql; `years` in ascending order. */
export function windowBounds(work: WindowedWork, years: readonly YearCount[], requested: CitationWindow): Bounded {
  const { since, asOf } = normalizeWindow(requested);
  const total = work.citationCount;
  if (total === 0) return bounded(0, 0);
  const allTime = since === null && asOf === null;
  if (!work.hasYearlyCounts) return allTime ? bounded(total, total) : bounded(0, total);
  const inWindow = years
    .filter((row) => (since === null || row.year >= since) && (asOf === null || row.year <= asOf))
    .reduce((sum, row) => sum + row.count, 0);
  const rest = Math.max(total - years.reduce((sum, row) => sum + row.count, 0), 0);
  const first = years.find((row) => row.count > 0)?.year ?? 100000;
  let part: 'none' | 'all' | 'unknown';
  if (rest === 0) part = 'none';
  else if (work.countBasisId === null) part = allTime ? 'all' : 'unknown';
  else if (since !== null && since >= first) part = 'none';
  else if (since === null && (asOf === null || asOf >= first - 1)) part = 'all';
  else part = 'unknown';
  return bounded(inWindow + (part === 'all' ? rest : 0), inWindow + (part === 'none' ? 0 : rest));
}
