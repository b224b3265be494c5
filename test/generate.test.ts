import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db.js';
import { buildCatalog, type Catalog } from '../src/generate/catalog.js';
import { contributionsCsv } from '../src/generate/contributions.js';
import { contributionsPath, generateDataset } from '../src/generate/files.js';
import { type Corpus, FIRST_YEAR, generateCorpus, LAST_YEAR } from '../src/generate/graph.js';
import { type OpenalexWork, openalexLines } from '../src/generate/openalex.js';
import { TITLE_DOMAINS, TITLE_METHODS, TITLE_QUALIFIERS, TITLE_TASKS } from '../src/generate/vocabulary.js';
import { parseCsvLine } from '../src/ingest/csv.js';
import { CONTRIBUTIONS_COLUMNS } from '../src/ingest/formats/contributions.js';
import { matchKey, normalizeDoi, normalizeOrcid } from '../src/services/identifiers.js';
import { cli, emptyDatabase } from './ingest-kit.js';

/**
 * The data generator (npm run gen): the same seed gives the same bytes, the records agree with
 * the generated citation graph, its distributions have the shapes asked of them, and its files
 * import through the real command line without a failure.
 */

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'citegraph-generate-'));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function filesOf(works: number, seed: number, name: string) {
  const out = join(scratch, `${name}.jsonl.gz`);
  const result = await generateDataset({ works, seed, out });
  return {
    result,
    works: await readFile(out),
    contributions: await readFile(contributionsPath(out)),
  };
}

describe('determinism', () => {
  it('writes byte-identical files for the same number of works and seed', async () => {
    const first = await filesOf(2_000, 7, 'first');
    const second = await filesOf(2_000, 7, 'second');
    expect(sha256(second.works)).toBe(sha256(first.works));
    expect(sha256(second.contributions)).toBe(sha256(first.contributions));
    expect(second.result).toMatchObject({ works: 2_000, citations: first.result.citations });
  });

  it('writes other works and projects for another seed', async () => {
    const first = await filesOf(2_000, 7, 'seven');
    const other = await filesOf(2_000, 8, 'eight');
    expect(sha256(gunzipSync(other.works))).not.toBe(sha256(gunzipSync(first.works)));
    expect(sha256(other.contributions)).not.toBe(sha256(first.contributions));
  });

  it('names the contributions file after the works file', () => {
    expect(contributionsPath('generated/openalex-10-seed1.jsonl.gz')).toBe(
      'generated/openalex-10-seed1.contributions.csv',
    );
    expect(contributionsPath('works.jsonl')).toBe('works.contributions.csv');
  });
});

