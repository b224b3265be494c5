import type { ContributionRole, PrismaClient, Project } from '../generated/prisma/client.js';
import { groupBy } from './metrics.js';
import { monthInPeriodSql, periodYears } from './periods.js';

/** "Framework involvement over time": one row per year and project. */

export interface InvolvementRow {
  year: number;
  project: Project;
  roles: ContributionRole[];
  /** Null when citegraph holds no activity history for the project. */
  commits: number | null;
  linesAdded: number | null;
  linesDeleted: number | null;
}

export const roleOrder: ContributionRole[] = ['CREATOR', 'LEAD', 'MAINTAINER', 'CONTRIBUTOR'];

/** SQL: whether citegraph holds activity history (any monthly row, credited or not) for the project `project`. */
export const hasHistorySql = (project: string) =>
  `(EXISTS (SELECT 1 FROM project_activity h WHERE h.project_id = ${project})
    OR EXISTS (SELECT 1 FROM unattributed_activity u WHERE u.project_id = ${project}))`;

/**
 * Involvement of each person: a row for every year a contribution period touches or a commit
 * was made, ordered by year, then by when the person first got involved in the project.
 * Four SQL statements for any number of people.
 */
export async function frameworkInvolvement(
  prisma: PrismaClient,
  personIds: readonly number[],
  from: number | null,
  to: number | null,
): Promise<InvolvementRow[][]> {
  const ids = [...personIds];
  const [contributions, activity] = await Promise.all([
    prisma.contribution.findMany({ where: { personId: { in: ids } }, orderBy: { id: 'asc' } }),
    prisma.$queryRawUnsafe<
      {
        person_id: number;
        project_id: number;
        year: number;
        month: Date;
        commits: number;
        added: number;
        deleted: number;
      }[]
    >(
      `SELECT person_id, project_id, extract(year FROM month)::int AS year, min(month) AS month,
              sum(commits)::int AS commits, sum(lines_added)::int AS added, sum(lines_deleted)::int AS deleted
       FROM project_activity WHERE person_id = ANY($1::int[]) GROUP BY person_id, project_id, year`,
      ids,
    ),
  ]);
  const projectIds = [
    ...new Set([...contributions.map((c) => c.projectId), ...activity.map((a) => Number(a.project_id))]),
  ];
  const [projects, tracked] = await Promise.all([
    prisma.project.findMany({ where: { id: { in: projectIds } } }),
    prisma.$queryRawUnsafe<{ id: number }[]>(
      `SELECT p.id FROM project p
       WHERE p.id = ANY($1::int[]) AND ${hasHistorySql('p.id')}`,
      projectIds,
    ),
  ]);
  const projectById = new Map(projects.map((project) => [project.id, project]));
  const hasHistory = new Set(tracked.map((row) => Number(row.id)));
  const contributionsBy = groupBy(contributions, (c) => c.personId);
  const activityBy = groupBy(activity, (a) => Number(a.person_id));

  return ids.map((personId) => {
    const firstSeen = new Map<number, number>();
    const seen = (projectId: number, date: Date) =>
      firstSeen.set(projectId, Math.min(firstSeen.get(projectId) ?? date.getTime(), date.getTime()));
    const rows = new Map<string, InvolvementRow>();
    const row = (year: number, projectId: number) => {
      const key = `${year}:${projectId}`;
      const project = projectById.get(projectId);
      if (!project) return undefined;
      let found = rows.get(key);
      if (!found) {
        const zero = hasHistory.has(projectId) ? 0 : null;
        found = { year, project, roles: [], commits: zero, linesAdded: zero, linesDeleted: zero };
        rows.set(key, found);
      }
      return found;
    };
    for (const contribution of contributionsBy.get(personId) ?? []) {
      seen(contribution.projectId, contribution.startDate);
      for (const year of periodYears(contribution)) {
        const target = row(year, contribution.projectId);
        if (target && !target.roles.includes(contribution.role)) target.roles.push(contribution.role);
      }
    }
    for (const entry of activityBy.get(personId) ?? []) {
      const projectId = Number(entry.project_id);
      seen(projectId, new Date(entry.month));
      const target = row(Number(entry.year), projectId);
      if (!target) continue;
      target.commits = (target.commits ?? 0) + Number(entry.commits);
      target.linesAdded = (target.linesAdded ?? 0) + Number(entry.added);
      target.linesDeleted = (target.linesDeleted ?? 0) + Number(entry.deleted);
    }
    return [...rows.values()]
      .filter((entry) => (from === null || entry.year >= from) && (to === null || entry.year <= to))
      .map((entry) => ({ ...entry, roles: roleOrder.filter((role) => entry.roles.includes(role)) }))
      .sort(
        (a, b) =>
          a.year - b.year ||
          (firstSeen.get(a.project.id) ?? 0) - (firstSeen.get(b.project.id) ?? 0) ||
          a.project.name.localeCompare(b.project.name),
      );
  });
}

