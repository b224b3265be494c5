import { matchKey } from '../services/identifiers.js';
import { type PersonRequest, resolvePeople } from './people.js';
import type { ActivityRecord } from './records.js';
import { execute, query, type Tx, withoutNul } from './sql.js';

/**
 * Monthly git activity of people in projects, and the contributor periods derived from it.
 *
 * A history's author is the project's stored contributor of the same name when there is one;
 * otherwise a stored person of that name who shares a work with someone else in the history
 * (the fellow-contributor overlap that stands in for co-authorship); otherwise a new person.
 * The activity of a whole input is summed per project, person and month before it is
 * written (an author's commits under several e-mail domains are one row), so writing is an
 * upsert that a second import leaves unchanged. Activity whose author has no usable name
 * (empty, "=") counts in the project's figures as unattributed activity (per project and
 * month), credited to nobody.
 */

export const GIT_SOURCE = 'git-history';

export interface ProjectRef {
  slug: string;
  name: string;
  repositoryUrl: string | null;
}

export interface ActivityTotals {
  project: ProjectRef;
  /** Repository label used in evidence, e.g. "BVLC/caffe". */
  repo: string;
  /** name -> month (YYYY-MM) -> totals */
  people: Map<string, Map<string, MonthTotals>>;
  /** month (YYYY-MM) -> totals of the records with no usable author name. */
  unattributed: Map<string, MonthTotals>;
}

interface MonthTotals {
  commits: number;
  linesAdded: number;
  linesDeleted: number;
}

/**
 * Adds one record to the per-project totals; false for a record with no usable author name,
 * which is added to the project's unattributed activity instead.
 */
export function addActivity(totals: ActivityTotals, record: ActivityRecord): boolean {
  const name = withoutNul(record.name).trim();
  const named = /[\p{L}\p{N}]/u.test(name);
  const months = named ? (totals.people.get(name) ?? new Map<string, MonthTotals>()) : totals.unattributed;
  if (named) totals.people.set(name, months);
  const month = months.get(record.month) ?? { commits: 0, linesAdded: 0, linesDeleted: 0 };
  month.commits += record.commits;
  month.linesAdded += record.linesAdded;
  month.linesDeleted += record.linesDeleted;
  months.set(record.month, month);
  return named;
}

/** The stored project for a repository (by repository URL, then slug), created when missing. */
export async function ensureProject(tx: Tx, project: ProjectRef, source: string): Promise<number> {
  const [found] = await query<{ id: number }>(
    tx,
    `SELECT id FROM project WHERE ($1::text IS NOT NULL AND lower(repository_url) = lower($1)) OR slug = $2
     ORDER BY (slug = $2) DESC LIMIT 1`,
    project.repositoryUrl,
    project.slug,
  );
  if (found) return found.id;
  const [created] = await query<{ id: number }>(
    tx,
    `INSERT INTO project (slug, name, repository_url, source) VALUES ($1, $2, $3, $4) RETURNING id`,
    project.slug,
    project.name,
    project.repositoryUrl,
    source,
  );
  if (!created) throw new Error(`project ${project.slug} could not be created`);
  return created.id;
}

export interface ActivityResult {
  people: number;
  inserted: number;
  updated: number;
  unchanged: number;
  merged: number;
}