describe('a generated corpus of 3,000 works', () => {
  let corpus: Corpus;
  let catalog: Catalog;
  let works: OpenalexWork[];
  let byId: Map<string, OpenalexWork>;
  let citations: { citing: OpenalexWork; cited: string }[];

  beforeAll(() => {
    corpus = generateCorpus(3_000, 11);
    catalog = buildCatalog(3_000, 11);
    works = [...openalexLines(corpus, catalog)].map((line) => JSON.parse(line));
    byId = new Map(works.map((work) => [work.id, work]));
    citations = works.flatMap((work) => work.referenced_works.map((cited) => ({ citing: work, cited })));
  });

  it('gives every work its own OpenAlex id, DOI and title key', () => {
    expect(byId.size).toBe(3_000);
    const dois = works.flatMap((work) => (work.doi ? [normalizeDoi(work.doi)] : []));
    expect(dois).not.toContain(null);
    expect(new Set(dois).size).toBe(dois.length);
    expect(dois.length / works.length).toBeGreaterThan(0.5);
    expect(new Set(works.map((work) => matchKey(work.title))).size).toBe(3_000);
  });

  it('reduces each title word list to prefix-free keys, which keeps every title distinct', () => {
    for (const words of [TITLE_QUALIFIERS, TITLE_METHODS, TITLE_DOMAINS, TITLE_TASKS]) {
      const keys = words.map(matchKey);
      expect(keys).toHaveLength(64);
      expect(keys.filter((key) => keys.some((other) => other !== key && other.startsWith(key)))).toEqual([]);
    }
  });

  it('counts every citation in the file: cited_by_count is the in-degree and the sum of counts_by_year', () => {
    const byYear = new Map<string, Record<number, number>>();
    for (const { citing, cited } of citations) {
      const years = byYear.get(cited) ?? {};
      years[citing.publication_year] = (years[citing.publication_year] ?? 0) + 1;
      byYear.set(cited, years);
    }
    const disagreeing = works.filter((work) => {
      const years = Object.fromEntries(work.counts_by_year.map((entry) => [entry.year, entry.cited_by_count]));
      const inDegree = Object.values(byYear.get(work.id) ?? {}).reduce((sum, count) => sum + count, 0);
      const yearSum = work.counts_by_year.reduce((sum, entry) => sum + entry.cited_by_count, 0);
      return (
        work.cited_by_count !== inDegree ||
        yearSum !== inDegree ||
        JSON.stringify(years) !== JSON.stringify(byYear.get(work.id) ?? {}) ||
        work.referenced_works_count !== work.referenced_works.length
      );
    });
    expect(disagreeing.map((work) => work.id)).toEqual([]);
    expect(works.some((work) => work.cited_by_count > 0)).toBe(true);
  });

  it('cites only works of the file, once each, mostly of earlier years and never of later ones', () => {
    expect(citations.length / works.length).toBeGreaterThan(12);
    expect(works.filter((work) => new Set(work.referenced_works).size !== work.referenced_works.length)).toEqual([]);
    expect(citations.filter(({ cited }) => !byId.has(cited))).toEqual([]);
    const years = citations.map(({ citing, cited }) => [citing.publication_year, byId.get(cited)?.publication_year]);
    expect(years.filter(([citing, cited]) => (cited ?? 0) > (citing ?? 0))).toEqual([]);
    const sameYear = years.filter(([citing, cited]) => cited === citing).length / years.length;
    expect(sameYear).toBeGreaterThan(0);
    expect(sameYear).toBeLessThan(0.1);
  });

  it('has heavy-tailed citation counts: the most cited 1% hold more than 8% of all citations', () => {
    const counts = works.map((work) => work.cited_by_count).sort((a, b) => b - a);
    const top = counts.slice(0, 30).reduce((sum, count) => sum + count, 0);
    expect(top / citations.length).toBeGreaterThan(0.08);
    expect(counts[0]).toBeGreaterThan((10 * citations.length) / works.length);
    expect(counts).toContain(0);
  });

  it('has single authors, small teams and collaborations of more than 15', () => {
    const sizes = works.map((work) => work.authorships.length);
    expect(Math.min(...sizes)).toBe(1);
    expect(sizes.filter((size) => size === 1).length).toBeGreaterThan(300);
    expect(sizes.filter((size) => size > 15).length).toBeGreaterThan(10);
  });

  it('has Zipf-like author productivity: most people write one work, a few write dozens', () => {
    const worksPerAuthor = new Map<string, number>();
    for (const work of works)
      for (const { author } of work.authorships)
        worksPerAuthor.set(author.id, (worksPerAuthor.get(author.id) ?? 0) + 1);
    const counts = [...worksPerAuthor.values()];
    expect(counts.filter((count) => count === 1).length / counts.length).toBeGreaterThan(0.35);
    expect(Math.max(...counts)).toBeGreaterThan(30);
  });

  it('gives every author an OpenAlex id, some a valid ORCID and OpenAlex institutions', () => {
    const authorships = works.flatMap((work) => work.authorships);
    expect(authorships.filter(({ author }) => !/^https:\/\/openalex\.org\/A\d+$/.test(author.id))).toEqual([]);
    const orcids = authorships.flatMap(({ author }) => (author.orcid ? [author.orcid] : []));
    expect(orcids.filter((orcid) => normalizeOrcid(orcid) === null)).toEqual([]);
    expect(orcids.length / authorships.length).toBeGreaterThan(0.1);
    expect(orcids.length / authorships.length).toBeLessThan(0.9);
    const institutions = authorships.flatMap((authorship) => authorship.institutions);
    for (const institution of new Map(institutions.map((entry) => [entry.id, entry])).values())
      expect(institution).toEqual({
        id: expect.stringMatching(/^https:\/\/openalex\.org\/I\d+$/),
        display_name: expect.any(String),
        ror: expect.stringMatching(/^https:\/\/ror\.org\/0[0-9a-hjkmnp-tv-z]{6}\d{2}$/),
        country_code: expect.stringMatching(/^[A-Z]{2}$/),
        type: expect.stringMatching(/^(education|healthcare|facility|government|company)$/),
      });
    expect(authorships.some((authorship) => authorship.institutions.length === 0)).toBe(true);
    expect(authorships.some((authorship) => authorship.institutions.length > 0)).toBe(true);
  });

  it('dates works from 1970 to 2025, more of them every decade', () => {
    const years = works.map((work) => work.publication_year);
    expect(Math.min(...years)).toBe(FIRST_YEAR);
    expect(Math.max(...years)).toBe(LAST_YEAR);
    const decade = (from: number) => years.filter((year) => year >= from && year < from + 10).length;
    expect(decade(1980)).toBeLessThan(decade(1990));
    expect(decade(2000)).toBeLessThan(decade(2010));
    expect(works.filter((work) => !work.publication_date.startsWith(String(work.publication_year)))).toEqual([]);
  });

  it('writes projects in the contributions format, their contributors named as generated authors', () => {
    const { text, projects } = contributionsCsv(corpus, catalog);
    const [header = [], ...rows] = text.trimEnd().split('\n').map(parseCsvLine) as string[][];
    expect(header).toEqual(expect.arrayContaining([...CONTRIBUTIONS_COLUMNS]));
    const records = rows.map((row) => Object.fromEntries(header.map((name, index) => [name, row[index] ?? ''])));
    const authorNames = new Set(works.flatMap((work) => work.authorships.map(({ author }) => author.display_name)));
    expect(new Set(records.map((record) => record.repo)).size).toBe(projects);
    expect(projects).toBeGreaterThanOrEqual(10);
    expect(records.filter((record) => !/^[\w-]+\/[\w-]+$/.test(record.repo ?? ''))).toEqual([]);
    expect(records.filter((record) => !authorNames.has(record.author_name ?? ''))).toEqual([]);
    expect(records.filter((record) => !(Number(record.month) >= 1 && Number(record.month) <= 12))).toEqual([]);
    expect(records.filter((record) => !(Number(record.commits) >= 1))).toEqual([]);
  });
});

