import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { sqlState } from '../errors.js';
import type { DatePrecision } from '../generated/prisma/enums.js';
import { IdentityError, mergePeople, splitPerson } from '../ingest/identity.js';
import type { Tx } from '../ingest/sql.js';
import { normalizeDoi, normalizeOrcid } from '../services/identifiers.js';
import type { Scope } from '../services/keys.js';
import { currentYear } from '../services/periods.js';
import { dataChanged } from '../services/version.js';
import {
  type AuthorInput,
  addCitation,
  invalid,
  linkWorkToProject,
  notFound,
  type Period,
  recordAffiliation,
  recordContribution,
  upsertWork,
} from '../services/writes.js';
import { prismaSql } from '../sql.js';
import { loneSurrogate } from '../transport.js';
import { DatePrecisionEnum, idOf } from './common.js';
import { AffiliationKindEnum } from './organization.js';
import { ContributionRoleEnum } from './project.js';
import { WorkTypeEnum } from './work.js';

/**
 * The API's writes. Every mutation needs an API key (src/auth.ts refuses one without it before
 * validation): the WRITE scope for records, ADMIN for identity corrections. Inputs are checked
 * before anything is written, and a failed check names the field in `extensions.field`. Each
 * write is one transaction that moves the data version on, so cached answers stop at once.
 */

builder.mutationType({
  description:
    'Writes. Each needs an API key with the WRITE scope (mergePeople and splitPerson: ADMIN), sent as Authorization: Bearer <key>. A request with an Idempotency-Key header is answered once: sent again with the same key and body it returns the first answer.',
});

/** Most characters a free-text field may hold. */
export const TEXT_LIMITS = { title: 2000, name: 300, venue: 500, url: 2000, evidence: 2000, label: 500 } as const;

/** Most entries an input list may hold (authors, works to split off). */
export const LIST_LIMIT = 100;

function requireScope(ctx: Context, needed: Exclude<Scope, 'READ'>) {
  const viewer = ctx.viewer;
  if (!viewer) {
    throw new GraphQLError('Writes need an API key: send Authorization: Bearer <key>.', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  if (viewer.scope === 'READ' || (needed === 'ADMIN' && viewer.scope !== 'ADMIN')) {
    throw new GraphQLError(`This write needs an API key with the ${needed} scope.`, {
      extensions: { code: 'FORBIDDEN', http: { status: 403 } },
    });
  }
  return viewer;
}

/** Runs a write in one transaction, retried when PostgreSQL chose it as a deadlock or serialization victim. */
async function write<T>(ctx: Context, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await ctx.writer.$transaction(
        async (prismaTx) => {
          const tx = prismaSql(prismaTx);
          await dataChanged(tx);
          return work(tx);
        },
        { maxWait: 5_000, timeout: 10_000 },
      );
      await ctx.dataWritten?.();
      return result;
    } catch (error) {
      const state = sqlState(error);
      if (attempt < 3 && (state === '40001' || state === '40P01')) continue;
      throw error;
    }
  }
}

/** Free text: trimmed, not empty, at most `max` characters, no NUL and no unpaired surrogate. */
function text(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw invalid(field, 'must not be empty.');
  if (trimmed.length > max) throw invalid(field, `is ${trimmed.length} characters long; at most ${max}.`);
  if (trimmed.includes('\u0000')) throw invalid(field, 'must not contain the NUL character (U+0000).');
  if (loneSurrogate.test(trimmed)) throw invalid(field, 'is not valid Unicode (an unpaired surrogate).');
  return trimmed.normalize('NFC');
}

/** Optional free text: undefined stays undefined (unchanged), null stays null (cleared). */
const optionalText = (value: string | null | undefined, field: string, max: number) =>
  value == null ? value : text(value, field, max);

function year(value: number, field: string): number {
  const last = currentYear() + 1;
  if (value < 1000 || value > last) throw invalid(field, `${value} is not a year between 1000 and ${last}.`);
  return value;
}

function url(value: string | null | undefined, field: string) {
  const checked = optionalText(value, field, TEXT_LIMITS.url);
  if (checked && !/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(checked)) throw invalid(field, 'is not an http(s) URL.');
  return checked;
}

function idList(ids: readonly (string | number)[], typename: string, field: string): number[] {
  if (ids.length > LIST_LIMIT) throw invalid(field, `holds ${ids.length} entries; at most ${LIST_LIMIT}.`);
  return [...new Set(ids.map((id) => idOf(String(id), typename)))];
}

