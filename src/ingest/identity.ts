import type { PrismaClient } from '../generated/prisma/client.js';
import { dataChanged } from '../services/version.js';
import { prismaSql } from '../sql.js';
import { deriveContributorPeriods, GIT_SOURCE } from './activity.js';
import { execute, query, type Tx } from './sql.js';

/**
 * Corrections to identity resolution, made by hand and recorded as identity events: two
 * stored people who are one are merged; a person who is two (namesakes) is split, the works
 * and project histories given moving to a new person. Imports keep a stored author list and a
 * project's stored contributors as they are, so a correction survives importing the same
 * files again.
 */

export class IdentityError extends Error {
  override name = 'IdentityError';
}

const TRANSACTION = { timeout: 120_000, maxWait: 30_000 };

async function personOrFail(tx: Tx, id: number) {
  const [person] = await query<{ id: number; name: string }>(tx, `SELECT id, name FROM person WHERE id = $1`, id);
  if (!person) throw new IdentityError(`No person ${id}.`);
  return person;
}

/** Merges person `otherId` into `keepId`; returns a one-line description. */
export function mergePeople(prisma: PrismaClient, keepId: number, otherId: number, source = 'citegraph people merge') {
  if (keepId === otherId) throw new IdentityError('A person cannot be merged into themself.');
  return prisma.$transaction(async (prismaTx) => {
    const tx = prismaSql(prismaTx);
    await dataChanged(tx);
    const keep = await personOrFail(tx, keepId);
    const other = await personOrFail(tx, otherId);
    const projects = await query<{ projectId: number }>(
      tx,
      `SELECT DISTINCT project_id AS "projectId" FROM project_activity WHERE person_id = $1`,
      otherId,
    );
    const statements = [
      // Works both are authors of keep the first person's authorship.
      `UPDATE authorship SET person_id = $1 WHERE person_id = $2
         AND work_id NOT IN (SELECT work_id FROM authorship WHERE person_id = $1)`,
      `UPDATE affiliation SET person_id = $1 WHERE person_id = $2`,
      `UPDATE contribution c SET person_id = $1 WHERE person_id = $2 AND NOT EXISTS (
         SELECT 1 FROM contribution k WHERE k.person_id = $1 AND k.project_id = c.project_id AND k.role = c.role
           AND k.start_date = c.start_date AND k.source = c.source)`,
      `INSERT INTO project_activity (project_id, person_id, month, commits, lines_added, lines_deleted, source)
       SELECT project_id, $1, month, commits, lines_added, lines_deleted, source FROM project_activity WHERE person_id = $2
       ON CONFLICT (project_id, person_id, month) DO UPDATE SET commits = project_activity.commits + EXCLUDED.commits,
         lines_added = project_activity.lines_added + EXCLUDED.lines_added,
         lines_deleted = project_activity.lines_deleted + EXCLUDED.lines_deleted`,
      `UPDATE person_reported_metric m SET person_id = $1 WHERE person_id = $2 AND NOT EXISTS (
         SELECT 1 FROM person_reported_metric k WHERE k.person_id = $1 AND k.source = m.source AND k.retrieved_on = m.retrieved_on)`,
      `INSERT INTO identity_event (person_id, reason, detail, source, at)
       SELECT $1, reason, detail, source, at FROM identity_event WHERE person_id = $2 ON CONFLICT DO NOTHING`,
    ];
    for (const sql of statements) await execute(tx, sql, keepId, otherId);
    const [gone] = await query<{
      orcid: string | null;
      openalexId: string | null;
      s2Id: string | null;
      names: string[];
      sources: string[];
    }>(
      tx,
      `DELETE FROM person WHERE id = $1
       RETURNING orcid, openalex_id AS "openalexId", s2_id AS "s2Id", array_prepend(name, other_names) AS names, sources`,
      otherId,
    );
    await execute(
      tx,
      `UPDATE person SET orcid = coalesce(orcid, $2), openalex_id = coalesce(openalex_id, $3), s2_id = coalesce(s2_id, $4),
         other_names = ARRAY(SELECT DISTINCT unnest(other_names || $5::text[]) EXCEPT SELECT name ORDER BY 1),
         sources = ARRAY(SELECT DISTINCT unnest(sources || $6::text[]) ORDER BY 1), updated_at = now()
       WHERE id = $1`,
      keepId,
      gone?.orcid ?? null,
      gone?.openalexId ?? null,
      gone?.s2Id ?? null,
      gone?.names ?? [],
      gone?.sources ?? [],
    );
    await rederive(
      tx,
      keepId,
      projects.map((row) => row.projectId),
    );
    const detail = `person ${otherId} (${other.name}) merged into person ${keepId} (${keep.name})`;
    await execute(
      tx,
      `INSERT INTO identity_event (person_id, reason, detail, source) VALUES ($1, 'MANUAL_MERGE', $2, $3)`,
      keepId,
      detail,
      source,
    );
    return detail;
  }, TRANSACTION);
}

