import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { titleKey } from '../services/identifiers.js';
import { type ActivityTotals, addActivity, writeActivity } from './activity.js';
import { csvRecord, parseCsvLine, readCsvRecords } from './csv.js';
import { parseBibtex } from './formats/bibtex.js';
import { parseCff } from './formats/cff.js';
import {
  CONTRIBUTIONS_COLUMNS,
  contributionRow,
  projectSlugForRepo,
  repositoryUrlForRepo,
} from './formats/contributions.js';
import { crossrefReference, crossrefWork } from './formats/crossref.js';
import { parseCslJson } from './formats/csl.js';
import { gitActivity, gitRemoteUrl } from './formats/git.js';
import { openalexWork } from './formats/openalex.js';
import { s2Edge, s2Paper } from './formats/s2.js';
import { InputError, inputFiles, readLines } from './input.js';
import type { ActivityRecord, CitationRecord, Parsed, ProjectRecord, WorkRecord } from './records.js';
import type { ImportJob, RecordStream } from './run.js';
import { execute, query } from './sql.js';
import { type WorkSource, writeCitationRecords, writeWorks } from './works.js';

/**
 * One import job per input format: how its files are read and parsed, and which writer takes
 * the records. The formats' own modules (./formats/*) know the sources' fields; this module
 * only plumbs them into the shared reading and batching loop (./run.ts).
 */

export const SOURCES = {
  openalex: 'openalex',
  s2: 'semantic-scholar',
  crossref: 'crossref',
  bibtex: 'bibtex',
  csl: 'csl-json',
  cff: 'citation-cff',
} as const;

const worksWriter = (source: Omit<WorkSource, 'file'>) => ({
  write: (
    tx: Parameters<ImportJob<WorkRecord>['write']>[0],
    batch: { value: WorkRecord; line: number }[],
    file: string,
  ) => writeWorks(tx, batch, { ...source, file: basename(file) }),
});

/** Parses one JSON line; NUL characters, which PostgreSQL text cannot hold, are removed with a warning. */
export function jsonLine<T>(text: string, map: (value: unknown) => Parsed<T>): Parsed<T> {
  const warnings: string[] = [];
  let clean = text;
  if (clean.includes('\u0000')) {
    clean = clean.replaceAll('\u0000', '');
    warnings.push('NUL bytes removed');
  }
  let value: unknown;
  try {
    value = JSON.parse(clean);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
  }
  const mapped = map(value);
  if (!mapped.ok || warnings.length === 0) return mapped;
  return { ...mapped, warnings: [...warnings, ...(mapped.warnings ?? [])] };
}

async function jsonLinesStream<T>(file: string, map: (value: unknown) => Parsed<T>): Promise<RecordStream<T>> {
  const reader = await readLines(file);
  async function* items() {
    for await (const item of reader.lines) {
      if ('problem' in item) yield item;
      else yield { line: item.line, parse: () => jsonLine(item.text, map) };
    }
  }
  return { items: items(), bytesRead: reader.bytesRead, size: reader.size };
}