describe('importing a generated dataset', () => {
  let db: Db;
  let out: string;
  let works: OpenalexWork[];

  beforeAll(async () => {
    db = await emptyDatabase('generate');
    out = join(scratch, 'import.jsonl.gz');
    await generateDataset({ works: 300, seed: 5, out });
    works = gunzipSync(await readFile(out))
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
  });

  afterAll(() => db?.close());

  it('imports the works through citegraph import openalex with no failure, counts as generated', async () => {
    // Lines come in shuffled order and batches are small: many references reach a work of a later
    // batch, kept as a minimal work until its own line fills it in.
    const { code, summary } = await cli(db, ['import', 'openalex', out, '--batch-size', '100', '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 300, failed: 0, merged: 0, skipped: 0 });
    expect(summary.stubs).toBeGreaterThan(0);
    expect(summary.inserted + summary.updated).toBe(300);
    // One person per OpenAlex author id: namesakes with ids of their own stay apart.
    const authorIds = new Set(works.flatMap((work) => work.authorships.map(({ author }) => author.id)));
    expect(summary.people).toBe(authorIds.size);
    const stored = await db.prisma.work.findMany({ select: { openalexId: true, citationCount: true } });
    // Every referenced work is in the file: no minimal work is left over.
    expect(stored).toHaveLength(300);
    const generated = new Map(works.map((work) => [work.id.replace('https://openalex.org/', ''), work.cited_by_count]));
    expect(stored.filter((work) => work.citationCount !== generated.get(work.openalexId ?? ''))).toEqual([]);
    const edges = works.reduce((sum, work) => sum + work.referenced_works.length, 0);
    expect(await db.prisma.citation.count()).toBe(edges);
  });

  it('imports the contributions, linking contributors to the authors of the works', async () => {
    const { code, summary } = await cli(db, ['import', 'contributions', contributionsPath(out), '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', failed: 0 });
    const [people] = await db.prisma.$queryRawUnsafe<{ contributors: number; authors: number }[]>(
      `SELECT count(DISTINCT a.person_id)::int AS contributors,
              count(DISTINCT a.person_id) FILTER (WHERE EXISTS (SELECT 1 FROM authorship s WHERE s.person_id = a.person_id))::int AS authors
       FROM project_activity a`,
    );
    // Contributors drawn from anywhere in the corpus share no work with the team and stay apart.
    expect(people?.authors).toBeGreaterThan((people?.contributors ?? 0) / 2);
  });
});
