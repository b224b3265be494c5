import { GraphQLError } from 'graphql';
import type { AffiliationKind, ContributionRole, DatePrecision, WorkType } from '../generated/prisma/enums.js';
import { deriveAffiliations } from '../ingest/organizations.js';
import { execute, query, type Tx } from '../ingest/sql.js';
import { refreshCitationCounts } from './counts.js';
import { matchKey, titleKey } from './identifiers.js';

/**
 * The API's writes: each runs in one transaction (src/schema/mutations.ts opens it and moves the
 * data version on), checks that what it refers to exists, and leaves every derived figure exact —
 * citation counters through refreshCitationCounts, the per-person and per-project yearly rollups
 * through the database's own triggers, affiliation periods derived from works through
 * deriveAffiliations — as an import would. Rows it writes carry the source API_SOURCE.
 */

export const API_SOURCE = 'citegraph-api';

export const notFound = (what: string) => new GraphQLError(`No ${what}.`, { extensions: { code: 'NOT_FOUND' } });

export const conflict = (message: string) => new GraphQLError(message, { extensions: { code: 'CONFLICT' } });

export const invalid = (field: string, message: string) =>
  new GraphQLError(`${field}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', field } });

async function exists(tx: Tx, table: string, id: number, what: string) {
  const [row] = await query(tx, `SELECT 1 FROM ${table} WHERE id = $1`, id);
  if (!row) throw notFound(what);
}

/** An author of a work being written: a stored person, or one found by ORCID or created by name. */
export type AuthorInput = { personId: number } | { name: string; orcid: string | null };

export interface WorkInput {
  /** Absent: the work is found by DOI, or created. */
  id?: number;
  /** A normalized DOI; null removes it. Absent fields are left as they are. */
  doi?: string | null;
  title?: string;
  publicationYear?: number | null;
  type?: WorkType | null;
  venue?: string | null;
  url?: string | null;
  /** Replaces the author list, in order. */
  authors?: AuthorInput[];
}

/** Creates or updates a work; returns its id and whether it was created. */
export async function upsertWork(tx: Tx, input: WorkInput): Promise<{ workId: number; created: boolean }> {
  let workId = input.id ?? null;
  if (workId !== null) {
    await exists(tx, 'work', workId, `work with id ${workId}`);
  } else if (input.doi) {
    const [found] = await query<{ id: number }>(tx, `SELECT id FROM work WHERE doi = $1`, input.doi);
    workId = found?.id ?? null;
  }
  if (input.doi) {
    const [owner] = await query<{ id: number }>(
      tx,
      `SELECT id FROM work WHERE doi = $1 AND id <> $2`,
      input.doi,
      workId ?? 0,
    );
    if (owner) throw conflict(`The DOI ${input.doi} belongs to another work.`);
  }
  const created = workId === null;
  if (created && !input.title) throw invalid('input.title', 'a new work needs a title.');
  const columns: Record<string, unknown> = {};
  if (input.title !== undefined) Object.assign(columns, { title: input.title, title_key: titleKey(input.title) });
  if (input.doi !== undefined) columns.doi = input.doi;
  if (input.publicationYear !== undefined) columns.publication_year = input.publicationYear;
  if (input.type !== undefined) columns.type = input.type;
  if (input.venue !== undefined) columns.venue = input.venue;
  if (input.url !== undefined) columns.url = input.url;
  const names = Object.keys(columns);
  const values = Object.values(columns);
  const cast = (name: string, index: number) => (name === 'type' ? `$${index}::"WorkType"` : `$${index}`);
  if (created) {
    const [row] = await query<{ id: number }>(
      tx,
      `INSERT INTO work (${[...names, 'sources', 'updated_at'].join(', ')})
       VALUES (${names.map((name, i) => cast(name, i + 1)).join(', ')}, ARRAY[$${names.length + 1}], now()) RETURNING id`,
      ...values,
      API_SOURCE,
    );
    workId = row?.id ?? 0;
  } else {
    const id = workId as number;
    const [before] = await query<{ year: number | null }>(
      tx,
      `SELECT publication_year AS year FROM work WHERE id = $1`,
      id,
    );
    await execute(
      tx,
      `UPDATE work SET ${names.map((name, i) => `${name} = ${cast(name, i + 2)}, `).join('')}
         sources = CASE WHEN $${names.length + 2} = ANY(sources) THEN sources ELSE sources || $${names.length + 2} END,
         updated_at = now()
       WHERE id = $1`,
      id,
      ...values,
      API_SOURCE,
    );
    // Works counted from their citation edges count each citation in the citing work's year.
    if (input.publicationYear !== undefined && input.publicationYear !== before?.year) {
      const cited = await query<{ id: number }>(tx, `SELECT cited_id AS id FROM citation WHERE citing_id = $1`, id);
      await refreshCitationCounts(
        tx,
        cited.map((row) => row.id),
      );
    }
  }
  if (input.authors) await replaceAuthors(tx, workId as number, input.authors);
  return { workId: workId as number, created };
}

async function replaceAuthors(tx: Tx, workId: number, authors: AuthorInput[]) {
  const before = await query<{ position: number; personId: number; nameKey: string }>(
    tx,
    `SELECT a.position, a.person_id AS "personId", p.name_key AS "nameKey"
     FROM authorship a JOIN person p ON p.id = a.person_id WHERE a.work_id = $1 ORDER BY a.position`,
    workId,
  );
  const people: number[] = [];
  for (const [index, author] of authors.entries()) {
    const field = `input.authors[${index}]`;
    if ('personId' in author) {
      await exists(tx, 'person', author.personId, `person with id ${author.personId} (${field})`);
      people.push(author.personId);
      continue;
    }
    const key = matchKey(author.name);
    if (author.orcid) {
      const [found] = await query<{ id: number }>(tx, `SELECT id FROM person WHERE orcid = $1`, author.orcid);
      if (found) {
        people.push(found.id);
        continue;
      }
    } else {
      // The same name at the same place in the list is the same person.
      const kept = before[index];
      if (kept && kept.nameKey === key) {
        people.push(kept.personId);
        continue;
      }
    }
    const [createdPerson] = await query<{ id: number }>(
      tx,
      `INSERT INTO person (name, name_key, other_names, orcid, sources, updated_at)
       VALUES ($1, $2, '{}', $3, ARRAY[$4], now()) RETURNING id`,
      author.name,
      key,
      author.orcid,
      API_SOURCE,
    );
    people.push(createdPerson?.id ?? 0);
  }
  const repeated = people.findIndex((id, index) => people.indexOf(id) !== index);
  if (repeated >= 0) throw invalid(`input.authors[${repeated}]`, 'the same person is named twice.');
  const unchanged = before.length === people.length && before.every((row, index) => row.personId === people[index]);
  if (unchanged) return;
  // Institutions given for a position belong to the author who stood there.
  await execute(
    tx,
    `DELETE FROM authorship_institution ai WHERE ai.work_id = $1
       AND NOT EXISTS (SELECT 1 FROM unnest($2::int[]) WITH ORDINALITY AS t(person_id, position)
                       JOIN authorship a ON a.work_id = $1 AND a.position = t.position AND a.person_id = t.person_id
                       WHERE t.position = ai.position)`,
    workId,
    people,
  );
  await execute(tx, `DELETE FROM authorship WHERE work_id = $1`, workId);
  await execute(
    tx,
    `INSERT INTO authorship (work_id, person_id, position)
     SELECT $1, person_id, position FROM unnest($2::int[]) WITH ORDINALITY AS t(person_id, position)`,
    workId,
    people,
  );
  await deriveAffiliations(tx, [...new Set([...before.map((row) => row.personId), ...people])]);
}

/** Stores that one work cites another; counters of the cited work follow. */
export async function addCitation(tx: Tx, citingId: number, citedId: number): Promise<{ created: boolean }> {
  if (citingId === citedId) throw invalid('input.citedId', 'a work does not cite itself.');
  await exists(tx, 'work', citingId, `work with id ${citingId} (input.citingId)`);
  await exists(tx, 'work', citedId, `work with id ${citedId} (input.citedId)`);
  const added = await execute(
    tx,
    `INSERT INTO citation (citing_id, cited_id, source) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    citingId,
    citedId,
    API_SOURCE,
  );
  if (added > 0) await refreshCitationCounts(tx, [citedId]);
  return { created: added > 0 };
}

