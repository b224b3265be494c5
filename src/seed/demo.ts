import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type {
  AffiliationKind,
  ContributionRole,
  DatePrecision,
  PrismaClient,
  ProjectKind,
  WorkType,
} from '../generated/prisma/client.js';
import { openalexWorkType } from '../ingest/formats/openalex.js';
import { openalexJob } from '../ingest/importers.js';
import { LINK_SOURCE, linkPeople } from '../ingest/links.js';
import { importThroughPrisma } from '../ingest/run.js';
import { refreshCitationCounts } from '../services/counts.js';
import { matchKey, normalizeDoi, normalizeOrcid } from '../services/identifiers.js';
import { prismaSql } from '../sql.js';

/**
 * Loads the real demo dataset in data/demo/ (see data/demo/SOURCES.md): ML papers with their
 * Semantic Scholar figures and reference edges, two OpenAlex works, monthly git activity of six
 * framework repositories, the facts of the seed article about Yangqing Jia, then 824 collected
 * OpenAlex works through the OpenAlex importer, and last the links between git and paper
 * identities of one person (src/ingest/links.ts).
 *
 * Safe to run again: rows with a natural key are inserted with skipDuplicates (ON CONFLICT DO
 * NOTHING), and works, people and affiliations that already exist are looked up and reused.
 *
 * Most tables go in through createMany in chunks. The three bulk ones (people, monthly activity,
 * contributions: about 15,000 rows) are each one INSERT ... SELECT FROM unnest(column arrays):
 * Prisma's createMany spends about 0.3 ms of JavaScript per row before the statement reaches the
 * database, which made the seed take 9 s on PGlite instead of 3 s.
 */

const demoDir = new URL('../../data/demo/', import.meta.url);

const S2_NOTES = 'semantic-scholar via paper-reading-2';
const S2 = 'semantic-scholar';
const OPENALEX = 'openalex';
const GIT = 'git-history';
/** Real OpenAlex works collected from public repositories' fixtures (SOURCES.md), loaded by the importer. */
const COLLECTED_OPENALEX = 'openalex-collected-works.jsonl';
/** The date of the paper-reading-2 snapshot whose notes carry the Semantic Scholar figures. */
const S2_RETRIEVED_ON = new Date(Date.UTC(2022, 6, 6));
/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters for every table here. */
const CHUNK = 1000;

export interface DemoCounts {
  /** Works with a record of their own (not the minimal works held for references). */
  works: number;
  people: number;
  citations: number;
  projects: number;
  contributions: number;
  activityRows: number;
}

// ---------------------------------------------------------------------------------------------
// Input formats

const mlPaperSchema = z.object({
  meta_key: z.string().min(1),
  title: z.string().min(1),
  authors: z.array(z.string()).nullable(),
  year: z.number().int().nullable(),
  venue: z.string().nullable(),
  numCitedBy: z.number().int().nullable(),
});
type MlPaper = z.infer<typeof mlPaperSchema>;

const openalexWorkSchema = z.object({
  id: z.string().regex(/^https:\/\/openalex\.org\/W\d+$/),
  doi: z.string().nullable(),
  title: z.string().nullable(),
  publication_year: z.number().int().nullable(),
  publication_date: z.string().nullable().optional(),
  type: z.string().nullable().optional(),
  cited_by_count: z.number().int(),
  counts_by_year: z.array(z.object({ year: z.number().int(), cited_by_count: z.number().int() })),
  referenced_works: z.array(z.string()),
  updated_date: z.string().regex(/^\d{4}-\d{2}-\d{2}/),
  authorships: z.array(
    z.object({
      author: z.object({
        id: z.string().nullable(),
        display_name: z.string(),
        orcid: z.string().nullable().optional(),
      }),
      raw_affiliation_strings: z.array(z.string()).optional(),
    }),
  ),
});
type OpenalexWork = z.infer<typeof openalexWorkSchema>;

const partialDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date is YYYY, YYYY-MM or YYYY-MM-DD');
const factsSchema = z.object({
  person: z.object({ name: z.string(), otherNames: z.array(z.string()), source: z.string() }),
  organizations: z.array(z.object({ slug: z.string(), name: z.string() })),
  affiliations: z.array(
    z.object({
      organization: z.string(),
      kind: z.enum(['EDUCATION', 'EMPLOYMENT', 'INTERNSHIP', 'OTHER'] satisfies AffiliationKind[]),
      title: z.string().optional(),
      unit: z.string().optional(),
      start: partialDate.optional(),
      end: partialDate.optional(),
      ended: z.boolean(),
      /** "reported": the source gives the position as reported, not confirmed. */
      status: z.literal('reported').optional(),
      source: z.string(),
      evidence: z.string(),
    }),
  ),
  projects: z.array(
    z.object({
      slug: z.string(),
      name: z.string(),
      kind: z.enum(['FRAMEWORK', 'LIBRARY', 'FORMAT'] satisfies ProjectKind[]),
      description: z.string().optional(),
      repositoryUrl: z.string().url(),
      source: z.string(),
    }),
  ),
  contributions: z.array(
    z.object({
      project: z.string(),
      role: z.enum(['CREATOR', 'LEAD', 'MAINTAINER', 'CONTRIBUTOR'] satisfies ContributionRole[]),
      start: partialDate.optional(),
      end: partialDate.optional(),
      /** The start is the first month with commits by the person in the project's git history. */
      startFromGitActivity: z.literal('first').optional(),
      /** The end is the last month with commits by the person in the project's git history. */
      endFromGitActivity: z.literal('last').optional(),
      ended: z.boolean(),
      source: z.string(),
      evidence: z.string(),
    }),
  ),
  personMetrics: z.array(
    z.object({
      source: z.string(),
      sourceRecord: z.string(),
      retrievedOn: partialDate,
      citationCount: z.number().int().optional(),
      hIndex: z.number().int().optional(),
      i10Index: z.number().int().optional(),
    }),
  ),
  workProjects: z.array(z.object({ mlPaper: z.string(), project: z.string(), source: z.string() })),
});
type Facts = z.infer<typeof factsSchema>;

interface GitRow {
  repo: string;
  name: string;
  year: number;
  month: number;
  commits: number;
  linesAdded: number;
  linesDeleted: number;
}

async function readDemoFile(name: string): Promise<string> {
  return readFile(new URL(name, demoDir), 'utf8');
}

