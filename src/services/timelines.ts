import type { Affiliation, ContributionRole, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { hasHistorySql, type InvolvementRow, roleOrder } from './involvement.js';
import { groupBy } from './metrics.js';
import { periodYears } from './periods.js';

/**
 * Framework involvement joined with impact: per-year timelines of projects and people, and
 * projects compared on one axis. Every figure comes from the monthly activity, the contribution
 * periods and the per-year rollups (project_year, person_year, work_yearly_count), one SQL
 * statement per batch of parents whatever the year range.
 */

// ---------------------------------------------------------------------------------------------
// A project's impact timeline

export interface ImpactYear {
  year: number;
  commits: number;
  activeContributors: number;
  newContributors: number;
  citations: number;
  contributorWorkCitations: number;
}

export interface ProjectImpact {
  projectId: number;
  /** Earliest year with a commit or the start of a contribution period; null without either. */
  firstActivityYear: number | null;
  /** Years with any figure, ascending; the resolver zero-fills a range. */
  years: ImpactYear[];
  contributors: number;
  works: number;
  worksWithoutYearlyCounts: number;
  contributorWorks: number;
  contributorWorksWithoutYearlyCounts: number;
}

/**
 * $1: project ids. Rows (kind, project_id, year, a, b): per-year activity (commits with the
 * unattributed ones, distinct people with a commit), newcomers per first year, citations to the
 * project's works (project_year), citations to the contributors' distinct works
 * (work_yearly_count), and per project (year null) its contributors, its works and its
 * contributors' works, each with how many lack per-year counts. The read benchmark times it too.
 *
 * The contributors' works are probed one by one (OFFSET 0 keeps each lateral subquery a probe of
 * an index): planned as a join on the estimate of ten works per contributor, they read the whole of
 * work_yearly_count and work, although a framework's contributors have written few papers or many,
 * and each costs one probe.
 */
export const projectImpactSql = `WITH members AS (
       SELECT project_id, person_id, min(year)::int AS first_year FROM (
         SELECT project_id, person_id, extract(year FROM start_date)::int AS year
         FROM contribution WHERE project_id = ANY($1::int[])
         UNION ALL
         SELECT project_id, person_id, extract(year FROM min(month))::int
         FROM project_activity WHERE project_id = ANY($1::int[]) GROUP BY project_id, person_id
       ) involved GROUP BY project_id, person_id
     ), contributor_works AS (
       SELECT DISTINCT m.project_id, a.work_id FROM members m JOIN authorship a ON a.person_id = m.person_id
     ), activity AS (
       SELECT project_id, person_id, month, commits FROM project_activity WHERE project_id = ANY($1::int[])
       UNION ALL
       SELECT project_id, NULL, month, commits FROM unattributed_activity WHERE project_id = ANY($1::int[])
     )
     SELECT 'activity' AS kind, project_id, extract(year FROM month)::int AS year,
            sum(commits)::int AS a, count(DISTINCT person_id)::int AS b
     FROM activity GROUP BY project_id, year
     UNION ALL
     SELECT 'newcomers', project_id, first_year, count(*)::int, NULL FROM members GROUP BY project_id, first_year
     UNION ALL
     SELECT 'citations', project_id, year, citations, NULL FROM project_year WHERE project_id = ANY($1::int[])
     UNION ALL
     SELECT 'contributor_citations', w.project_id, y.year, sum(y.count)::int, NULL
     FROM contributor_works w
     CROSS JOIN LATERAL (SELECT c.year, c.count FROM work_yearly_count c WHERE c.work_id = w.work_id OFFSET 0) y
     GROUP BY w.project_id, y.year
     UNION ALL
     SELECT 'contributors', project_id, NULL, count(*)::int, NULL FROM members GROUP BY project_id
     UNION ALL
     SELECT 'contributor_works', w.project_id, NULL, count(*)::int, (count(*) FILTER (WHERE NOT k.has_yearly_counts))::int
     FROM contributor_works w
     CROSS JOIN LATERAL (SELECT k.has_yearly_counts FROM work k WHERE k.id = w.work_id OFFSET 0) k
     GROUP BY w.project_id
     UNION ALL
     SELECT 'works', l.project_id, NULL, count(*)::int, (count(*) FILTER (WHERE NOT k.has_yearly_counts))::int
     FROM work_project l JOIN work k ON k.id = l.work_id WHERE l.project_id = ANY($1::int[]) GROUP BY l.project_id`;

type ImpactRow = { kind: string; project_id: number; year: number | null; a: number; b: number | null };

export async function projectImpact(prisma: PrismaClient, projectIds: readonly number[]): Promise<ProjectImpact[]> {
  const rows = await prisma.$queryRawUnsafe<ImpactRow[]>(projectImpactSql, [...projectIds]);
  const byProject = groupBy(rows, (row) => Number(row.project_id));
  return projectIds.map((projectId) => {
    const own = byProject.get(projectId) ?? [];
    const years = new Map<number, ImpactYear>();
    const year = (y: number) => {
      let found = years.get(y);
      if (!found) {
        found = {
          year: y,
          commits: 0,
          activeContributors: 0,
          newContributors: 0,
          citations: 0,
          contributorWorkCitations: 0,
        };
        years.set(y, found);
      }
      return found;
    };
    const totals = (kind: string) => own.find((row) => row.kind === kind && row.year === null);
    let firstActivityYear: number | null = null;
    for (const row of own) {
      if (row.year === null) continue;
      const target = year(Number(row.year));
      const a = Number(row.a);
      if (row.kind === 'activity') {
        target.commits = a;
        target.activeContributors = Number(row.b);
      } else if (row.kind === 'newcomers') target.newContributors = a;
      else if (row.kind === 'citations') target.citations = a;
      else if (row.kind === 'contributor_citations') target.contributorWorkCitations = a;
      if (row.kind === 'activity' || row.kind === 'newcomers')
        firstActivityYear = Math.min(firstActivityYear ?? target.year, target.year);
    }
    return {
      projectId,
      firstActivityYear,
      years: [...years.values()].sort((a, b) => a.year - b.year),
      contributors: Number(totals('contributors')?.a ?? 0),
      works: Number(totals('works')?.a ?? 0),
      worksWithoutYearlyCounts: Number(totals('works')?.b ?? 0),
      contributorWorks: Number(totals('contributor_works')?.a ?? 0),
      contributorWorksWithoutYearlyCounts: Number(totals('contributor_works')?.b ?? 0),
    };
  });
}

/** The years from..to, each with its figures or zeros. */
export function zeroFillImpact(years: ImpactYear[], from: number, to: number): ImpactYear[] {
  const byYear = new Map(years.map((row) => [row.year, row]));
  return Array.from(
    { length: Math.max(0, to - from + 1) },
    (_, index) =>
      byYear.get(from + index) ?? {
        year: from + index,
        commits: 0,
        activeContributors: 0,
        newContributors: 0,
        citations: 0,
        contributorWorkCitations: 0,
      },
  );
}

// ---------------------------------------------------------------------------------------------
// Projects compared, aligned at year 0

export type AlignBy = 'FIRST_COMMIT' | 'FIRST_PAPER';
export type ComparisonMetric = 'COMMITS' | 'CONTRIBUTORS' | 'CITATIONS';

/** Per-year values of each metric, $1 the project ids: (project_id, year, value). */
const metricSql: Record<ComparisonMetric, string> = {
  COMMITS: `SELECT project_id, extract(year FROM month)::int AS year, sum(commits)::int AS value FROM (
      SELECT project_id, month, commits FROM project_activity WHERE project_id = ANY($1::int[])
      UNION ALL SELECT project_id, month, commits FROM unattributed_activity WHERE project_id = ANY($1::int[])
    ) activity GROUP BY project_id, year`,
  CONTRIBUTORS: `SELECT project_id, extract(year FROM month)::int AS year, count(DISTINCT person_id)::int AS value
    FROM project_activity WHERE project_id = ANY($1::int[]) GROUP BY project_id, year`,
  CITATIONS: `SELECT project_id, year, citations AS value FROM project_year WHERE project_id = ANY($1::int[])`,
};

/**
 * Year 0 of each project ($1: ids) by both anchors, and the metric's values per year, in one
 * statement: rows ('first_commit' | 'first_paper' | 'value', project_id, year, value).
 */
export const comparisonSql = (metric: ComparisonMetric) => `SELECT 'first_commit' AS kind, project_id,
       min(extract(year FROM month))::int AS year, NULL::int AS value FROM (
         SELECT project_id, month FROM project_activity WHERE project_id = ANY($1::int[])
         UNION ALL SELECT project_id, month FROM unattributed_activity WHERE project_id = ANY($1::int[])
       ) activity GROUP BY project_id
     UNION ALL
     SELECT 'first_paper', l.project_id, min(w.publication_year), NULL
     FROM work_project l JOIN work w ON w.id = l.work_id
     WHERE l.project_id = ANY($1::int[]) AND w.publication_year IS NOT NULL GROUP BY l.project_id
     UNION ALL
     SELECT 'value', project_id, year, value FROM (${metricSql[metric]}) per_year`;

export interface SeriesPoint {
  offset: number;
  year: number;
  value: number;
}

export interface ProjectSeries {
  projectId: number;
  year0: number | null;
  points: SeriesPoint[];
  peakOffset: number | null;
  peakYear: number | null;
  peakValue: number | null;
  growth: number | null;
  unknownReason: string | null;
}

export interface ComparisonOptions {
  alignBy: AlignBy;
  metric: ComparisonMetric;
  /** Years before year 0 included (as negative offsets). */
  before: number;
  /** Last offset; null: through the current year. */
  span: number | null;
  currentYear: number;
}

/** One series per project id, in the order given. */
export async function compareProjects(
  prisma: PrismaClient,
  projects: readonly { id: number; name: string }[],
  options: ComparisonOptions,
): Promise<ProjectSeries[]> {
  const rows = await prisma.$queryRawUnsafe<{ kind: string; project_id: number; year: number; value: number | null }[]>(
    comparisonSql(options.metric),
    projects.map((project) => project.id),
  );
  const byProject = groupBy(rows, (row) => Number(row.project_id));
  const anchorKind = options.alignBy === 'FIRST_COMMIT' ? 'first_commit' : 'first_paper';
  return projects.map(({ id, name }) => {
    const own = byProject.get(id) ?? [];
    const anchor = own.find((row) => row.kind === anchorKind);
    if (!anchor) {
      return {
        projectId: id,
        year0: null,
        points: [],
        peakOffset: null,
        peakYear: null,
        peakValue: null,
        growth: null,
        unknownReason:
          options.alignBy === 'FIRST_COMMIT'
            ? `${name} has no recorded commits, so it has no first-commit year.`
            : `${name} has no linked work with a publication year, so it has no first-paper year.`,
      };
    }
    const year0 = Number(anchor.year);
    const values = new Map(
      own.filter((row) => row.kind === 'value').map((row) => [Number(row.year), Number(row.value ?? 0)]),
    );
    const last = options.span ?? Math.max(0, options.currentYear - year0);
    const points: SeriesPoint[] = [];
    for (let offset = -options.before; offset <= last; offset += 1)
      points.push({ offset, year: year0 + offset, value: values.get(year0 + offset) ?? 0 });
    return { projectId: id, year0, points, ...peakAndGrowth(points), unknownReason: null };
  });
}

/**
 * The peak is the highest value at offset 0 or later, the earliest such offset on ties. Growth
 * is the compound annual growth rate from year 0 to the peak: (peak / value at year 0)^(1 /
 * peakOffset) − 1; null when the peak is year 0 itself or the value at year 0 is 0.
 */
export function peakAndGrowth(points: SeriesPoint[]) {
  let peak: SeriesPoint | null = null;
  for (const point of points) if (point.offset >= 0 && (peak === null || point.value > peak.value)) peak = point;
  if (!peak) return { peakOffset: null, peakYear: null, peakValue: null, growth: null };
  const start = points.find((point) => point.offset === 0)?.value ?? 0;
  const growth = peak.offset > 0 && start > 0 ? (peak.value / start) ** (1 / peak.offset) - 1 : null;
  return { peakOffset: peak.offset, peakYear: peak.year, peakValue: peak.value, growth };
}

// ---------------------------------------------------------------------------------------------
// A person's involvement timeline

export interface PersonTimelineYear {
  year: number;
  projects: InvolvementRow[];
  affiliations: Affiliation[];
  worksPublished: number;
  citations: number;
}

export interface PersonTimelineData {
  personId: number;
  affiliations: Affiliation[];
  /** person_year rows: works published and citations received per year. */
  years: { year: number; works: number; citations: number }[];
  worksWithoutYearlyCounts: number;
}

/**
 * $1: person ids. Their person_year rows (works, citations) and, per person (year null), the
 * number of their works without per-year counts. The read benchmark times it too.
 */
export const personTimelineSql = `SELECT person_id, year, works, citations FROM person_year WHERE person_id = ANY($1::int[])
  UNION ALL
  SELECT a.person_id, NULL, count(*)::int, NULL
  FROM authorship a JOIN work w ON w.id = a.work_id AND NOT w.has_yearly_counts
  WHERE a.person_id = ANY($1::int[]) GROUP BY a.person_id`;

/** Affiliations and per-year works and citations of each person: two statements for any number of people. */
export async function personTimelineData(
  prisma: PrismaClient,
  personIds: readonly number[],
): Promise<PersonTimelineData[]> {
  const ids = [...personIds];
  const [affiliations, rows] = await Promise.all([
    prisma.affiliation.findMany({
      where: { personId: { in: ids } },
      orderBy: [{ startDate: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
    }),
    prisma.$queryRawUnsafe<{ person_id: number; year: number | null; works: number; citations: number | null }[]>(
      personTimelineSql,
      ids,
    ),
  ]);
  const affiliationsBy = groupBy(affiliations, (affiliation) => affiliation.personId);
  const rowsBy = groupBy(rows, (row) => Number(row.person_id));
  return ids.map((personId) => {
    const own = rowsBy.get(personId) ?? [];
    return {
      personId,
      affiliations: affiliationsBy.get(personId) ?? [],
      years: own
        .filter((row) => row.year !== null)
        .map((row) => ({ year: Number(row.year), works: Number(row.works), citations: Number(row.citations) })),
      worksWithoutYearlyCounts: Number(own.find((row) => row.year === null)?.works ?? 0),
    };
  });
}

/** The first year of a person's timeline: their earliest dated involvement, affiliation or work. */
export function firstPersonYear(data: PersonTimelineData, involvement: InvolvementRow[]): number | null {
  const years = [
    ...involvement.map((row) => row.year),
    ...data.affiliations.flatMap((affiliation) => periodYears(affiliation).slice(0, 1)),
    ...data.years.filter((row) => row.works > 0 || row.citations > 0).map((row) => row.year),
  ];
  return years.length === 0 ? null : Math.min(...years);
}

/** One row per year from..to. */
export function personTimeline(
  data: PersonTimelineData,
  involvement: InvolvementRow[],
  from: number,
  to: number,
): PersonTimelineYear[] {
  const projectsBy = groupBy(involvement, (row) => row.year);
  const counts = new Map(data.years.map((row) => [row.year, row]));
  const touching = data.affiliations.map((affiliation) => ({ affiliation, years: new Set(periodYears(affiliation)) }));
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => {
    const year = from + index;
    return {
      year,
      projects: projectsBy.get(year) ?? [],
      affiliations: touching.filter((entry) => entry.years.has(year)).map((entry) => entry.affiliation),
      worksPublished: counts.get(year)?.works ?? 0,
      citations: counts.get(year)?.citations ?? 0,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// A project's contributors, one row per person

export interface ContributorRow {
  projectId: number;
  personId: number;
  roles: ContributionRole[];
  /** Null when citegraph holds no activity history for the project. */
  commits: number | null;
  firstActive: Date;
  lastActive: Date | null;
}

export type ContributorPageArgs = {
  role: ContributionRole | null;
  activeYear: number | null;
  /** Person id of the cursor row to read after or before, when given. */
  after: number | null;
  before: number | null;
  limit: number;
  /** Read backwards from `before` (a `last` page); rows come nearest the cursor first. */
  inverted: boolean;
};

/**
 * SQL: the project's contributors (a row per person with a contribution period there) whose
 * periods include one matching the filter ($2 role or null, $3 year or null), with first start,
 * last end (null when a period is open) and roles. `project` names the project id column.
 */
const contributorsSql = (project: string) => `
  SELECT c.project_id, c.person_id, min(c.start_date) AS first_active,
         CASE WHEN bool_or(c.end_date IS NULL AND NOT c.ended) THEN NULL
              ELSE max(coalesce(
                c.end_date + CASE c.end_precision WHEN 'YEAR' THEN interval '1 year - 1 day'
                  WHEN 'MONTH' THEN interval '1 month - 1 day' ELSE interval '0 days' END,
                c.start_date))::date END AS last_active,
         array_agg(DISTINCT c.role::text) AS roles
  FROM contribution c
  WHERE c.project_id = ${project}
  GROUP BY c.project_id, c.person_id
  HAVING bool_or(($2::text IS NULL OR c.role::text = $2::text) AND ($3::int IS NULL OR ${yearTouchedSql('$3::int')}))`;

/** SQL: whether the period of the contribution aliased `c` touches calendar year `year` (periods.ts's rule). */
const yearTouchedSql = (year: string) => `(
  c.start_date < make_date(${year} + 1, 1, 1)
  AND (c.end_date >= make_date(${year}, 1, 1)
    OR (c.end_date IS NULL AND NOT c.ended)
    OR (c.end_date IS NULL AND c.ended AND c.start_date >= make_date(${year}, 1, 1))))`;

/**
 * A page of each project's contributors, ordered by first start then person id, with the
 * number of distinct people matching the filter; one statement for all the projects.
 * $1 project ids, $2 role, $3 active year, $4 after (person id), $5 before, $6 limit, $7 inverted.
 */
export const contributorPageSql = `WITH wanted AS MATERIALIZED (
    SELECT w.project_id, (SELECT count(*) FROM (${contributorsSql('w.project_id')}) everyone)::int AS total,
           ${hasHistorySql('w.project_id')} AS has_history
    FROM (SELECT DISTINCT unnest($1::int[]) AS project_id) w
  )
  SELECT w.project_id, w.total, page.person_id, page.first_active, page.last_active, page.roles,
         CASE WHEN w.has_history
              THEN (SELECT coalesce(sum(a.commits), 0) FROM project_activity a
                    WHERE a.project_id = w.project_id AND a.person_id = page.person_id)::int END AS commits
  FROM wanted w
  LEFT JOIN LATERAL (
    WITH people AS (${contributorsSql('w.project_id')}),
    anchors AS (
      SELECT c.person_id, min(c.start_date) AS first_active FROM contribution c
      WHERE c.project_id = w.project_id AND c.person_id IN ($4::int, $5::int) GROUP BY c.person_id
    )
    SELECT * FROM people p
    WHERE ($4::int IS NULL OR (p.first_active, p.person_id) >
             (SELECT a.first_active, a.person_id FROM anchors a WHERE a.person_id = $4::int))
      AND ($5::int IS NULL OR (p.first_active, p.person_id) <
             (SELECT a.first_active, a.person_id FROM anchors a WHERE a.person_id = $5::int))
    ORDER BY CASE WHEN $7::boolean THEN NULL ELSE p.first_active END ASC,
             CASE WHEN $7::boolean THEN NULL ELSE p.person_id END ASC,
             CASE WHEN $7::boolean THEN p.first_active END DESC,
             CASE WHEN $7::boolean THEN p.person_id END DESC
    LIMIT $6::int
  ) page ON true
  ORDER BY w.project_id`;

export interface ContributorPage {
  rows: ContributorRow[];
  totalCount: number;
}

export async function contributorPages(
  prisma: PrismaClient,
  projectIds: readonly number[],
  args: ContributorPageArgs,
): Promise<ContributorPage[]> {
  const rows = await prisma.$queryRawUnsafe<
    {
      project_id: number;
      person_id: number | null;
      first_active: Date | null;
      last_active: Date | null;
      roles: string[] | null;
      total: number;
      commits: number | null;
    }[]
  >(
    contributorPageSql,
    [...projectIds],
    args.role,
    args.activeYear,
    args.after,
    args.before,
    args.limit,
    args.inverted,
  );
  const byProject = groupBy(rows, (row) => Number(row.project_id));
  return projectIds.map((projectId) => {
    const own = byProject.get(projectId) ?? [];
    return {
      totalCount: Number(own[0]?.total ?? 0),
      rows: own.flatMap((row) =>
        row.person_id === null || row.first_active === null
          ? []
          : [
              {
                projectId,
                personId: Number(row.person_id),
                roles: roleOrder.filter((role) => row.roles?.includes(role)),
                commits: row.commits === null ? null : Number(row.commits),
                firstActive: new Date(row.first_active),
                lastActive: row.last_active === null ? null : new Date(row.last_active),
              },
            ],
      ),
    };
  });
}

/** Every contribution period of each (project, person), earliest start first: one statement. */
export async function contributorPeriods(
  prisma: PrismaClient,
  keys: readonly { projectId: number; personId: number }[],
  shape: { select: Prisma.ContributionSelect } | { include: Prisma.ContributionInclude },
) {
  const byProject = groupBy(keys, (key) => key.projectId);
  // The pairs are needed to hand each period to its row, whatever the request selected.
  const selection = 'select' in shape ? { select: { ...shape.select, projectId: true, personId: true } } : shape;
  const args: Prisma.ContributionFindManyArgs = {
    ...selection,
    where: {
      OR: [...byProject].map(([projectId, group]) => ({
        projectId,
        personId: { in: group.map((key) => key.personId) },
      })),
    },
    orderBy: [{ startDate: 'asc' }, { id: 'asc' }],
  };
  const periods = await prisma.contribution.findMany(args);
  const byPair = groupBy(periods, (period) => `${period.projectId}:${period.personId}`);
  return keys.map((key) => byPair.get(`${key.projectId}:${key.personId}`) ?? []);
}