/** Writes one project's totals: people, activity rows and contributor periods. */
export async function writeActivity(tx: Tx, totals: ActivityTotals): Promise<ActivityResult> {
  const projectId = await ensureProject(tx, totals.project, GIT_SOURCE);
  const names = [...totals.people.keys()];
  const keys = names.map((name) => matchKey(name));

  // A merged person answers to the names of the people merged into them (other_names).
  const contributors = await query<{ id: number; name: string; nameKey: string; otherNames: string[] }>(
    tx,
    `SELECT DISTINCT p.id, p.name, p.name_key AS "nameKey", p.other_names AS "otherNames" FROM person p
     JOIN project_activity a ON a.person_id = p.id AND a.project_id = $1
     WHERE p.name_key = ANY($2::text[]) OR p.other_names && $3::text[] ORDER BY p.id`,
    projectId,
    keys,
    names,
  );
  const fellowKeys = [
    ...new Set([
      ...keys,
      ...(
        await query<{ nameKey: string }>(
          tx,
          `SELECT DISTINCT p.name_key AS "nameKey" FROM person p JOIN project_activity a ON a.person_id = p.id WHERE a.project_id = $1`,
          projectId,
        )
      ).map((row) => row.nameKey),
    ]),
  ];
  const personIds = new Array<number>(names.length).fill(0);
  const open: { index: number; request: PersonRequest }[] = [];
  names.forEach((name, index) => {
    const key = keys[index];
    const same =
      contributors.find((person) => person.name === name || person.otherNames.includes(name)) ??
      contributors.find((person) => person.nameKey === key);
    if (same) personIds[index] = same.id;
    else
      open.push({
        index,
        request: {
          author: { name },
          coauthorKeys: fellowKeys.filter((other) => other !== key),
          context: `in ${totals.repo} history (${name})`,
        },
      });
  });
  const resolved = await resolvePeople(
    tx,
    open.map((entry) => entry.request),
    { name: GIT_SOURCE, ownId: null },
  );
  open.forEach((entry, position) => {
    personIds[entry.index] = resolved.ids[position] ?? 0;
  });

  // Names that differ only in case or punctuation can be one person: their months add up.
  const byPersonMonth = new Map<
    string,
    { personId: number; month: string; commits: number; linesAdded: number; linesDeleted: number }
  >();
  names.forEach((name, index) => {
    const personId = personIds[index] ?? 0;
    for (const [month, figures] of totals.people.get(name) ?? new Map()) {
      const key = `${personId} ${month}`;
      const row = byPersonMonth.get(key) ?? {
        personId,
        month: `${month}-01`,
        commits: 0,
        linesAdded: 0,
        linesDeleted: 0,
      };
      row.commits += figures.commits;
      row.linesAdded += figures.linesAdded;
      row.linesDeleted += figures.linesDeleted;
      byPersonMonth.set(key, row);
    }
  });
  const rows = [...byPersonMonth.values()];
  const written = await query<{ inserted: boolean }>(
    tx,
    `INSERT INTO project_activity (project_id, person_id, month, commits, lines_added, lines_deleted, source)
     SELECT $1, * , $7 FROM unnest($2::int[], $3::date[], $4::int[], $5::int[], $6::int[])
     ON CONFLICT (project_id, person_id, month) DO UPDATE
       SET commits = EXCLUDED.commits, lines_added = EXCLUDED.lines_added, lines_deleted = EXCLUDED.lines_deleted
       WHERE (project_activity.commits, project_activity.lines_added, project_activity.lines_deleted)
         IS DISTINCT FROM (EXCLUDED.commits, EXCLUDED.lines_added, EXCLUDED.lines_deleted)
     RETURNING (xmax = 0) AS inserted`,
    projectId,
    rows.map((row) => row.personId),
    rows.map((row) => row.month),
    rows.map((row) => row.commits),
    rows.map((row) => row.linesAdded),
    rows.map((row) => row.linesDeleted),
    GIT_SOURCE,
  );
  await deriveContributorPeriods(tx, projectId, [...new Set(personIds)], totals.repo);
  const unattributed = [...totals.unattributed].map(([month, figures]) => ({ month: `${month}-01`, ...figures }));
  const writtenUnattributed = await query<{ inserted: boolean }>(
    tx,
    `INSERT INTO unattributed_activity (project_id, month, commits, lines_added, lines_deleted, source)
     SELECT $1, *, $6 FROM unnest($2::date[], $3::int[], $4::int[], $5::int[])
     ON CONFLICT (project_id, month) DO UPDATE
       SET commits = EXCLUDED.commits, lines_added = EXCLUDED.lines_added, lines_deleted = EXCLUDED.lines_deleted
       WHERE (unattributed_activity.commits, unattributed_activity.lines_added, unattributed_activity.lines_deleted)
         IS DISTINCT FROM (EXCLUDED.commits, EXCLUDED.lines_added, EXCLUDED.lines_deleted)
     RETURNING (xmax = 0) AS inserted`,
    projectId,
    unattributed.map((row) => row.month),
    unattributed.map((row) => row.commits),
    unattributed.map((row) => row.linesAdded),
    unattributed.map((row) => row.linesDeleted),
    GIT_SOURCE,
  );
  written.push(...writtenUnattributed);
  const inserted = written.filter((row) => row.inserted).length;
  return {
    people: resolved.created,
    inserted,
    updated: written.length - inserted,
    unchanged: rows.length + unattributed.length - written.length,
    merged: resolved.matched,
  };
}

const label = (date: Date) => date.toISOString().slice(0, 7);

/**
 * One CONTRIBUTOR period per person and project, from their first to their last month with
 * commits in the stored history, ended. Rewritten only where the history changed it.
 */
export async function deriveContributorPeriods(tx: Tx, projectId: number, personIds: number[], repo: string) {
  const spans = await query<{ personId: number; first: Date; last: Date; commits: number }>(
    tx,
    `SELECT person_id AS "personId", min(month) AS first, max(month) AS last, sum(commits)::int AS commits
     FROM project_activity WHERE project_id = $1 AND person_id = ANY($2::int[]) GROUP BY person_id`,
    projectId,
    personIds,
  );
  const evidence = spans.map(
    (span) =>
      `${span.commits} commit${span.commits === 1 ? '' : 's'} in ${repo}, first ${label(span.first)}, last ${label(span.last)}`,
  );
  const params = [
    projectId,
    spans.map((span) => span.personId),
    spans.map((span) => span.first),
    spans.map((span) => span.last),
    evidence,
    GIT_SOURCE,
  ] as const;
  await execute(
    tx,
    `DELETE FROM contribution c USING unnest($2::int[], $3::date[], $4::date[], $5::text[]) AS v(person_id, first, last, evidence)
     WHERE c.project_id = $1 AND c.person_id = v.person_id AND c.role = 'CONTRIBUTOR' AND c.source = $6
       AND (c.start_date, c.end_date, c.evidence) IS DISTINCT FROM (v.first, v.last, v.evidence)`,
    ...params,
  );
  await execute(
    tx,
    `INSERT INTO contribution (person_id, project_id, role, start_date, start_precision, end_date, end_precision, ended, source, evidence)
     SELECT v.person_id, $1, 'CONTRIBUTOR', v.first, 'MONTH', v.last, 'MONTH', true, $6, v.evidence
     FROM unnest($2::int[], $3::date[], $4::date[], $5::text[]) AS v(person_id, first, last, evidence)
     ON CONFLICT DO NOTHING`,
    ...params,
  );
}