interface PeriodArgs {
  startDate?: Date | null;
  startPrecision?: DatePrecision | null;
  endDate?: Date | null;
  endPrecision?: DatePrecision | null;
  ended?: boolean | null;
}

/** A dated period: years 1000 to next year, the end not before the start; an end date means it is over. */
function period(input: PeriodArgs, startRequired: boolean): Period {
  const start = input.startDate ?? null;
  if (startRequired && !start) throw invalid('input.startDate', 'is required.');
  for (const [field, date] of [
    ['input.startDate', start],
    ['input.endDate', input.endDate ?? null],
  ] as const) {
    if (date) year(date.getUTCFullYear(), field);
  }
  const end = input.endDate ?? null;
  if (start && end && end < start) throw invalid('input.endDate', 'is before startDate.');
  if (end && input.ended === false) throw invalid('input.ended', 'cannot be false when endDate is given.');
  return {
    startDate: start,
    startPrecision: input.startPrecision ?? 'DAY',
    endDate: end,
    endPrecision: input.endPrecision ?? 'DAY',
    ended: end !== null || input.ended === true,
  };
}

const periodDescription =
  'Dates are YYYY-MM-DD; a precision of MONTH or YEAR says only the month or year is known (give its first day). An endDate means the period is over; without one, ended: true says it is over at an unknown date, and otherwise it is current.';

const AuthorInputRef = builder.inputType('AuthorInput', {
  description:
    'An author: a stored person (personId), or a person by ORCID (found, or created with the name), or by name alone (the person already at that place in the list when the names match, otherwise a new person).',
  fields: (t) => ({
    personId: t.id({ description: 'A Person id: that stored person.' }),
    name: t.string({ description: `At most ${TEXT_LIMITS.name} characters.` }),
    orcid: t.string({
      description: 'An ORCID iD (0000-0002-1825-0097, or its https://orcid.org/ form), check digit verified.',
    }),
  }),
});

function author(
  entry: { personId?: string | number | null; name?: string | null; orcid?: string | null },
  index: number,
): AuthorInput {
  const field = `input.authors[${index}]`;
  if (entry.personId != null) {
    if (entry.name != null || entry.orcid != null)
      throw invalid(field, 'give personId, or name (with orcid), not both.');
    return { personId: idOf(String(entry.personId), 'Person') };
  }
  if (entry.name == null) throw invalid(field, 'needs personId or name.');
  let orcid: string | null = null;
  if (entry.orcid != null) {
    orcid = normalizeOrcid(entry.orcid);
    if (!orcid)
      throw invalid(
        `${field}.orcid`,
        `"${entry.orcid.slice(0, 40)}" is not an ORCID iD (or its check digit is wrong).`,
      );
  }
  return { name: text(entry.name, `${field}.name`, TEXT_LIMITS.name), orcid };
}