function parseJsonLines<T>(text: string, schema: z.ZodType<T>, file: string): T[] {
  const records: T[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = schema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file} line ${index + 1}: ${z.prettifyError(parsed.error)}`);
    records.push(parsed.data);
  });
  return records;
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF); the first row names the columns. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  if (!header) return [];
  return body.map((cells, index) => {
    if (cells.length !== header.length)
      throw new Error(`CSV row ${index + 2} has ${cells.length} fields, expected ${header.length}`);
    return Object.fromEntries(header.map((column, at) => [column, cells[at] ?? '']));
  });
}

function toInt(text: string | undefined, what: string): number {
  const value = Number(text);
  if (text === undefined || text === '' || !Number.isInteger(value))
    throw new Error(`${what}: not a whole number: ${String(text)}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Keys and dates

interface PartialDate {
  date: Date;
  precision: DatePrecision;
}

/** "2016" -> YEAR, "2013-12" -> MONTH, "2019-03-08" -> DAY; the date is the first day of the period. */
function partial(text: string): PartialDate {
  const [year, month, day] = text.split('-').map(Number);
  if (year === undefined) throw new Error(`Not a date: ${text}`);
  const precision: DatePrecision = day !== undefined ? 'DAY' : month !== undefined ? 'MONTH' : 'YEAR';
  return { date: new Date(Date.UTC(year, (month ?? 1) - 1, day ?? 1)), precision };
}

const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month - 1, 1));
const monthLabel = (date: Date) => date.toISOString().slice(0, 7);
const isoDate = (date: Date) => date.toISOString().slice(0, 10);
const shortOpenalexId = (url: string) => url.replace(/^https:\/\/openalex\.org\//, '');

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---------------------------------------------------------------------------------------------
// The dataset in memory

interface ReportedDraft {
  source: string;
  sourceRecord: string;
  retrievedOn: Date;
  total: number;
  years: { year: number; count: number }[];
}

interface WorkDraft {
  title: string;
  titleKey: string;
  publicationYear: number | null;
  publicationDate: Date | null;
  type: WorkType | null;
  venue: string | null;
  doi: string | null;
  openalexId: string | null;
  arxivId: string | null;
  sources: string[];
  authors: { name: string; position: number; affiliation: string | null }[];
  reported: ReportedDraft[];
}

interface PersonDraft {
  name: string;
  nameKey: string;
  otherNames: string[];
  openalexIds: Set<string>;
  orcids: Set<string>;
  sources: Set<string>;
}

const workIdentity = (titleKey: string, year: number | null) => `${titleKey}|${year ?? ''}`;

class People {
  readonly byName = new Map<string, PersonDraft>();

  add(name: string, source: string): PersonDraft {
    let person = this.byName.get(name);
    if (!person) {
      person = {
        name,
        nameKey: matchKey(name),
        otherNames: [],
        openalexIds: new Set(),
        orcids: new Set(),
        sources: new Set(),
      };
      this.byName.set(name, person);
    }
    person.sources.add(source);
    return person;
  }

  /** An external id is kept only when it names one person and the person has only that id. */
  resolved(pick: (person: PersonDraft) => Set<string>): Map<string, string> {
    const holders = new Map<string, number>();
    for (const person of this.byName.values())
      for (const id of pick(person)) holders.set(id, (holders.get(id) ?? 0) + 1);
    const result = new Map<string, string>();
    for (const person of this.byName.values()) {
      const [id, ...others] = pick(person);
      if (id !== undefined && others.length === 0 && holders.get(id) === 1) result.set(person.name, id);
    }
    return result;
  }
}

function buildWorks(papers: MlPaper[], openalex: OpenalexWork[], people: People, log: (line: string) => void) {
  const works: WorkDraft[] = [];
  const byMetaKey = new Map<string, WorkDraft>();
  const byIdentity = new Map<string, WorkDraft[]>();

  for (const paper of papers) {
    if (!paper.authors) {
      log(`skipped ml-papers.jsonl#${paper.meta_key}: no authors`);
      continue;
    }
    // The notes write ":" as " - " (no title in them has a colon), but a real " - " cannot be told
    // apart, so titles stay as given; the OpenAlex title replaces it when the two records match.
    const titleKey = matchKey(paper.title);
    const seen = new Set<string>();
    const work: WorkDraft = {
      title: paper.title,
      titleKey,
      publicationYear: paper.year,
      publicationDate: null,
      type: null,
      venue: paper.venue?.trim() || null,
      doi: null,
      openalexId: null,
      arxivId: null,
      sources: [S2_NOTES],
      authors: paper.authors.flatMap((name, index) => {
        if (seen.has(name)) return [];
        seen.add(name);
        people.add(name, S2_NOTES);
        return [{ name, position: index + 1, affiliation: null }];
      }),
      reported:
        paper.numCitedBy === null
          ? []
          : [
              {
                source: S2,
                sourceRecord: `ml-papers.jsonl#${paper.meta_key}`,
                retrievedOn: S2_RETRIEVED_ON,
                total: paper.numCitedBy,
                years: [],
              },
            ],
    };
    works.push(work);
    byMetaKey.set(paper.meta_key, work);
    const identity = workIdentity(titleKey, paper.year);
    byIdentity.set(identity, [...(byIdentity.get(identity) ?? []), work]);
  }

  const byOpenalexId = new Map<string, WorkDraft>();
  for (const record of openalex) {
    const openalexId = shortOpenalexId(record.id);
    const doi = normalizeDoi(record.doi);
    const titleKey = matchKey(record.title ?? '');
    const candidates = titleKey ? (byIdentity.get(workIdentity(titleKey, record.publication_year)) ?? []) : [];
    const reported: ReportedDraft = {
      source: OPENALEX,
      sourceRecord: `openalex-works.jsonl#${openalexId}`,
      retrievedOn: new Date(`${record.updated_date.slice(0, 10)}T00:00:00Z`),
      total: record.cited_by_count,
      years: record.counts_by_year.map((entry) => ({ year: entry.year, count: entry.cited_by_count })),
    };
    const fields = {
      doi,
      openalexId,
      arxivId: doi?.match(/^10\.48550\/arxiv\.(.+)$/)?.[1] ?? null,
      type: openalexWorkType(record.type),
      publicationDate: record.publication_date ? new Date(`${record.publication_date}T00:00:00Z`) : null,
    };
    const [match, ...more] = candidates;
    if (match && more.length === 0) {
      Object.assign(match, fields);
      if (record.title) match.title = record.title;
      match.sources.push(OPENALEX);
      match.reported.push(reported);
      // Keep the paper's author list; give its people the OpenAlex author id where the names agree.
      const authorsByFold = new Map<string, string[]>();
      for (const author of match.authors) {
        const fold = matchKey(author.name);
        authorsByFold.set(fold, [...(authorsByFold.get(fold) ?? []), author.name]);
      }
      const openalexByFold = new Map<string, string[]>();
      for (const authorship of record.authorships) {
        if (!authorship.author.id) continue;
        const fold = matchKey(authorship.author.display_name);
        openalexByFold.set(fold, [...(openalexByFold.get(fold) ?? []), shortOpenalexId(authorship.author.id)]);
      }
      for (const [fold, ids] of openalexByFold) {
        const names = authorsByFold.get(fold);
        const [name] = names ?? [];
        const [id] = ids;
        if (name === undefined || id === undefined || names?.length !== 1 || ids.length !== 1) continue;
        const person = people.add(name, OPENALEX);
        person.openalexIds.add(id);
      }
      byOpenalexId.set(openalexId, match);
      continue;
    }
    if (more.length > 0)
      log(
        `openalex-works.jsonl#${openalexId}: ${candidates.length} papers share its title and year; loaded as a work of its own`,
      );
    const work: WorkDraft = {
      title: record.title ?? '',
      titleKey,
      publicationYear: record.publication_year,
      venue: null,
      ...fields,
      sources: [OPENALEX],
      authors: [],
      reported: [reported],
    };
    const seen = new Set<string>();
    record.authorships.forEach((authorship, index) => {
      const name = authorship.author.display_name;
      if (seen.has(name)) return;
      seen.add(name);
      const person = people.add(name, OPENALEX);
      if (authorship.author.id) person.openalexIds.add(shortOpenalexId(authorship.author.id));
      const orcid = normalizeOrcid(authorship.author.orcid);
      if (orcid) person.orcids.add(orcid);
      const affiliation = authorship.raw_affiliation_strings?.join('; ') || null;
      work.authors.push({ name, position: index + 1, affiliation });
    });
    works.push(work);
    byOpenalexId.set(openalexId, work);
  }
  return { works, byMetaKey, byOpenalexId };
}

interface ActivityDraft {
  slug: string;
  repo: string;
  name: string;
  month: Date;
  commits: number;
  linesAdded: number;
  linesDeleted: number;
}

interface ContributionRow {
  personId: number;
  projectId: number;
  role: ContributionRole;
  startDate: Date;
  startPrecision: DatePrecision;
  endDate: Date | null;
  endPrecision: DatePrecision | null;
  ended: boolean;
  source: string;
  evidence: string;
}

interface Involvement {
  slug: string;
  repo: string;
  name: string;
  commits: number;
  first: Date;
  last: Date;
}

function buildActivity(rows: GitRow[], repoToSlug: Map<string, string>, people: People, log: (line: string) => void) {
  const activity = new Map<string, ActivityDraft>();
  const skipped = new Map<string, number>();
  const unattributed = new Map<string, ActivityDraft>();
  for (const row of rows) {
    const slug = repoToSlug.get(row.repo);
    if (!slug)
      throw new Error(`git-contributions-monthly.csv: no project in facts.json has the repository ${row.repo}`);
    // A handful of commits carry no usable author name ("" or "="): they count in the project's
    // activity, credited to nobody.
    const named = /[\p{L}\p{N}]/u.test(row.name);
    if (!named) skipped.set(row.name, (skipped.get(row.name) ?? 0) + 1);
    else people.add(row.name, GIT);
    const month = monthStart(row.year, row.month);
    // The CSV has one row per author email domain; the database keeps one per person and month.
    const key = `${slug}\u0000${row.name}\u0000${month.getTime()}`;
    const drafts = named ? activity : unattributed;
    const entry = drafts.get(key);
    if (entry) {
      entry.commits += row.commits;
      entry.linesAdded += row.linesAdded;
      entry.linesDeleted += row.linesDeleted;
    } else
      drafts.set(key, {
        slug,
        repo: row.repo,
        name: row.name,
        month,
        commits: row.commits,
        linesAdded: row.linesAdded,
        linesDeleted: row.linesDeleted,
      });
  }
  for (const [name, count] of skipped)
    log(`${count} git-contributions-monthly.csv rows with the author name ${JSON.stringify(name)} credit nobody`);

  const involvement = new Map<string, Involvement>();
  const projectStart = new Map<string, Date>();
  for (const entry of activity.values()) {
    const key = `${entry.slug}\u0000${entry.name}`;
    const current = involvement.get(key);
    if (!current)
      involvement.set(key, {
        slug: entry.slug,
        repo: entry.repo,
        name: entry.name,
        commits: entry.commits,
        first: entry.month,
        last: entry.month,
      });
    else {
      current.commits += entry.commits;
      if (entry.month < current.first) current.first = entry.month;
      if (entry.month > current.last) current.last = entry.month;
    }
    const start = projectStart.get(entry.slug);
    if (!start || entry.month < start) projectStart.set(entry.slug, entry.month);
  }
  return { activity: [...activity.values()], unattributed: [...unattributed.values()], involvement, projectStart };
}

// ---------------------------------------------------------------------------------------------
// Writing

async function timed<T>(
  log: (line: string) => void,
  label: string,
  step: () => Promise<{ result: T; note: string }>,
): Promise<T> {
  const started = performance.now();
  const { result, note } = await step();
  log(`${label}: ${note} (${Math.round(performance.now() - started)} ms)`);
  return result;
}

export async function seedDemo(
  prisma: PrismaClient,
  log: (line: string) => void = () => undefined,
): Promise<DemoCounts> {
  const started = performance.now();
  const [papersText, referencesText, openalexText, gitText, factsText] = await Promise.all([
    readDemoFile('ml-papers.jsonl'),
    readDemoFile('ml-references.csv'),
    readDemoFile('openalex-works.jsonl'),
    readDemoFile('git-contributions-monthly.csv'),
    readDemoFile('facts.json'),
  ]);
  const papers = parseJsonLines(papersText, mlPaperSchema, 'ml-papers.jsonl');
  const openalex = parseJsonLines(openalexText, openalexWorkSchema, 'openalex-works.jsonl');
  const factsParsed = factsSchema.safeParse(JSON.parse(factsText));
  if (!factsParsed.success) throw new Error(`facts.json: ${z.prettifyError(factsParsed.error)}`);
  const facts: Facts = factsParsed.data;
  const references = parseCsv(referencesText);
  const gitRows: GitRow[] = parseCsv(gitText).map((row, index) => {
    const what = `git-contributions-monthly.csv row ${index + 2}`;
    return {
      repo: row.repo ?? '',
      name: row.author_name ?? '',
      year: toInt(row.year, what),
      month: toInt(row.month, what),
      commits: toInt(row.commits, what),
      linesAdded: toInt(row.lines_added, what),
      linesDeleted: toInt(row.lines_deleted, what),
    };
  });

  const people = new People();
  const { works, byMetaKey, byOpenalexId } = buildWorks(papers, openalex, people, log);

  const repoToSlug = new Map(
    facts.projects.map((project) => [new URL(project.repositoryUrl).pathname.replace(/^\/|\/$/g, ''), project.slug]),
  );
  const { activity, unattributed, involvement, projectStart } = buildActivity(gitRows, repoToSlug, people, log);

  const subject = people.add(facts.person.name, facts.person.source);
  subject.otherNames = facts.person.otherNames;

  const openalexIds = people.resolved((person) => person.openalexIds);
  const orcids = people.resolved((person) => person.orcids);
  log(
    `read ${papers.length} papers, ${openalex.length} OpenAlex works, ${references.length} reference rows, ${gitRows.length} git rows (${Math.round(performance.now() - started)} ms)`,
  );

  // People: one per exact name; existing ones (an earlier run) are reused.
  const personIds = await timed(log, 'people', async () => {
    const names = [...people.byName.keys()];
    const findIds = async () => {
      // One array parameter: a findMany with a 3,000-name `in` list costs Prisma seconds here.
      const rows = await prisma.$queryRaw<{ id: number; name: string }[]>`
        SELECT id, name FROM person WHERE name = ANY(${names}::text[]) ORDER BY id`;
      const ids = new Map<string, number>();
      for (const row of rows) if (!ids.has(row.name)) ids.set(row.name, row.id);
      return ids;
    };
    const existing = await findIds();
    const missing = [...people.byName.values()].filter((person) => !existing.has(person.name));
    await prisma.$executeRaw`
      INSERT INTO person (name, name_key, other_names, openalex_id, orcid, sources, updated_at)
      SELECT v.name, v.name_key, ARRAY(SELECT jsonb_array_elements_text(v.other_names::jsonb)), v.openalex_id, v.orcid,
             ARRAY(SELECT jsonb_array_elements_text(v.sources::jsonb)), now()
      FROM unnest(
        ${missing.map((person) => person.name)}::text[],
        ${missing.map((person) => person.nameKey)}::text[],
        ${missing.map((person) => JSON.stringify(person.otherNames))}::text[],
        ${missing.map((person) => openalexIds.get(person.name) ?? null)}::text[],
        ${missing.map((person) => orcids.get(person.name) ?? null)}::text[],
        ${missing.map((person) => JSON.stringify([...person.sources]))}::text[]
      ) AS v(name, name_key, other_names, openalex_id, orcid, sources)
      ON CONFLICT DO NOTHING`;
    return { result: await findIds(), note: `${people.byName.size} (${missing.length} new)` };
  });
  const personId = (name: string) => {
    const id = personIds.get(name);
    if (id === undefined) throw new Error(`Person ${name} was not stored`);
    return id;
  };

  // Works: matched by OpenAlex id, else by title key and year, so a second run finds the first run's rows.
  const workIds = await timed(log, 'works', async () => {
    const findIds = async () => {
      const ids = new Map<WorkDraft, number>();
      const byOpenalex = new Map<string, number>();
      const byIdentityId = new Map<string, number>();
      for (const part of chunks(works)) {
        const rows = await prisma.work.findMany({
          where: {
            OR: [
              { openalexId: { in: part.flatMap((work) => (work.openalexId ? [work.openalexId] : [])) } },
              { titleKey: { in: part.map((work) => work.titleKey) } },
            ],
          },
          select: { id: true, openalexId: true, titleKey: true, publicationYear: true },
          orderBy: { id: 'asc' },
        });
        for (const row of rows) {
          if (row.openalexId) byOpenalex.set(row.openalexId, row.id);
          const identity = workIdentity(row.titleKey ?? '', row.publicationYear);
          if (!byIdentityId.has(identity)) byIdentityId.set(identity, row.id);
        }
      }
      for (const work of works) {
        const id =
          (work.openalexId ? byOpenalex.get(work.openalexId) : undefined) ??
          byIdentityId.get(workIdentity(work.titleKey, work.publicationYear));
        if (id !== undefined) ids.set(work, id);
      }
      return ids;
    };
    const existing = await findIds();
    const missing = works.filter((work) => !existing.has(work));
    await prisma.$transaction(
      chunks(missing).map((part) =>
        prisma.work.createMany({
          data: part.map((work) => ({
            title: work.title,
            titleKey: work.titleKey,
            publicationYear: work.publicationYear,
            publicationDate: work.publicationDate,
            type: work.type,
            venue: work.venue,
            doi: work.doi,
            openalexId: work.openalexId,
            arxivId: work.arxivId,
            sources: work.sources,
          })),
          skipDuplicates: true,
        }),
      ),
    );
    const ids = await findIds();
    const lost = works.filter((work) => !ids.has(work));
    if (lost.length > 0) throw new Error(`${lost.length} works were not stored, e.g. ${lost[0]?.title}`);
    return { result: ids, note: `${works.length} (${missing.length} new)` };
  });
  const workId = (work: WorkDraft) => workIds.get(work) as number;

  await timed(log, 'authorships', async () => {
    const data = works.flatMap((work) =>
      work.authors.map((author) => ({
        workId: workId(work),
        personId: personId(author.name),
        position: author.position,
        affiliation: author.affiliation,
      })),
    );
    await prisma.$transaction(
      chunks(data).map((part) => prisma.authorship.createMany({ data: part, skipDuplicates: true })),
    );
    return { result: data.length, note: `${data.length}` };
  });

  await timed(log, 'reported counts', async () => {
    const drafts = works.flatMap((work) => work.reported.map((reported) => ({ workId: workId(work), reported })));
    await prisma.$transaction(
      chunks(drafts).map((part) =>
        prisma.reportedCount.createMany({
          data: part.map(({ workId: id, reported }) => ({
            workId: id,
            source: reported.source,
            sourceRecord: reported.sourceRecord,
            retrievedOn: reported.retrievedOn,
            total: reported.total,
          })),
          skipDuplicates: true,
        }),
      ),
    );
    const withYears = drafts.filter((draft) => draft.reported.years.length > 0);
    const stored = await prisma.reportedCount.findMany({
      where: { workId: { in: withYears.map((draft) => draft.workId) } },
      select: { id: true, workId: true, source: true, retrievedOn: true },
    });
    const idOf = new Map(stored.map((row) => [`${row.workId}|${row.source}|${row.retrievedOn.getTime()}`, row.id]));
    const years = withYears.flatMap(({ workId: id, reported }) => {
      const reportedCountId = idOf.get(`${id}|${reported.source}|${reported.retrievedOn.getTime()}`);
      if (reportedCountId === undefined) throw new Error(`Reported count ${reported.sourceRecord} was not stored`);
      return reported.years.map((entry) => ({ reportedCountId, year: entry.year, count: entry.count }));
    });
    await prisma.$transaction(
      chunks(years).map((part) => prisma.reportedYearlyCount.createMany({ data: part, skipDuplicates: true })),
    );
    return { result: drafts.length, note: `${drafts.length}, ${years.length} yearly rows` };
  });

  const citations = await timed(log, 'citations', async () => {
    const edges = new Map<string, { citingId: number; citedId: number; source: string }>();
    let selfCitations = 0;
    let outside = 0;
    const addEdge = (citing: WorkDraft, cited: WorkDraft, source: string) => {
      const citingId = workId(citing);
      const citedId = workId(cited);
      // Two notes list their own title among their references (the journal version citing the
      // conference version, both filed under one note); a work does not cite itself.
      if (citingId === citedId) {
        selfCitations++;
        return;
      }
      const key = `${citingId}|${citedId}`;
      if (!edges.has(key)) edges.set(key, { citingId, citedId, source });
    };
    for (const row of references) {
      const citing = byMetaKey.get(row.citing_meta_key ?? '');
      const cited = byMetaKey.get(row.cited_meta_key ?? '');
      if (citing && cited) addEdge(citing, cited, S2_NOTES);
      else outside++;
    }
    for (const record of openalex) {
      const citing = byOpenalexId.get(shortOpenalexId(record.id));
      if (!citing) continue;
      for (const reference of record.referenced_works) {
        const cited = byOpenalexId.get(shortOpenalexId(reference));
        if (cited) addEdge(citing, cited, OPENALEX);
      }
    }
    const data = [...edges.values()];
    await prisma.$transaction(
      chunks(data).map((part) => prisma.citation.createMany({ data: part, skipDuplicates: true })),
    );
    if (selfCitations > 0) log(`skipped ${selfCitations} reference rows in which a paper cites itself`);
    if (outside > 0) log(`skipped ${outside} reference rows that name a paper outside the demo set`);
    return { result: data.length, note: `${data.length} edges` };
  });

  const { organizationIds, projectIds } = await timed(log, 'organizations and projects', async () => {
    await prisma.$transaction([
      prisma.organization.createMany({
        data: facts.organizations.map((organization) => ({ slug: organization.slug, name: organization.name })),
        skipDuplicates: true,
      }),
      prisma.project.createMany({
        data: facts.projects.map((project) => {
          const start = projectStart.get(project.slug) ?? null;
          return {
            slug: project.slug,
            name: project.name,
            kind: project.kind,
            description: project.description ?? null,
            repositoryUrl: project.repositoryUrl,
            startedOn: start,
            startedPrecision: start ? ('MONTH' as const) : null,
            source: project.source,
          };
        }),
        skipDuplicates: true,
      }),
    ]);
    const [organizations, projects] = await Promise.all([
      prisma.organization.findMany({
        where: { slug: { in: facts.organizations.map((o) => o.slug) } },
        select: { id: true, slug: true },
      }),
      prisma.project.findMany({
        where: { slug: { in: facts.projects.map((p) => p.slug) } },
        select: { id: true, slug: true },
      }),
    ]);
    return {
      result: {
        organizationIds: new Map(organizations.map((row) => [row.slug, row.id])),
        projectIds: new Map(projects.map((row) => [row.slug, row.id])),
      },
      note: `${organizations.length} organizations, ${projects.length} projects`,
    };
  });
  const projectId = (slug: string) => {
    const id = projectIds.get(slug);
    if (id === undefined) throw new Error(`facts.json names the unknown project ${slug}`);
    return id;
  };

  await timed(log, 'project activity', async () => {
    const rows = activity.map((entry) => ({
      ...entry,
      projectId: projectId(entry.slug),
      personId: personId(entry.name),
    }));
    await prisma.$executeRaw`
      INSERT INTO project_activity (project_id, person_id, month, commits, lines_added, lines_deleted, source)
      SELECT * FROM unnest(
        ${rows.map((row) => row.projectId)}::int[],
        ${rows.map((row) => row.personId)}::int[],
        ${rows.map((row) => isoDate(row.month))}::date[],
        ${rows.map((row) => row.commits)}::int[],
        ${rows.map((row) => row.linesAdded)}::int[],
        ${rows.map((row) => row.linesDeleted)}::int[],
        ${rows.map(() => GIT)}::text[]
      )
      ON CONFLICT DO NOTHING`;
    await prisma.unattributedActivity.createMany({
      data: unattributed.map((entry) => ({
        projectId: projectId(entry.slug),
        month: entry.month,
        commits: entry.commits,
        linesAdded: entry.linesAdded,
        linesDeleted: entry.linesDeleted,
        source: GIT,
      })),
      skipDuplicates: true,
    });
    return { result: rows.length, note: `${rows.length} person-months, ${unattributed.length} unattributed months` };
  });

  const contributions = await timed(log, 'contributions', async () => {
    const fromArticle: ContributionRow[] = facts.contributions.map((fact) => {
      let start = fact.start ? partial(fact.start) : null;
      let end = fact.end ? partial(fact.end) : null;
      let evidence = fact.evidence;
      if (fact.startFromGitActivity || fact.endFromGitActivity) {
        const involved = involvement.get(`${fact.project}\u0000${facts.person.name}`);
        if (!involved)
          throw new Error(
            `facts.json: no git activity of ${facts.person.name} in ${fact.project} to date the ${fact.role} period`,
          );
        if (fact.startFromGitActivity) {
          start = { date: involved.first, precision: 'MONTH' };
          evidence += ` Start: his first month with commits in ${involved.repo} (${monthLabel(involved.first)}).`;
        }
        if (fact.endFromGitActivity) {
          end = { date: involved.last, precision: 'MONTH' };
          evidence += ` End: his last month with commits in ${involved.repo} (${monthLabel(involved.last)}).`;
        }
      }
      if (!start) throw new Error(`facts.json: the ${fact.role} contribution to ${fact.project} has no start`);
      return {
        personId: personId(facts.person.name),
        projectId: projectId(fact.project),
        role: fact.role,
        startDate: start.date,
        startPrecision: start.precision,
        endDate: end?.date ?? null,
        endPrecision: end?.precision ?? null,
        ended: fact.ended,
        source: fact.source,
        evidence,
      };
    });
    const fromGit: ContributionRow[] = [...involvement.values()].map((involved) => ({
      personId: personId(involved.name),
      projectId: projectId(involved.slug),
      role: 'CONTRIBUTOR',
      startDate: involved.first,
      startPrecision: 'MONTH',
      endDate: involved.last,
      endPrecision: 'MONTH',
      ended: true,
      source: GIT,
      evidence: `${involved.commits} commit${involved.commits === 1 ? '' : 's'} in ${involved.repo}, first ${monthLabel(involved.first)}, last ${monthLabel(involved.last)}`,
    }));
    const data = [...fromArticle, ...fromGit];
    await prisma.$executeRaw`
      INSERT INTO contribution (person_id, project_id, role, start_date, start_precision, end_date, end_precision, ended, source, evidence)
      SELECT v.person_id, v.project_id, v.role::"ContributionRole", v.start_date, v.start_precision::"DatePrecision",
             v.end_date, v.end_precision::"DatePrecision", v.ended, v.source, v.evidence
      FROM unnest(
        ${data.map((row) => row.personId)}::int[],
        ${data.map((row) => row.projectId)}::int[],
        ${data.map((row) => row.role)}::text[],
        ${data.map((row) => isoDate(row.startDate))}::date[],
        ${data.map((row) => row.startPrecision)}::text[],
        ${data.map((row) => (row.endDate ? isoDate(row.endDate) : null))}::date[],
        ${data.map((row) => row.endPrecision)}::text[],
        ${data.map((row) => row.ended)}::boolean[],
        ${data.map((row) => row.source)}::text[],
        ${data.map((row) => row.evidence)}::text[]
      ) AS v(person_id, project_id, role, start_date, start_precision, end_date, end_precision, ended, source, evidence)
      ON CONFLICT DO NOTHING`;
    return { result: data.length, note: `${fromArticle.length} from the article, ${fromGit.length} from git history` };
  });

  await timed(log, 'affiliations, metrics and work links', async () => {
    const subjectId = personId(facts.person.name);
    const affiliationKey = (a: {
      organizationId: number;
      kind: string;
      title: string | null;
      unit: string | null;
      startDate: Date | null;
      source: string;
    }) => [a.organizationId, a.kind, a.title ?? '', a.unit ?? '', a.startDate?.getTime() ?? '', a.source].join('|');
    const existing = new Set(
      (await prisma.affiliation.findMany({ where: { personId: subjectId } })).map((row) => affiliationKey(row)),
    );
    const affiliations = facts.affiliations.map((fact) => {
      const organizationId = organizationIds.get(fact.organization);
      if (organizationId === undefined)
        throw new Error(`facts.json names the unknown organization ${fact.organization}`);
      const start = fact.start ? partial(fact.start) : null;
      const end = fact.end ? partial(fact.end) : null;
      return {
        personId: subjectId,
        organizationId,
        kind: fact.kind,
        title: fact.title ?? null,
        unit: fact.unit ?? null,
        startDate: start?.date ?? null,
        startPrecision: start?.precision ?? null,
        endDate: end?.date ?? null,
        endPrecision: end?.precision ?? null,
        ended: fact.ended,
        status: fact.status === 'reported' ? ('REPORTED' as const) : ('CONFIRMED' as const),
        source: fact.source,
        evidence: fact.evidence,
      };
    });
    const newAffiliations = affiliations.filter((affiliation) => !existing.has(affiliationKey(affiliation)));
    const links = facts.workProjects.map((link) => {
      const work = byMetaKey.get(link.mlPaper);
      if (!work) throw new Error(`facts.json links the unknown paper ${link.mlPaper}`);
      return { workId: workId(work), projectId: projectId(link.project), source: link.source };
    });
    await prisma.$transaction([
      prisma.affiliation.createMany({ data: newAffiliations }),
      prisma.personReportedMetric.createMany({
        data: facts.personMetrics.map((metric) => {
          const retrieved = partial(metric.retrievedOn);
          return {
            personId: subjectId,
            source: metric.source,
            sourceRecord: metric.sourceRecord,
            retrievedOn: retrieved.date,
            retrievedOnPrecision: retrieved.precision,
            citationCount: metric.citationCount ?? null,
            hIndex: metric.hIndex ?? null,
            i10Index: metric.i10Index ?? null,
          };
        }),
        skipDuplicates: true,
      }),
      prisma.workProject.createMany({ data: links, skipDuplicates: true }),
    ]);
    return {
      result: null,
      note: `${affiliations.length} affiliations (${newAffiliations.length} new), ${facts.personMetrics.length} person metrics, ${links.length} work-project links`,
    };
  });

  await timed(log, 'citation counts', async () => {
    await prisma.$transaction((tx) => refreshCitationCounts(prismaSql(tx), [...workIds.values()]));
    return { result: null, note: `${workIds.size} works` };
  });

  // The collected OpenAlex works go in as `citegraph import openalex` takes them: works already
  // loaded above are recognized by the importer's identity rules and gain its per-year counts.
  const collected = await timed(log, 'collected OpenAlex works', async () => {
    const file = fileURLToPath(new URL(COLLECTED_OPENALEX, demoDir));
    const summary = await importThroughPrisma(prisma, await openalexJob(file), { input: file });
    if (summary.status !== 'finished') throw new Error(`${COLLECTED_OPENALEX}: ${summary.message}`);
    return {
      result: summary,
      note: `${summary.read} read, ${summary.inserted} new, ${summary.merged} recognized as loaded works, ${summary.stubs} minimal works for references, ${summary.citations} citations`,
    };
  });

  await timed(log, 'identity links', async () => {
    // The link queries join tables the steps above just filled: planned on fresh statistics.
    await prisma.$executeRawUnsafe('ANALYZE');
    const { links, ambiguous } = await linkPeople(prisma, { source: `${LINK_SOURCE} (demo seed)` });
    for (const person of ambiguous)
      log(
        `left apart: ${JSON.stringify(person.name)} (person ${person.personId}) has ${person.candidates.length} counterparts: ${person.candidates.map((other) => JSON.stringify(other.name)).join(', ')}`,
      );
    return { result: null, note: `${links.length} git and paper identities linked, ${ambiguous.length} left apart` };
  });

  log(`demo dataset loaded in ${Math.round(performance.now() - started)} ms`);
  return {
    works: works.length + collected.inserted,
    people: people.byName.size + collected.people,
    citations: citations + collected.citations,
    projects: facts.projects.length,
    contributions,
    activityRows: activity.length,
  };
}