/**
 * Splits a person: the authorships of `workIds` and the history in the projects `projectIds`
 * move to a new person of the same name. Returns the new person's id and a description.
 */
export function splitPerson(
  prisma: PrismaClient,
  personId: number,
  moves: { workIds: number[]; projectIds: number[] },
  source = 'citegraph people split',
) {
  if (moves.workIds.length === 0 && moves.projectIds.length === 0)
    throw new IdentityError('Name the works or projects that belong to the other person.');
  return prisma.$transaction(async (prismaTx) => {
    const tx = prismaSql(prismaTx);
    await dataChanged(tx);
    const person = await personOrFail(tx, personId);
    const authored = await query<{ workId: number }>(
      tx,
      `SELECT work_id AS "workId" FROM authorship WHERE person_id = $1 AND work_id = ANY($2::int[])`,
      personId,
      moves.workIds,
    );
    const missing = moves.workIds.filter((id) => !authored.some((row) => row.workId === id));
    if (missing.length > 0)
      throw new IdentityError(`Person ${personId} is not an author of work ${missing.join(', ')}.`);
    const active = await query<{ projectId: number }>(
      tx,
      `SELECT DISTINCT project_id AS "projectId" FROM project_activity WHERE person_id = $1 AND project_id = ANY($2::int[])`,
      personId,
      moves.projectIds,
    );
    const idle = moves.projectIds.filter((id) => !active.some((row) => row.projectId === id));
    if (idle.length > 0) throw new IdentityError(`Person ${personId} has no history in project ${idle.join(', ')}.`);
    const [created] = await query<{ id: number }>(
      tx,
      `INSERT INTO person (name, name_key, other_names, sources, updated_at)
       SELECT name, name_key, '{}', sources, now() FROM person WHERE id = $1 RETURNING id`,
      personId,
    );
    const newId = created?.id ?? 0;
    await execute(
      tx,
      `UPDATE authorship SET person_id = $1 WHERE person_id = $2 AND work_id = ANY($3::int[])`,
      newId,
      personId,
      moves.workIds,
    );
    for (const table of ['project_activity', 'contribution'])
      await execute(
        tx,
        `UPDATE ${table} SET person_id = $1 WHERE person_id = $2 AND project_id = ANY($3::int[])`,
        newId,
        personId,
        moves.projectIds,
      );
    const what = [
      moves.workIds.length ? `works ${moves.workIds.join(', ')}` : '',
      moves.projectIds.length ? `the history of projects ${moves.projectIds.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    const detail = `${what} of person ${personId} (${person.name}) split off to person ${newId}`;
    await execute(
      tx,
      `INSERT INTO identity_event (person_id, reason, detail, source) VALUES ($1, 'MANUAL_SPLIT', $3, $4), ($2, 'MANUAL_SPLIT', $3, $4)`,
      personId,
      newId,
      detail,
      source,
    );
    return { newId, detail };
  }, TRANSACTION);
}

async function rederive(tx: Tx, personId: number, projectIds: number[]) {
  if (projectIds.length === 0) return;
  await execute(
    tx,
    `DELETE FROM contribution WHERE person_id = $1 AND project_id = ANY($2::int[]) AND role = 'CONTRIBUTOR' AND source = $3`,
    personId,
    projectIds,
    GIT_SOURCE,
  );
  const projects = await query<{ id: number; repo: string }>(
    tx,
    `SELECT id, coalesce(regexp_replace(repository_url, '^https://github\\.com/', ''), slug) AS repo FROM project WHERE id = ANY($1::int[])`,
    projectIds,
  );
  for (const project of projects) await deriveContributorPeriods(tx, project.id, [personId], project.repo);
}