builder.relayMutationField(
  'upsertWork',
  {
    description:
      'A work to create, or to update (found by id, or else by DOI). Fields left out are left as they are; null clears one.',
    inputFields: (t) => ({
      id: t.id({ description: 'The work to update.' }),
      doi: t.string({
        description:
          'Any common form (10.x/y, doi:…, https://doi.org/…); stored normalized. Finds the work to update when id is not given.',
      }),
      title: t.string({ description: `Required for a new work. At most ${TEXT_LIMITS.title} characters.` }),
      publicationYear: t.int({ description: 'From 1000 to next year.' }),
      type: t.field({ type: WorkTypeEnum, description: 'The kind of work; null clears it.' }),
      venue: t.string({ description: `At most ${TEXT_LIMITS.venue} characters.` }),
      url: t.string({ description: 'An http(s) URL.' }),
      authors: t.field({
        type: [AuthorInputRef],
        description: `The author list, in order; replaces the stored one. At most ${LIST_LIMIT}.`,
      }),
    }),
  },
  {
    description:
      "Creates or updates a work. A title alone is a valid new work. Changing the publication year recounts, for works counted from citation edges, the citations this work gives; the authors' and projects' yearly figures follow.",
    resolve: async (_root, { input }, ctx) => {
      requireScope(ctx, 'WRITE');
      let doi: string | null | undefined = input.doi;
      if (input.doi != null) {
        doi = normalizeDoi(input.doi);
        if (!doi) throw invalid('input.doi', `"${input.doi.slice(0, 100)}" is not a DOI (10.<registrant>/<suffix>).`);
      }
      if (input.title === null) throw invalid('input.title', 'a work keeps its title; it cannot be cleared.');
      if ((input.authors?.length ?? 0) > LIST_LIMIT) throw invalid('input.authors', `at most ${LIST_LIMIT} authors.`);
      const work = {
        ...(input.id != null ? { id: idOf(String(input.id), 'Work') } : {}),
        ...(doi !== undefined ? { doi } : {}),
        ...(input.title != null ? { title: text(input.title, 'input.title', TEXT_LIMITS.title) } : {}),
        ...(input.publicationYear !== undefined
          ? {
              publicationYear:
                input.publicationYear === null ? null : year(input.publicationYear, 'input.publicationYear'),
            }
          : {}),
        ...(input.type !== undefined ? { type: input.type } : {}),
        ...(input.venue !== undefined ? { venue: optionalText(input.venue, 'input.venue', TEXT_LIMITS.venue) } : {}),
        ...(input.url !== undefined ? { url: url(input.url, 'input.url') } : {}),
        ...(input.authors != null ? { authors: input.authors.map(author) } : {}),
      };
      return write(ctx, (tx) => upsertWork(tx, work));
    },
  },
  {
    description: 'What upsertWork wrote.',
    outputFields: (t) => ({
      work: t.prismaField({
        type: 'Work',
        description: 'The work as stored now.',
        resolve: (query, result, _args, ctx) =>
          ctx.writer.work.findUniqueOrThrow({ ...query, where: { id: result.workId } }),
      }),
      created: t.boolean({ description: 'True when the work is new.', resolve: (result) => result.created }),
    }),
  },
);

builder.relayMutationField(
  'addCitation',
  {
    description: 'A citation to store: one work citing another.',
    inputFields: (t) => ({
      citingId: t.id({ required: true, description: 'The work that cites.' }),
      citedId: t.id({ required: true, description: 'The work it cites.' }),
    }),
  },
  {
    description:
      "Stores that one work cites another (once: adding it again changes nothing). A cited work counted from citation edges gains the citation in its citationCount and in the citing work's publication year; one whose figures a source reported keeps them.",
    resolve: async (_root, { input }, ctx) => {
      requireScope(ctx, 'WRITE');
      const citingId = idOf(String(input.citingId), 'Work');
      const citedId = idOf(String(input.citedId), 'Work');
      const { created } = await write(ctx, (tx) => addCitation(tx, citingId, citedId));
      return { citingId, citedId, created };
    },
  },
  {
    description: 'What addCitation wrote.',
    outputFields: (t) => ({
      citing: t.prismaField({
        type: 'Work',
        description: 'The citing work.',
        resolve: (query, result, _args, ctx) =>
          ctx.writer.work.findUniqueOrThrow({ ...query, where: { id: result.citingId } }),
      }),
      cited: t.prismaField({
        type: 'Work',
        description: 'The cited work, its figures as they stand now.',
        resolve: (query, result, _args, ctx) =>
          ctx.writer.work.findUniqueOrThrow({ ...query, where: { id: result.citedId } }),
      }),
      created: t.boolean({
        description: 'False when the citation was stored already.',
        resolve: (result) => result.created,
      }),
    }),
  },
);

builder.relayMutationField(
  'recordContribution',
  {
    description: periodDescription,
    inputFields: (t) => ({
      personId: t.id({ required: true, description: 'A Person id: the contributor.' }),
      projectId: t.id({ required: true, description: 'A Project id.' }),
      role: t.field({ type: ContributionRoleEnum, required: true, description: 'The role held over the period.' }),
      startDate: t.field({ type: 'Date', required: true, description: 'When the period began.' }),
      startPrecision: t.field({ type: DatePrecisionEnum, description: 'DAY unless given.' }),
      endDate: t.field({ type: 'Date', description: 'When the period ended; left out while it runs.' }),
      endPrecision: t.field({ type: DatePrecisionEnum, description: 'DAY unless given.' }),
      ended: t.boolean({ description: 'True for a period that is over at an unknown date (no endDate).' }),
      evidence: t.string({
        required: true,
        description: `Where this comes from. At most ${TEXT_LIMITS.evidence} characters.`,
      }),
    }),
  },
  {
    description:
      "Records a person's role in a project over a period. Recording the same person, project, role and start date again updates the end and the evidence.",
    resolve: async (_root, { input }, ctx) => {
      requireScope(ctx, 'WRITE');
      const contribution = {
        personId: idOf(String(input.personId), 'Person'),
        projectId: idOf(String(input.projectId), 'Project'),
        role: input.role,
        evidence: text(input.evidence, 'input.evidence', TEXT_LIMITS.evidence),
        ...period(input, true),
      };
      return write(ctx, (tx) => recordContribution(tx, contribution));
    },
  },
  {
    description: 'What recordContribution wrote.',
    outputFields: (t) => ({
      contribution: t.prismaField({
        type: 'Contribution',
        description: 'The entry as stored now.',
        resolve: (query, result, _args, ctx) =>
          ctx.writer.contribution.findUniqueOrThrow({ ...query, where: { id: result.id } }),
      }),
      created: t.boolean({ description: 'False when an entry was updated.', resolve: (result) => result.created }),
    }),
  },
);