/** A period: start (optional for affiliations), end, and whether it is over. */
export interface Period {
  startDate: Date | null;
  startPrecision: DatePrecision;
  endDate: Date | null;
  endPrecision: DatePrecision;
  ended: boolean;
}

export interface ContributionInput extends Period {
  personId: number;
  projectId: number;
  role: ContributionRole;
  evidence: string;
}

/**
 * Records a person's role in a project over a period. The same person, project, role and start
 * recorded again through the API updates the end and the evidence.
 */
export async function recordContribution(tx: Tx, input: ContributionInput): Promise<{ id: number; created: boolean }> {
  await exists(tx, 'person', input.personId, `person with id ${input.personId} (input.personId)`);
  await exists(tx, 'project', input.projectId, `project with id ${input.projectId} (input.projectId)`);
  const [row] = await query<{ id: number; created: boolean }>(
    tx,
    `INSERT INTO contribution (person_id, project_id, role, start_date, start_precision, end_date, end_precision, ended, source, evidence)
     VALUES ($1, $2, $3::"ContributionRole", $4::date, $5::"DatePrecision", $6::date, $7::"DatePrecision", $8, $9, $10)
     ON CONFLICT (person_id, project_id, role, start_date, source) DO UPDATE SET
       start_precision = EXCLUDED.start_precision, end_date = EXCLUDED.end_date, end_precision = EXCLUDED.end_precision,
       ended = EXCLUDED.ended, evidence = EXCLUDED.evidence
     RETURNING id, (xmax = 0) AS created`,
    input.personId,
    input.projectId,
    input.role,
    input.startDate,
    input.startPrecision,
    input.endDate,
    input.endDate ? input.endPrecision : null,
    input.ended,
    API_SOURCE,
    input.evidence,
  );
  return { id: row?.id ?? 0, created: row?.created ?? false };
}

