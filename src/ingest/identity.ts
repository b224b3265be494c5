import type { IdentityReason, PrismaClient } from '../generated/prisma/client.js';
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
export async function mergePeople(
  prisma: PrismaClient,
  keepId: number,
  otherId: number,
  source = 'citegraph people merge',
): Promise<string> {
  return (await mergeTwo(prisma, keepId, otherId, source, null)).detail;
}

/**
 * A link of two people the evidence says are one (src/ingest/links.ts): a merge recorded with the
 * link's reason and evidence and with what moved, so that `unlinkPeople` can give it back.
 */
export function linkTwo(
  prisma: PrismaClient,
  keepId: number,
  otherId: number,
  source: string,
  link: { reason: IdentityReason; evidence: string },
) {
  return mergeTwo(prisma, keepId, otherId, source, link);
}

/** What a link moved from the person merged in: the `moved` of its identity event. */
interface Moved {
  person: {
    id: number;
    name: string;
    nameKey: string;
    otherNames: string[];
    orcid: string | null;
    openalexId: string | null;
    s2Id: string | null;
    sources: string[];
  };
  workIds: number[];
  projectIds: number[];
  affiliationIds: number[];
  contributionIds: number[];
  metricIds: number[];
  /** What the kept person took from them: identifiers it lacked, names and sources it gained. */
  took: { orcid: boolean; openalexId: boolean; s2Id: boolean; names: string[]; sources: string[] };
}

interface PersonRow {
  id: number;
  name: string;
  nameKey: string;
  otherNames: string[];
  orcid: string | null;
  openalexId: string | null;
  s2Id: string | null;
  sources: string[];
}

async function fullPerson(tx: Tx, id: number): Promise<PersonRow> {
  const [person] = await query<PersonRow>(
    tx,
    `SELECT id, name, name_key AS "nameKey", other_names AS "otherNames", orcid, openalex_id AS "openalexId",
            s2_id AS "s2Id", sources FROM person WHERE id = $1`,
    id,
  );
  if (!person) throw new IdentityError(`No person ${id}.`);
  return person;
}

function mergeTwo(
  prisma: PrismaClient,
  keepId: number,
  otherId: number,
  source: string,
  link: { reason: IdentityReason; evidence: string } | null,
) {
  if (keepId === otherId) throw new IdentityError('A person cannot be merged into themself.');
  return prisma.$transaction(async (prismaTx) => {
    const tx = prismaSql(prismaTx);
    await dataChanged(tx);
    const keep = await fullPerson(tx, keepId);
    const other = await fullPerson(tx, otherId);
    const projects = await query<{ projectId: number }>(
      tx,
      `SELECT DISTINCT project_id AS "projectId" FROM project_activity WHERE person_id = $1 ORDER BY 1`,
      otherId,
    );
    const ids = async (sql: string, ...params: unknown[]) =>
      (await query<{ id: number }>(tx, sql, ...params)).map((row) => row.id);
    const moved: Moved | null = link && {
      person: other,
      workIds: await ids(
        `SELECT work_id AS id FROM authorship WHERE person_id = $2
         AND work_id NOT IN (SELECT work_id FROM authorship WHERE person_id = $1) ORDER BY 1`,
        keepId,
        otherId,
      ),
      projectIds: projects.map((row) => row.projectId),
      affiliationIds: await ids(`SELECT id FROM affiliation WHERE person_id = $1 ORDER BY 1`, otherId),
      contributionIds: await ids(
        `SELECT id FROM contribution WHERE person_id = $1 AND source <> $2 ORDER BY 1`,
        otherId,
        GIT_SOURCE,
      ),
      metricIds: await ids(
        `SELECT id FROM person_reported_metric m WHERE person_id = $2 AND NOT EXISTS (
           SELECT 1 FROM person_reported_metric k WHERE k.person_id = $1 AND k.source = m.source AND k.retrieved_on = m.retrieved_on)
         ORDER BY 1`,
        keepId,
        otherId,
      ),
      took: {
        orcid: !keep.orcid && !!other.orcid,
        openalexId: !keep.openalexId && !!other.openalexId,
        s2Id: !keep.s2Id && !!other.s2Id,
        names: [...new Set([other.name, ...other.otherNames])].filter(
          (name) => name !== keep.name && !keep.otherNames.includes(name),
        ),
        sources: other.sources.filter((name) => !keep.sources.includes(name)),
      },
    };
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
    const merged = `person ${otherId} (${other.name}) merged into person ${keepId} (${keep.name})`;
    const detail = link ? `${merged}: ${link.evidence}` : merged;
    const [event] = await query<{ id: number }>(
      tx,
      `INSERT INTO identity_event (person_id, reason, detail, source, moved)
       VALUES ($1, $2::"IdentityReason", $3, $4, $5::jsonb) RETURNING id`,
      keepId,
      link?.reason ?? 'MANUAL_MERGE',
      detail,
      source,
      moved ? JSON.stringify(moved) : null,
    );
    return { detail, eventId: event?.id ?? 0 };
  }, TRANSACTION);
}

interface Moves {
  workIds: number[];
  projectIds: number[];
}

/**
 * Splits a person: the authorships of `workIds` and the history in the projects `projectIds`
 * move to a new person of the same name. Returns the new person's id and a description.
 */