/**
 * Commits a contribution's person made to its project within the contribution's period;
 * null when citegraph holds no activity history for the project.
 */
export async function contributionCommits(prisma: PrismaClient, ids: readonly number[]): Promise<(number | null)[]> {
  const rows = await prisma.$queryRawUnsafe<{ id: number; commits: number | null }[]>(
    `SELECT c.id,
            CASE WHEN ${hasHistorySql('c.project_id')}
                 THEN coalesce(sum(a.commits), 0)::int END AS commits
     FROM contribution c
     LEFT JOIN project_activity a
       ON a.person_id = c.person_id AND a.project_id = c.project_id AND ${monthInPeriodSql('a.month')}
     WHERE c.id = ANY($1::int[]) GROUP BY c.id`,
    [...ids],
  );
  const byId = new Map(rows.map((row) => [Number(row.id), row.commits === null ? null : Number(row.commits)]));
  return ids.map((id) => byId.get(id) ?? null);
}

export interface ProjectYear {
  year: number;
  commits: number;
  activeContributors: number;
  linesAdded: number;
  linesDeleted: number;
}

/**
 * Per calendar year of each project's recorded history. Commits and lines include the activity
 * credited to nobody (unattributed_activity); active contributors count people only.
 */
export async function projectActivityByYear(
  prisma: PrismaClient,
  projectIds: readonly number[],
): Promise<ProjectYear[][]> {
  const rows = await prisma.$queryRawUnsafe<
    { project_id: number; year: number; commits: number; contributors: number; added: number; deleted: number }[]
  >(
    `SELECT project_id, extract(year FROM month)::int AS year, sum(commits)::int AS commits,
            count(DISTINCT person_id)::int AS contributors,
            sum(lines_added)::int AS added, sum(lines_deleted)::int AS deleted
     FROM (
       SELECT project_id, person_id, month, commits, lines_added, lines_deleted
       FROM project_activity WHERE project_id = ANY($1::int[])
       UNION ALL
       SELECT project_id, NULL, month, commits, lines_added, lines_deleted
       FROM unattributed_activity WHERE project_id = ANY($1::int[])
     ) activity
     GROUP BY project_id, year ORDER BY project_id, year`,
    [...projectIds],
  );
  const byProject = groupBy(rows, (row) => Number(row.project_id));
  return projectIds.map((projectId) =>
    (byProject.get(projectId) ?? []).map((row) => ({
      year: Number(row.year),
      commits: Number(row.commits),
      activeContributors: Number(row.contributors),
      linesAdded: Number(row.added),
      linesDeleted: Number(row.deleted),
    })),
  );
}

/** One person's commits to one project in one calendar month. */
export interface CommitMonth {
  projectId: number;
  /** The first day of the month. */
  month: Date;
  commits: number;
  linesAdded: number;
  linesDeleted: number;
}

/**
 * Each person's monthly activity (project_activity: commits credited to them), by project, then
 * month; months without commits have no row. Years from..to when given. One statement for any
 * number of people.
 */
export async function commitMonths(
  prisma: PrismaClient,
  personIds: readonly number[],
  from: number | null,
  to: number | null,
): Promise<CommitMonth[][]> {
  const rows = await prisma.$queryRawUnsafe<
    { person_id: number; project_id: number; month: Date; commits: number; added: number; deleted: number }[]
  >(
    `SELECT person_id, project_id, month, commits, lines_added AS added, lines_deleted AS deleted
     FROM project_activity
     WHERE person_id = ANY($1::int[]) AND commits > 0
       AND ($2::int IS NULL OR month >= make_date($2::int, 1, 1))
       AND ($3::int IS NULL OR month < make_date($3::int + 1, 1, 1))
     ORDER BY person_id, project_id, month`,
    [...personIds],
    from,
    to,
  );
  const byPerson = groupBy(rows, (row) => Number(row.person_id));
  return personIds.map((id) =>
    (byPerson.get(id) ?? []).map((row) => ({
      projectId: Number(row.project_id),
      month: row.month,
      commits: Number(row.commits),
      linesAdded: Number(row.added),
      linesDeleted: Number(row.deleted),
    })),
  );
}