builder.relayMutationField(
  'recordAffiliation',
  {
    description: periodDescription,
    inputFields: (t) => ({
      personId: t.id({ required: true, description: 'A Person id: the person affiliated.' }),
      organizationId: t.id({ required: true, description: 'An Organization id.' }),
      kind: t.field({ type: AffiliationKindEnum, required: true, description: 'Study, job, internship or other.' }),
      title: t.string({ description: `Position or degree. At most ${TEXT_LIMITS.label} characters.` }),
      unit: t.string({ description: `Lab, team or department. At most ${TEXT_LIMITS.label} characters.` }),
      startDate: t.field({ type: 'Date', description: 'When the period began; left out when unknown.' }),
      startPrecision: t.field({ type: DatePrecisionEnum, description: 'DAY unless given.' }),
      endDate: t.field({ type: 'Date', description: 'When the period ended; left out while it runs.' }),
      endPrecision: t.field({ type: DatePrecisionEnum, description: 'DAY unless given.' }),
      ended: t.boolean({ description: 'True for a period that is over at an unknown date (no endDate).' }),
      evidence: t.string({
        required: true,
        description: `Where this comes from. At most ${TEXT_LIMITS.evidence} characters.`,
      }),
    }),
  },
  {
    description:
      "Records a person's position at an organization over a period. Recording the same person, organization, kind and start date again updates that entry.",
    resolve: async (_root, { input }, ctx) => {
      requireScope(ctx, 'WRITE');
      const affiliation = {
        personId: idOf(String(input.personId), 'Person'),
        organizationId: idOf(String(input.organizationId), 'Organization'),
        kind: input.kind,
        title: optionalText(input.title, 'input.title', TEXT_LIMITS.label) ?? null,
        unit: optionalText(input.unit, 'input.unit', TEXT_LIMITS.label) ?? null,
        evidence: text(input.evidence, 'input.evidence', TEXT_LIMITS.evidence),
        ...period(input, false),
      };
      return write(ctx, (tx) => recordAffiliation(tx, affiliation));
    },
  },
  {
    description: 'What recordAffiliation wrote.',
    outputFields: (t) => ({
      affiliation: t.prismaField({
        type: 'Affiliation',
        description: 'The entry as stored now.',
        resolve: (query, result, _args, ctx) =>
          ctx.writer.affiliation.findUniqueOrThrow({ ...query, where: { id: result.id } }),
      }),
      created: t.boolean({ description: 'False when an entry was updated.', resolve: (result) => result.created }),
    }),
  },
);

builder.relayMutationField(
  'linkWorkToProject',
  {
    description: 'A work and the project it describes or accompanies.',
    inputFields: (t) => ({
      workId: t.id({ required: true, description: 'A Work id.' }),
      projectId: t.id({ required: true, description: 'A Project id.' }),
    }),
  },
  {
    description:
      "Records that a work describes or accompanies a project (e.g. the Caffe paper and Caffe); the project's works and yearly citation figures include it from then on.",
    resolve: async (_root, { input }, ctx) => {
      requireScope(ctx, 'WRITE');
      const workId = idOf(String(input.workId), 'Work');
      const projectId = idOf(String(input.projectId), 'Project');
      const { created } = await write(ctx, (tx) => linkWorkToProject(tx, workId, projectId));
      return { workId, projectId, created };
    },
  },
  {
    description: 'What linkWorkToProject wrote.',
    outputFields: (t) => ({
      work: t.prismaField({
        type: 'Work',
        description: 'The work.',
        resolve: (query, result, _args, ctx) =>
          ctx.writer.work.findUniqueOrThrow({ ...query, where: { id: result.workId } }),
      }),
      project: t.prismaField({
        type: 'Project',
        description: 'The project, its works and figures as they stand now.',
        resolve: (query, result, _args, ctx) =>
          ctx.writer.project.findUniqueOrThrow({ ...query, where: { id: result.projectId } }),
      }),
      created: t.boolean({
        description: 'False when the link was stored already.',
        resolve: (result) => result.created,
      }),
    }),
  },
);