export interface AffiliationInput extends Period {
  personId: number;
  organizationId: number;
  kind: AffiliationKind;
  title: string | null;
  unit: string | null;
  evidence: string;
}

/**
 * Records a person's position at an organization over a period. The same person, organization,
 * kind and start recorded again through the API updates that entry.
 */
export async function recordAffiliation(tx: Tx, input: AffiliationInput): Promise<{ id: number; created: boolean }> {
  await exists(tx, 'person', input.personId, `person with id ${input.personId} (input.personId)`);
  await exists(
    tx,
    'organization',
    input.organizationId,
    `organization with id ${input.organizationId} (input.organizationId)`,
  );
  const values = [
    input.personId,
    input.organizationId,
    input.kind,
    input.startDate,
    input.startDate ? input.startPrecision : null,
    input.endDate,
    input.endDate ? input.endPrecision : null,
    input.ended,
    API_SOURCE,
    input.evidence,
    input.title,
    input.unit,
  ];
  const [updated] = await query<{ id: number }>(
    tx,
    `UPDATE affiliation SET start_precision = $5::"DatePrecision", end_date = $6::date, end_precision = $7::"DatePrecision",
       ended = $8, evidence = $10, title = $11, unit = $12
     WHERE id = (SELECT id FROM affiliation WHERE person_id = $1 AND organization_id = $2 AND kind = $3::"AffiliationKind"
                   AND start_date IS NOT DISTINCT FROM $4::date AND source = $9 ORDER BY id LIMIT 1)
     RETURNING id`,
    ...values,
  );
  if (updated) return { id: updated.id, created: false };
  const [row] = await query<{ id: number }>(
    tx,
    `INSERT INTO affiliation (person_id, organization_id, kind, start_date, start_precision, end_date, end_precision, ended, source, evidence, title, unit)
     VALUES ($1, $2, $3::"AffiliationKind", $4::date, $5::"DatePrecision", $6::date, $7::"DatePrecision", $8, $9, $10, $11, $12)
     RETURNING id`,
    ...values,
  );
  return { id: row?.id ?? 0, created: true };
}

/** Records that a work describes or accompanies a project; the project's yearly figures follow. */
export async function linkWorkToProject(tx: Tx, workId: number, projectId: number): Promise<{ created: boolean }> {
  await exists(tx, 'work', workId, `work with id ${workId} (input.workId)`);
  await exists(tx, 'project', projectId, `project with id ${projectId} (input.projectId)`);
  const added = await execute(
    tx,
    `INSERT INTO work_project (work_id, project_id, source) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    workId,
    projectId,
    API_SOURCE,
  );
  return { created: added > 0 };
}