export function splitPerson(prisma: PrismaClient, personId: number, moves: Moves, source = 'citegraph people split') {
  if (moves.workIds.length === 0 && moves.projectIds.length === 0)
    throw new IdentityError('Name the works or projects that belong to the other person.');
  return prisma.$transaction(async (prismaTx) => {
    const tx = prismaSql(prismaTx);
    await dataChanged(tx);
    const person = await personOrFail(tx, personId);
    const newId = await splitOff(tx, personId, moves);
    const detail = `${describeMoves(moves)} of person ${personId} (${person.name}) split off to person ${newId}`;
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

const describeMoves = (moves: Moves) =>
  [
    moves.workIds.length ? `works ${moves.workIds.join(', ')}` : '',
    moves.projectIds.length ? `the history of projects ${moves.projectIds.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' and ');

/** Moves the authorships and project histories to a new person of the same name; returns its id. */
async function splitOff(tx: Tx, personId: number, moves: Moves): Promise<number> {
  const authored = await query<{ workId: number }>(
    tx,
    `SELECT work_id AS "workId" FROM authorship WHERE person_id = $1 AND work_id = ANY($2::int[])`,
    personId,
    moves.workIds,
  );
  const missing = moves.workIds.filter((id) => !authored.some((row) => row.workId === id));
  if (missing.length > 0) throw new IdentityError(`Person ${personId} is not an author of work ${missing.join(', ')}.`);
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
  return newId;
}

/** The links recorded on a person that can still be given back: event id, reason and detail. */
export async function personLinks(prisma: PrismaClient, personId: number) {
  return prisma.$queryRaw<{ id: number; reason: IdentityReason; detail: string }[]>`
    SELECT id, reason, detail FROM identity_event WHERE person_id = ${personId} AND moved IS NOT NULL ORDER BY id`;
}

/**
 * Gives back a link (event `eventId` on person `personId`): the person merged in is restored as
 * a person of their own, with their name, names, identifiers and sources, and the works, project
 * histories, affiliations and reported metrics that came with them. Both are recorded as kept
 * apart, so `people link` does not join them again.
 */
export function unlinkPeople(
  prisma: PrismaClient,
  personId: number,
  eventId: number,
  source = 'citegraph people split',
) {
  return prisma.$transaction(async (prismaTx) => {
    const tx = prismaSql(prismaTx);
    await dataChanged(tx);
    const person = await personOrFail(tx, personId);
    const [event] = await query<{ moved: Moved | null; reason: string }>(
      tx,
      `SELECT moved, reason::text AS reason FROM identity_event WHERE id = $1 AND person_id = $2 FOR UPDATE`,
      eventId,
      personId,
    );
    if (!event) throw new IdentityError(`Person ${personId} has no identity event ${eventId}.`);
    const moved = event.moved;
    if (!moved)
      throw new IdentityError(
        `Event ${eventId} (${event.reason}) is not a link that can be given back, or was given back already.`,
      );
    const works = await query<{ id: number }>(
      tx,
      `SELECT work_id AS id FROM authorship WHERE person_id = $1 AND work_id = ANY($2::int[]) ORDER BY 1`,
      personId,
      moved.workIds,
    );
    const projects = await query<{ id: number }>(
      tx,
      `SELECT DISTINCT project_id AS id FROM project_activity WHERE person_id = $1 AND project_id = ANY($2::int[]) ORDER BY 1`,
      personId,
      moved.projectIds,
    );
    const moves = { workIds: works.map((row) => row.id), projectIds: projects.map((row) => row.id) };
    if (moves.workIds.length === 0 && moves.projectIds.length === 0)
      throw new IdentityError(`Nothing of what event ${eventId} moved is still with person ${personId}.`);
    const back = moved.person;
    // The identifiers go back first: each is unique to one person.
    await execute(
      tx,
      `UPDATE person SET orcid = CASE WHEN $2 THEN NULL ELSE orcid END,
         openalex_id = CASE WHEN $3 THEN NULL ELSE openalex_id END, s2_id = CASE WHEN $4 THEN NULL ELSE s2_id END,
         other_names = ARRAY(SELECT unnest(other_names) EXCEPT SELECT unnest($5::text[]) ORDER BY 1),
         sources = ARRAY(SELECT unnest(sources) EXCEPT SELECT unnest($6::text[]) ORDER BY 1), updated_at = now()
       WHERE id = $1`,
      personId,
      moved.took.orcid,
      moved.took.openalexId,
      moved.took.s2Id,
      moved.took.names,
      moved.took.sources,
    );
    const newId = await splitOff(tx, personId, moves);
    await execute(
      tx,
      `UPDATE person SET name = $2, name_key = $3, other_names = $4::text[], orcid = $5, openalex_id = $6, s2_id = $7,
         sources = $8::text[], updated_at = now() WHERE id = $1`,
      newId,
      back.name,
      back.nameKey,
      back.otherNames,
      moved.took.orcid ? back.orcid : null,
      moved.took.openalexId ? back.openalexId : null,
      moved.took.s2Id ? back.s2Id : null,
      back.sources,
    );
    for (const [table, ids] of [
      ['affiliation', moved.affiliationIds],
      ['contribution', moved.contributionIds],
      ['person_reported_metric', moved.metricIds],
    ] as const)
      await execute(
        tx,
        `UPDATE ${table} SET person_id = $1 WHERE person_id = $2 AND id = ANY($3::int[])`,
        newId,
        personId,
        ids,
      );
    await execute(tx, `UPDATE identity_event SET moved = NULL WHERE id = $1`, eventId);
    const detail = `link event ${eventId} given back: ${describeMoves(moves)} of person ${personId} (${person.name}) moved to person ${newId} (${back.name}), who was person ${back.id}`;
    await execute(
      tx,
      `INSERT INTO identity_event (person_id, reason, detail, source, kept_apart_from)
       VALUES ($1, 'MANUAL_SPLIT', $3, $4, $2), ($2, 'MANUAL_SPLIT', $3, $4, $1)`,
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