/** A CSV file with a header line; the header must name every required column. */
async function csvStream<T>(
  file: string,
  required: readonly string[],
  map: (row: Record<string, string>) => Parsed<T>,
): Promise<RecordStream<T>> {
  const reader = await readCsvRecords(file);
  const lines = reader.lines;
  const first = await lines.next();
  if (first.done || 'problem' in first.value) throw new InputError(`${file}: no header line`);
  const header = parseCsvLine(first.value.text);
  if (!Array.isArray(header)) throw new InputError(`${file}: the header line is not CSV (${header.error})`);
  const missing = required.filter((column) => !header.includes(column));
  if (missing.length > 0)
    throw new InputError(`${file}: the header lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const parseRow = (text: string): Parsed<T> => {
    const fields = parseCsvLine(text.replaceAll('\u0000', ''));
    if (!Array.isArray(fields)) return { ok: false, reason: fields.error };
    const row = csvRecord(header, fields);
    if ('error' in row && typeof row.error === 'string' && !header.includes('error'))
      return { ok: false, reason: row.error };
    return map(row as Record<string, string>);
  };
  async function* items() {
    for await (const item of lines) {
      if ('problem' in item) yield item;
      else yield { line: item.line, parse: () => parseRow(item.text) };
    }
  }
  return { items: items(), bytesRead: reader.bytesRead, size: reader.size };
}

/** Whole-file formats (BibTeX, CSL-JSON): small enough to parse at once, reported entry by entry. */
async function entriesStream<T>(
  file: string,
  parse: (text: string, file: string) => { records: { line: number; parsed: Parsed<T> }[] },
): Promise<RecordStream<T>> {
  const text = await readText(file);
  const { records } = parse(text, file);
  async function* items() {
    for (const record of records) yield { line: record.line, parse: () => record.parsed };
  }
  return { items: items(), bytesRead: () => text.length, size: text.length };
}

/** A text file read whole: UTF-8 required, byte order mark dropped. */
export async function readText(file: string): Promise<string> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${file}: not valid UTF-8 text`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export async function openalexJob(input: string): Promise<ImportJob<WorkRecord>> {
  return {
    format: 'openalex',
    files: await inputFiles(input),
    open: (file) => jsonLinesStream(file, openalexWork),
    ...worksWriter({ name: SOURCES.openalex, ownId: 'openalexId', ownPersonId: 'openalexId' }),
  };
}

/** The date Semantic Scholar's figures are taken to be current: given, or the file's modification day. */
async function retrievalDate(file: string, given: string | undefined) {
  return given ?? (await stat(file)).mtime.toISOString().slice(0, 10);
}

export async function s2Job(input: string, options: { retrievedOn?: string }): Promise<ImportJob<WorkRecord>> {
  return {
    format: 's2',
    files: await inputFiles(input),
    open: async (file) => {
      const retrievedOn = await retrievalDate(file, options.retrievedOn);
      return jsonLinesStream(file, (value) => s2Paper(value, { retrievedOn }));
    },
    ...worksWriter({ name: SOURCES.s2, ownId: 's2Id', ownPersonId: 's2Id' }),
  };
}

export async function crossrefJob(input: string, options: { retrievedOn?: string }): Promise<ImportJob<WorkRecord>> {
  return {
    format: 'crossref',
    files: await inputFiles(input),
    open: (file) => jsonLinesStream(file, (value) => crossrefWork(value, options)),
    ...worksWriter({ name: SOURCES.crossref, ownId: 'doi', ownPersonId: null }),
  };
}

export function edgesJob(format: 's2-citations' | 'crossref-references', file: string): ImportJob<CitationRecord> {
  const s2 = format === 's2-citations';
  return {
    format,
    files: [resolve(file)],
    open: (path) =>
      s2
        ? csvStream(path, ['citing_paper_id', 'cited_paper_id'], s2Edge)
        : csvStream(path, ['citing_doi', 'cited_doi'], crossrefReference),
    write: async (tx, batch) => writeCitationRecords(tx, batch, s2 ? SOURCES.s2 : SOURCES.crossref),
  };
}

export function bibliographyJob(file: string, format: 'bibtex' | 'csl'): ImportJob<WorkRecord> {
  return {
    format,
    files: [resolve(file)],
    open: (path) => entriesStream(path, format === 'bibtex' ? parseBibtex : parseCslJson),
    ...worksWriter({ name: SOURCES[format], ownId: null, ownPersonId: null, ownCitationKey: true }),
  };
}

/**
 * A CITATION.cff: the project (created, or given the description and repository it lacks),
 * the software as a work of type SOFTWARE with the file's authors as its authors, and the
 * preferred citation; both works are linked to the project.
 */
export function cffJob(file: string, slug: string): ImportJob<ProjectRecord> {
  return {
    format: 'cff',
    files: [resolve(file)],
    open: async (path) => {
      const text = await readText(path);
      async function* items() {
        yield { line: 1, parse: () => parseCff(text, path) };
      }
      return { items: items(), bytesRead: () => text.length, size: text.length };
    },
    write: async (tx, batch, path) => {
      const project = batch[0]?.value;
      if (!project) return {};
      const [stored] = await query<{ id: number }>(
        tx,
        `INSERT INTO project (slug, name, description, repository_url, source) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (slug) DO UPDATE SET description = coalesce(project.description, EXCLUDED.description),
           repository_url = coalesce(project.repository_url, EXCLUDED.repository_url)
         RETURNING id`,
        slug,
        project.name,
        project.description ?? null,
        project.repositoryUrl ?? null,
        SOURCES.cff,
      );
      // A work this file linked to the project before (same title) is its own record: kept as stored.
      const linked = await query<{ id: number; titleKey: string | null }>(
        tx,
        `SELECT w.id, w.title_key AS "titleKey" FROM work w JOIN work_project l ON l.work_id = w.id
         WHERE l.project_id = $1 AND l.source = $2`,
        stored?.id,
        SOURCES.cff,
      );
      const known = new Set(linked.map((work) => work.titleKey));
      const works = [project.software, project.preferredCitation]
        .map((value, index) => (value ? { value, line: index + 1 } : null))
        .filter((item): item is { value: WorkRecord; line: number } => item !== null)
        .filter((item) => !known.has(item.value.title ? titleKey(item.value.title) : null));
      if (works.length === 0) return { unchanged: linked.length };
      const written = await writeWorks(tx, works, {
        name: SOURCES.cff,
        ownId: null,
        ownPersonId: null,
        file: basename(path),
      });
      const workIds = [...new Set(written.workIdByLine.values())];
      await execute(
        tx,
        `INSERT INTO work_project (work_id, project_id, source) SELECT unnest($1::int[]), $2, $3 ON CONFLICT DO NOTHING`,
        workIds,
        stored?.id,
        SOURCES.cff,
      );
      return written;
    },
  };
}

/** Monthly activity rows (the git-contributions CSV format), summed per project before writing. */
export function contributionsJob(file: string): ImportJob<{ repo: string; activity: ActivityRecord }> {
  const totals = new Map<string, ActivityTotals>();
  let unnamed = 0;
  return {
    format: 'contributions',
    files: [resolve(file)],
    resumable: false,
    open: (path) => csvStream(path, CONTRIBUTIONS_COLUMNS, contributionRow),
    write: async (_tx, batch) => {
      for (const { value } of batch) {
        const slug = projectSlugForRepo(value.repo);
        let project = totals.get(value.repo);
        if (!project) {
          project = {
            project: { slug, name: value.repo.split('/')[1] ?? slug, repositoryUrl: repositoryUrlForRepo(value.repo) },
            repo: value.repo,
            people: new Map(),
            unattributed: new Map(),
          };
          totals.set(value.repo, project);
        }
        if (!addActivity(project, value.activity)) unnamed += 1;
      }
      return {};
    },
    finish: async (tx) => {
      const sum = { inserted: 0, updated: 0, unchanged: 0, merged: 0, people: 0 };
      for (const project of totals.values()) {
        const result = await writeActivity(tx, project);
        for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += result[key];
      }
      return {
        ...sum,
        warnings:
          unnamed > 0
            ? [
                {
                  line: 0,
                  reason: `${unnamed} rows have no author name: counted in the project's activity, credited to nobody`,
                },
              ]
            : [],
      };
    },
  };
}

/**
 * A clone's whole history, read with `git log` and summed per author and month: each
 * author-month is one record, and the project's totals are written once the history is read.
 */
export function gitJob(clone: string, project: { slug: string; name?: string }): ImportJob<ActivityRecord> {
  const path = resolve(clone);
  let totals: ActivityTotals | null = null;
  let unnamed = 0;
  return {
    format: 'git',
    files: [path],
    resumable: false,
    open: async () => {
      const history = await gitActivity(path);
      const remote = await gitRemoteUrl(path);
      totals = {
        project: { slug: project.slug, name: project.name ?? project.slug, repositoryUrl: remote },
        repo: remote?.replace(/^https:\/\/github\.com\//, '') ?? basename(path),
        people: new Map(),
        unattributed: new Map(),
      };
      async function* items() {
        for (const [index, record] of history.records.entries())
          yield { line: index + 1, parse: (): Parsed<ActivityRecord> => ({ ok: true, value: record }) };
      }
      return { items: items(), bytesRead: () => 1, size: 1 };
    },
    write: async (_tx, batch) => {
      for (const { value } of batch) if (totals && !addActivity(totals, value)) unnamed += value.commits;
      return {};
    },
    finish: async (tx) => {
      if (!totals) return {};
      return {
        ...(await writeActivity(tx, totals)),
        warnings:
          unnamed > 0
            ? [
                {
                  line: 0,
                  reason: `${unnamed} commits have no author name: counted in the project's activity, credited to nobody`,
                },
              ]
            : [],
      };
    },
  };
}