/** An identity correction's own failures are the caller's to fix. */
async function correcting<T>(ctx: Context, correction: () => Promise<T>): Promise<T> {
  try {
    const result = await correction();
    await ctx.dataWritten?.();
    return result;
  } catch (error) {
    if (error instanceof IdentityError) {
      throw /^No person/.test(error.message) ? notFound(error.message.slice(3, -1)) : invalid('input', error.message);
    }
    throw error;
  }
}

builder.relayMutationField(
  'mergePeople',
  {
    description: 'Two stored people who are one person.',
    inputFields: (t) => ({
      keepId: t.id({ required: true, description: 'The person who stays.' }),
      otherId: t.id({ required: true, description: 'The person merged into them, then deleted.' }),
    }),
  },
  {
    description:
      'Merges two stored people who are one person (ADMIN scope): authorships, affiliations, contributions, project history and reported metrics of the other move to the one kept, who also takes the identifiers and names they lack. Recorded as an identity event; undone with splitPerson.',
    resolve: async (_root, { input }, ctx) => {
      const viewer = requireScope(ctx, 'ADMIN');
      const keepId = idOf(String(input.keepId), 'Person');
      const otherId = idOf(String(input.otherId), 'Person');
      const detail = await correcting(ctx, () => mergePeople(ctx.writer, keepId, otherId, `API key "${viewer.name}"`));
      return { personId: keepId, detail };
    },
  },
  {
    description: 'What mergePeople did.',
    outputFields: (t) => ({
      person: t.prismaField({
        type: 'Person',
        description: 'The person kept, with what was merged in.',
        resolve: (query, result, _args, ctx) =>
          ctx.writer.person.findUniqueOrThrow({ ...query, where: { id: result.personId } }),
      }),
      detail: t.string({
        description: 'What was done, as the identity event records it.',
        resolve: (result) => result.detail,
      }),
    }),
  },
);

builder.relayMutationField(
  'splitPerson',
  {
    description: 'A person who is two, and what moves to the new person.',
    inputFields: (t) => ({
      personId: t.id({ required: true, description: 'A Person id: the person to split.' }),
      workIds: t.idList({ description: `Works whose authorship moves to the new person. At most ${LIST_LIMIT}.` }),
      projectIds: t.idList({
        description: 'Projects whose history (monthly activity, contributions) moves to the new person.',
      }),
    }),
  },
  {
    description:
      'Splits a person who is two (ADMIN scope): a new person of the same name takes the authorships of workIds and the history in projectIds. Recorded as identity events on both; imports keep the split.',
    resolve: async (_root, { input }, ctx) => {
      const viewer = requireScope(ctx, 'ADMIN');
      const personId = idOf(String(input.personId), 'Person');
      const moves = {
        workIds: idList(input.workIds ?? [], 'Work', 'input.workIds'),
        projectIds: idList(input.projectIds ?? [], 'Project', 'input.projectIds'),
      };
      const { newId, detail } = await correcting(ctx, () =>
        splitPerson(ctx.writer, personId, moves, `API key "${viewer.name}"`),
      );
      return { personId, newId, detail };
    },
  },
  {
    description: 'What splitPerson did.',
    outputFields: (t) => ({
      person: t.prismaField({
        type: 'Person',
        description: 'The person split, with what stayed.',
        resolve: (query, result, _args, ctx) =>
          ctx.writer.person.findUniqueOrThrow({ ...query, where: { id: result.personId } }),
      }),
      newPerson: t.prismaField({
        type: 'Person',
        description: 'The new person, with what moved.',
        resolve: (query, result, _args, ctx) =>
          ctx.writer.person.findUniqueOrThrow({ ...query, where: { id: result.newId } }),
      }),
      detail: t.string({
        description: 'What was done, as the identity events record it.',
        resolve: (result) => result.detail,
      }),
    }),
  },
);
