import type { ContributionRole, PrismaClient, Project } from '../generated/prisma/client.js';
import { periodEndSql, periodYears } from './periods.js';

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

const roleOrder: ContributionRole[] = ['CREATOR', 'LEAD', 'MAINTAINER', 'CONTRIBUTOR'];

export async function frameworkInvolvement(
  prisma: PrismaClient,
  personId: number,
  from: number | null,
  to: number | null,
): Promise<InvolvementRow[]> {
  const [contributions, activity, tracked] = await Promise.all([
    prisma.contribution.findMany({ where: { personId }, include: { project: true } }),
    prisma.$queryRawUnsafe<{ project_id: number; year: number; commits: number; added: number; deleted: number }[]>(
      `SELECT project_id, extract(year FROM month)::int AS year, sum(commits)::int AS commits,
              sum(lines_added)::int AS added, sum(lines_deleted)::int AS deleted
       FROM project_activity WHERE person_id = $1 GROUP BY project_id, year`,
      personId,
    ),
    prisma.$queryRawUnsafe<{ project_id: number }[]>(
      `SELECT DISTINCT a.project_id FROM project_activity a
       WHERE a.project_id IN (SELECT project_id FROM contribution WHERE person_id = $1)`,
      personId,
    ),
  ]);
  const hasHistory = new Set(tracked.map((row) => Number(row.project_id)));
  const projects = new Map(contributions.map((contribution) => [contribution.projectId, contribution.project]));
  const firstSeen = new Map<number, number>();
  const rows = new Map<string, InvolvementRow>();
  const row = (year: number, projectId: number) => {
    const key = `${year}:${projectId}`;
    let found = rows.get(key);
    if (!found) {
      const project = projects.get(projectId);
      if (!project) return undefined;
      const zero = hasHistory.has(projectId) ? 0 : null;
      found = { year, project, roles: [], commits: zero, linesAdded: zero, linesDeleted: zero };
      rows.set(key, found);
    }
    return found;
  };
  for (const contribution of contributions) {
    const start = contribution.startDate.getTime();
    firstSeen.set(contribution.projectId, Math.min(firstSeen.get(contribution.projectId) ?? start, start));
    for (const year of periodYears(contribution)) {
      const target = row(year, contribution.projectId);
      if (target && !target.roles.includes(contribution.role)) target.roles.push(contribution.role);
    }
  }
  for (const { project_id, year, commits, added, deleted } of activity) {
    const target = row(Number(year), Number(project_id));
    if (!target) continue;
    target.commits = (target.commits ?? 0) + Number(commits);
    target.linesAdded = (target.linesAdded ?? 0) + Number(added);
    target.linesDeleted = (target.linesDeleted ?? 0) + Number(deleted);
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
}

/**
 * Commits a contribution's person made to its project within the contribution's period;
 * null when citegraph holds no activity history for the project.
 */
export async function contributionCommits(prisma: PrismaClient, ids: readonly number[]): Promise<(number | null)[]> {
  const rows = await prisma.$queryRawUnsafe<{ id: number; commits: number | null }[]>(
    `SELECT c.id,
            CASE WHEN EXISTS (SELECT 1 FROM project_activity h WHERE h.project_id = c.project_id)
                 THEN coalesce(sum(a.commits), 0)::int END AS commits
     FROM contribution c
     LEFT JOIN project_activity a
       ON a.person_id = c.person_id AND a.project_id = c.project_id
      AND a.month >= date_trunc(CASE c.start_precision WHEN 'YEAR' THEN 'year' WHEN 'MONTH' THEN 'month' ELSE 'day' END, c.start_date)
      AND (c.end_date IS NULL OR a.month < ${periodEndSql('c.end_date', 'c.end_precision')})
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

export async function projectActivityByYear(prisma: PrismaClient, projectId: number): Promise<ProjectYear[]> {
  const rows = await prisma.$queryRawUnsafe<
    { year: number; commits: number; contributors: number; added: number; deleted: number }[]
  >(
    `SELECT extract(year FROM month)::int AS year, sum(commits)::int AS commits,
            count(DISTINCT person_id)::int AS contributors,
            sum(lines_added)::bigint AS added, sum(lines_deleted)::bigint AS deleted
     FROM project_activity WHERE project_id = $1 GROUP BY year ORDER BY year`,
    projectId,
  );
  return rows.map((row) => ({
    year: Number(row.year),
    commits: Number(row.commits),
    activeContributors: Number(row.contributors),
    linesAdded: Number(row.added),
    linesDeleted: Number(row.deleted),
  }));
}
