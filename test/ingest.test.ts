import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db.js';
import { openalexJob } from '../src/ingest/importers.js';
import { type ImportJob, runImport } from '../src/ingest/run.js';
import { createLogger } from '../src/logger.js';
import { buildYoga } from '../src/yoga.js';
import { cli, counts, emptyDatabase, fixture, snapshot } from './ingest-kit.js';

/**
 * Imports of the real fixture files into an empty database: what each format stores, that a
 * second import changes nothing, that an OpenAlex import's numbers are OpenAlex's, and that an
 * interrupted import resumes to the state of an uninterrupted one.
 */

let db: Db;
let scratch: string;

beforeAll(async () => {
  db = await emptyDatabase('ingest');
  scratch = await mkdtemp(join(tmpdir(), 'citegraph-ingest-'));
});
afterAll(() => db.close());

interface OpenalexLine {
  id: string;
  cited_by_count: number;
  counts_by_year: { year: number; cited_by_count: number }[];
  referenced_works: string[];
}

const short = (url: string) => url.replace('https://openalex.org/', '');

describe('import openalex', () => {
  let lines: OpenalexLine[];
  beforeAll(async () => {
    lines = (await readFile(fixture('openalex/works.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  });

  it('imports every work of the real file, keeping unknown referenced works as minimal works', async () => {
    const { code, summary } = await cli(db, ['import', 'openalex', fixture('openalex/works.jsonl'), '--json']);
    expect(code).toBe(0);
    // One batch of 5,000: works the file both holds and cites are written before the edges that name them.
    expect(summary).toMatchObject({ status: 'finished', read: 824, failed: 0, inserted: 824, updated: 0 });
    // 17,802 distinct cited works, of which the file itself holds 101.
    expect(summary.stubs).toBe(17_701);
    expect(summary.citations).toBe(19_819);
    // Four DOIs are each claimed by two OpenAlex records: both records are kept, the DOI once.
    expect(summary.problems.filter((problem) => problem.kind === 'warning')).toHaveLength(4);
    expect(await db.prisma.work.count({ where: { openalexId: { in: lines.map((line) => short(line.id)) } } })).toBe(
      824,
    );
  });

  it("keeps OpenAlex's numbers: citationCount, per-year counts and references of every work", async () => {
    const works = await db.prisma.work.findMany({
      where: { openalexId: { in: lines.map((line) => short(line.id)) } },
      select: {
        openalexId: true,
        citationCount: true,
        yearlyCounts: { select: { year: true, count: true } },
        references: { select: { cited: { select: { openalexId: true } } } },
      },
    });
    const byId = new Map(works.map((work) => [work.openalexId, work]));
    const mismatches: string[] = [];
    for (const line of lines) {
      const work = byId.get(short(line.id));
      if (!work) {
        mismatches.push(`${line.id} missing`);
        continue;
      }
      if (work.citationCount !== line.cited_by_count) mismatches.push(`${line.id} citationCount`);
      const years = new Map(work.yearlyCounts.map((row) => [row.year, row.count]));
      for (const row of line.counts_by_year)
        if (years.get(row.year) !== row.cited_by_count) mismatches.push(`${line.id} ${row.year}`);
      const references = work.references.map((reference) => reference.cited.openalexId).sort();
      expect(references, line.id).toEqual([...new Set(line.referenced_works.map(short))].sort());
    }
    expect(mismatches).toEqual([]);
  });

  it("makes organizations of the institutions and dates each author's affiliations by their works", async () => {
    // W2103282498 (1998): Daniel Loss at UC Santa Barbara and the University of Basel.
    const basel = await db.prisma.organization.findUniqueOrThrow({ where: { openalexId: 'I1850255' } });
    expect(basel).toMatchObject({ name: 'University of Basel', ror: '02s6k3f65', country: 'CH' });
    const loss = await db.prisma.person.findUniqueOrThrow({
      where: { openalexId: 'A5010879789' },
      include: { affiliations: { include: { organization: true }, orderBy: { organizationId: 'asc' } } },
    });
    const periods = loss.affiliations.map((period) => ({
      organization: period.organization.name,
      start: period.startDate?.toISOString().slice(0, 10),
      end: period.endDate?.toISOString().slice(0, 10),
      precision: [period.startPrecision, period.endPrecision],
      ended: period.ended,
      source: period.source,
    }));
    expect(periods).toEqual(
      expect.arrayContaining(
        ['University of Basel', 'University of California, Santa Barbara'].map((organization) => ({
          organization,
          start: '1998-01-01',
          end: '1998-01-01',
          precision: ['YEAR', 'YEAR'],
          ended: true,
          source: 'openalex',
        })),
      ),
    );
    expect(
      loss.affiliations.every((period) => /^\d+ works? naming it, published \d{4}–\d{4}$/.test(period.evidence)),
    ).toBe(true);
    const linked = await db.prisma.authorshipInstitution.count({ where: { organizationId: basel.id } });
    expect(linked).toBeGreaterThan(0);
  });

  it('serves the imported figures through the API, with their source', async () => {
    const line = lines.find(
      (candidate) => candidate.counts_by_year.length >= 5 && candidate.referenced_works.length >= 5,
    );
    if (!line) throw new Error('the fixture has a work with per-year counts and references');
    const stored = await db.prisma.work.findUniqueOrThrow({ where: { openalexId: short(line.id) } });
    const yoga = buildYoga({ prisma: db.prisma, logger: createLogger('silent') });
    const years = line.counts_by_year.map((row) => row.year);
    const response = await yoga.fetch('http://citegraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query ($id: ID!, $from: Int, $to: Int) { node(id: $id) { ... on Work {
          openalexId citationCount citationsByYear(from: $from, to: $to) { year count }
          countBasis { kind reported { source total } } references(first: 100) { totalCount } } } }`,
        variables: {
          id: Buffer.from(`Work:${stored.id}`).toString('base64url'),
          from: Math.min(...years),
          to: Math.max(...years),
        },
      }),
    });
    const { data } = (await response.json()) as { data: { node: Record<string, unknown> } };
    const given = new Map(line.counts_by_year.map((row) => [row.year, row.cited_by_count]));
    expect(data.node).toMatchObject({
      openalexId: short(line.id),
      citationCount: line.cited_by_count,
      countBasis: { kind: 'REPORTED', reported: { source: 'openalex', total: line.cited_by_count } },
      references: { totalCount: new Set(line.referenced_works).size },
    });
    for (const row of data.node.citationsByYear as { year: number; count: number }[])
      expect(row.count).toBe(given.get(row.year) ?? 0);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await snapshot(db.prisma);
    const { summary } = await cli(db, ['import', 'openalex', fixture('openalex/works.jsonl'), '--json']);
    expect(summary).toMatchObject({ status: 'finished', read: 824, inserted: 0, updated: 0, stubs: 0, citations: 0 });
    expect(await snapshot(db.prisma)).toEqual(before);
  });

  it('reads gzip and snapshot folders (updated_date=…/part_*.gz) like the plain file', async () => {
    const folder = join(scratch, 'works', 'updated_date=2025-11-06');
    execFileSync('mkdir', ['-p', folder]);
    const text = await readFile(fixture('openalex/works.jsonl'));
    const half = text.indexOf('\n', text.length / 2) + 1;
    await writeFile(join(folder, 'part_000.gz'), gzipSync(text.subarray(0, half)));
    await writeFile(join(folder, 'part_001.gz'), gzipSync(text.subarray(half)));
    const before = await snapshot(db.prisma);
    const { summary } = await cli(db, ['import', 'openalex', join(scratch, 'works'), '--json']);
    expect(summary).toMatchObject({ status: 'finished', files: 2, read: 824, failed: 0, inserted: 0, updated: 0 });
    expect(await snapshot(db.prisma)).toEqual(before);
  });
});

describe('import s2', () => {
  it('imports papers and citation edges, resolving CorpusID references through stored corpus ids', async () => {
    const { code, summary } = await cli(db, [
      'import',
      's2',
      fixture('s2/papers.jsonl'),
      '--citations',
      fixture('s2/citation-edges.csv'),
      '--retrieved-on',
      '2024-03-30',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ format: 's2-citations', status: 'finished', read: 2881, failed: 0 });
    const turing = await db.prisma.work.findFirstOrThrow({
      where: { s2Id: '2d5673caa9e6af3a7b82a43f19ee920992db07ad' },
      include: { reportedCounts: true, _count: { select: { citedBy: true, references: true } } },
    });
    expect(turing.title).toBe('Computing Machinery and Intelligence');
    expect(turing.reportedCounts[0]?.source).toBe('semantic-scholar');
    expect(turing._count.citedBy).toBeGreaterThan(900);
    // Edges that name a paper only as CorpusID:n reach the paper holding that corpus id, or a minimal work with it.
    const corpus = await db.prisma.work.findFirstOrThrow({ where: { s2CorpusId: 14514057 } });
    expect(await db.prisma.citation.count({ where: { citedId: corpus.id } })).toBe(1873);
  });

  it('changes nothing when papers and edges are imported again', async () => {
    const before = await snapshot(db.prisma);
    const args = ['s2', fixture('s2/papers.jsonl'), '--citations', fixture('s2/citation-edges.csv')];
    const { code } = await cli(db, ['import', ...args, '--retrieved-on', '2024-03-30', '--json']);
    expect(code).toBe(0);
    expect(await snapshot(db.prisma)).toEqual(before);
  });
});

describe('import crossref', () => {
  it('imports works and reference DOIs; a generic title never joins two works', async () => {
    const { code, summary } = await cli(db, [
      'import',
      'crossref',
      fixture('crossref/works.jsonl'),
      '--references',
      fixture('crossref/references.csv'),
      '--json',
    ]);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ format: 'crossref-references', read: 6383, failed: 1 });
    expect(summary.problems[0]?.reason).toMatch(/cited_doi/);
    const crossref = await db.prisma.work.count({ where: { sources: { has: 'crossref' } } });
    expect(crossref).toBe(312);
    // OpenAlex W4323355400 and a Crossref book chapter are both called "Introduction" (2023).
    const introductions = await db.prisma.work.findMany({ where: { titleKey: 'introduction', publicationYear: 2023 } });
    expect(introductions.length).toBeGreaterThanOrEqual(2);
  });

  it('changes nothing the second time', async () => {
    const before = await snapshot(db.prisma);
    await cli(db, [
      'import',
      'crossref',
      fixture('crossref/works.jsonl'),
      '--references',
      fixture('crossref/references.csv'),
    ]);
    expect(await snapshot(db.prisma)).toEqual(before);
  });
});

describe('import bibtex, csl and cff', () => {
  it('recognizes works another source brought, by arXiv id and by title and year, and records why', async () => {
    const { summary } = await cli(db, ['import', 'bibtex', fixture('bibtex/d2l.bib'), '--json']);
    expect(summary).toMatchObject({ status: 'finished', read: 488, failed: 0 });
    const gnmt = await db.prisma.work.findUniqueOrThrow({
      where: { openalexId: 'W2525778437' },
      include: { identityEvents: true },
    });
    expect(gnmt.citationKey).toBe('Wu.Schuster.Chen.ea.2016');
    expect(gnmt.sources).toEqual(['openalex', 'bibtex']);
    expect(gnmt.identityEvents.map((event) => event.reason)).toContain('ARXIV_ID');
    const tensorflow = await db.prisma.work.findUniqueOrThrow({
      where: { openalexId: 'W2953384591' },
      include: { identityEvents: true },
    });
    expect(tensorflow.citationKey).toBe('Abadi.Barham.Chen.ea.2016');
    expect(tensorflow.identityEvents.map((event) => event.reason)).toContain('TITLE_YEAR');
    const turing = await db.prisma.work.findFirstOrThrow({
      where: { s2Id: '2d5673caa9e6af3a7b82a43f19ee920992db07ad' },
    });
    expect(turing.citationKey).toBe('Turing.1950');
  });

  it('keeps the authors of a work as the first source listed them, in order', async () => {
    const googlenet = await db.prisma.work.findFirstOrThrow({
      where: { citationKey: 'Szegedy.Liu.Jia.ea.2015' },
      include: { authorships: { orderBy: { position: 'asc' }, include: { person: true } } },
    });
    expect(googlenet.title).toBe('Going deeper with convolutions');
    expect(googlenet.authorships[2]?.person.name).toBe('Yangqing Jia');
  });

  it("joins an author's works that are linked only through other works' co-authors into one person", async () => {
    // Mask R-CNN (with Gkioxari, Dollár, Girshick) and ResNet (with Zhang, Ren, Sun) share no co-author;
    // Faster R-CNN (Ren, He, Girshick, Sun) links them.
    const keys = ['He.Gkioxari.Dollar.ea.2017', 'He.Zhang.Ren.ea.2016', 'Ren.He.Girshick.ea.2015', 'he2022masked'];
    const authors = await db.prisma.authorship.findMany({
      where: { work: { citationKey: { in: keys } }, person: { nameKey: 'kaiminghe' } },
      select: { personId: true, work: { select: { citationKey: true } } },
    });
    expect(authors.map((row) => row.work.citationKey).sort()).toEqual([...keys].sort());
    expect(new Set(authors.map((row) => row.personId)).size).toBe(1);
  });

  it('imports a CSL-JSON export and a CITATION.cff, linking the software and its paper to the project', async () => {
    const csl = await cli(db, ['import', 'csl', fixture('csl/zotero.json'), '--json']);
    // Eight of its nine items are d2l.bib entries stored above; Theano's paper is new.
    expect(csl.summary).toMatchObject({ status: 'finished', read: 9, failed: 0, inserted: 1 });
    expect(
      await db.prisma.work.count({ where: { citationKey: '2016arXiv160502688full', arxivId: '1605.02688' } }),
    ).toBe(1);
    const cff = await cli(db, ['import', 'cff', fixture('cff/caffe/CITATION.cff'), '--project', 'caffe', '--json']);
    expect(cff.summary).toMatchObject({ status: 'finished', failed: 0 });
    const project = await db.prisma.project.findUniqueOrThrow({
      where: { slug: 'caffe' },
      include: { works: { include: { work: true } } },
    });
    expect(project.repositoryUrl).toBe('https://github.com/BVLC/caffe');
    expect(project.works.map((link) => link.work.type).sort()).toEqual(['PROCEEDINGS_ARTICLE', 'SOFTWARE']);
  });

  it('changes nothing when the bibliographies and the CITATION.cff are imported again', async () => {
    const before = await snapshot(db.prisma);
    await cli(db, ['import', 'bibtex', fixture('bibtex/d2l.bib')]);
    await cli(db, ['import', 'csl', fixture('csl/zotero.json')]);
    await cli(db, ['import', 'cff', fixture('cff/caffe/CITATION.cff'), '--project', 'caffe']);
    expect(await snapshot(db.prisma)).toEqual(before);
  });
});

describe('import contributions and git', () => {
  it('sums the monthly CSV per person and month and derives contributor periods', async () => {
    const { summary } = await cli(db, [
      'import',
      'contributions',
      fixture('git-contributions/framework_contributions_monthly.csv'),
      '--json',
    ]);
    expect(summary).toMatchObject({ status: 'finished', read: 8585, failed: 0 });
    const jia = await db.prisma.contribution.findMany({
      where: { person: { name: 'Yangqing Jia' }, source: 'git-history' },
      include: { project: true },
      orderBy: { startDate: 'asc' },
    });
    expect(
      jia.map((row) => [
        row.project.slug,
        row.startDate.toISOString().slice(0, 7),
        row.endDate?.toISOString().slice(0, 7),
        row.evidence,
      ]),
    ).toEqual([
      ['caffe', '2013-09', '2015-03', '354 commits in BVLC/caffe, first 2013-09, last 2015-03'],
      ['caffe2', '2015-06', '2018-03', '563 commits in facebookarchive/caffe2, first 2015-06, last 2018-03'],
      ['onnx', '2017-11', '2017-11', '1 commit in onnx/onnx, first 2017-11, last 2017-11'],
    ]);
  });

  it('changes nothing when the CSV is imported again', async () => {
    const before = await snapshot(db.prisma);
    const { summary } = await cli(db, [
      'import',
      'contributions',
      fixture('git-contributions/framework_contributions_monthly.csv'),
      '--json',
    ]);
    expect(summary).toMatchObject({ inserted: 0, updated: 0, people: 0 });
    expect(await snapshot(db.prisma)).toEqual(before);
  });

  it("reads a real clone's history with git log: every non-merge commit counted once", async () => {
    const root = new URL('..', import.meta.url).pathname;
    const commits = Number(execFileSync('git', ['-C', root, 'rev-list', '--no-merges', '--count', 'HEAD']).toString());
    const { code, summary } = await cli(db, ['import', 'git', root, '--project', 'citegraph', '--json']);
    expect(code).toBe(0);
    expect(summary.status).toBe('finished');
    const project = await db.prisma.project.findUniqueOrThrow({ where: { slug: 'citegraph' } });
    const stored = await db.prisma.projectActivity.aggregate({
      where: { projectId: project.id },
      _sum: { commits: true },
    });
    expect(stored._sum.commits).toBe(commits);
    const before = await snapshot(db.prisma);
    await cli(db, ['import', 'git', root, '--project', 'citegraph']);
    expect(await snapshot(db.prisma)).toEqual(before);
  });
});

describe('interrupted imports', () => {
  /** The OpenAlex job, made to stop or to fail after `batches` committed batches. */
  async function stoppingJob(batches: number, how: 'abort' | 'crash', controller: AbortController) {
    const job = await openalexJob(fixture('openalex/works.jsonl'));
    let written = 0;
    return {
      ...job,
      write: async (...args: Parameters<ImportJob<unknown>['write']>) => {
        if (written === batches) {
          if (how === 'crash') throw new Error('the process died');
          controller.abort();
        }
        written += 1;
        return job.write(args[0], args[1] as never, args[2]);
      },
    } as ImportJob<unknown>;
  }

  async function identityState(target: Db) {
    const works = await target.prisma.work.findMany({
      where: { openalexId: { not: null } },
      select: { openalexId: true, doi: true, title: true, citationCount: true, hasYearlyCounts: true },
      orderBy: { openalexId: 'asc' },
    });
    const edges = await target.prisma.$queryRawUnsafe<{ pair: string }[]>(
      `SELECT a.openalex_id || '>' || b.openalex_id AS pair FROM citation c JOIN work a ON a.id = c.citing_id
       JOIN work b ON b.id = c.cited_id ORDER BY 1`,
    );
    return { works, edges: edges.map((row) => row.pair), counts: await counts(target.prisma) };
  }

  it('resumes after Ctrl-C and after a crash, ending as an uninterrupted run', async () => {
    const reference = await emptyDatabase('ingest_reference');
    const resumed = await emptyDatabase('ingest_resumed');
    try {
      await runImport(reference, await openalexJob(fixture('openalex/works.jsonl')), {
        input: 'works.jsonl',
        batchSize: 100,
      });

      const controller = new AbortController();
      const first = await runImport(resumed, await stoppingJob(3, 'abort', controller), {
        input: 'works.jsonl',
        batchSize: 100,
        signal: controller.signal,
      });
      expect(first.status).toBe('interrupted');
      expect(first.read).toBeLessThan(824);

      await expect(
        runImport(resumed, await stoppingJob(2, 'crash', new AbortController()), {
          input: 'works.jsonl',
          batchSize: 100,
        }),
      ).rejects.toThrow('the process died');

      const last = await runImport(resumed, await openalexJob(fixture('openalex/works.jsonl')), {
        input: 'works.jsonl',
        batchSize: 100,
      });
      expect(last.status).toBe('finished');
      expect(last.resumedAfterLine).toBeGreaterThanOrEqual(500);
      // The resumed run's counts continue the interrupted one's: the whole file, read once.
      expect(last.read).toBe(824);
      expect(await identityState(resumed)).toEqual(await identityState(reference));
    } finally {
      await reference.close();
      await resumed.close();
    }
  });
});

describe("the planner's statistics during an import", () => {
  const estimates = (target: Db) =>
    target.prisma.$queryRawUnsafe<{ relname: string; estimated: number; actual: number }[]>(
      `SELECT c.relname, c.reltuples::float8 AS estimated,
              CASE c.relname WHEN 'work' THEN (SELECT count(*) FROM work)
                             WHEN 'citation' THEN (SELECT count(*) FROM citation) END::float8 AS actual
       FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relname IN ('work', 'citation')
       ORDER BY c.relname`,
    );

  it('are refreshed as the import grows the tables, a few times rather than every batch', async () => {
    const growing = await emptyDatabase('statistics_growing');
    try {
      const summary = await runImport(growing, await openalexJob(fixture('openalex/works.jsonl')), {
        input: 'works.jsonl',
        batchSize: 50,
        statistics: { minRows: 200, growth: 0.5 },
      });
      expect(summary.status).toBe('finished');
      const batches = Math.ceil(summary.read / 50);
      // Spaced by growth: more than once, far fewer than the 17 batches.
      expect(summary.statisticsRefreshed).toBeGreaterThan(1);
      expect(summary.statisticsRefreshed).toBeLessThan(batches / 2);
      // The last refresh came after at most half again the rows it saw were written.
      for (const row of await estimates(growing)) {
        expect(row.estimated, row.relname).toBeGreaterThan(0);
        expect(row.estimated, row.relname).toBeGreaterThanOrEqual(row.actual / 1.5 - 200);
      }
    } finally {
      await growing.close();
    }
  });

  it('are refreshed by default once an import has written 20,000 rows, and not by one that writes none', async () => {
    const target = await emptyDatabase('statistics_default');
    try {
      const job = async () =>
        runImport(target, await openalexJob(fixture('openalex/works.jsonl')), { input: 'works.jsonl' });
      const first = await job();
      expect(first.inserted + first.stubs + first.citations + first.people).toBeGreaterThan(20_000);
      expect(first.statisticsRefreshed).toBeGreaterThan(0);
      const again = await job();
      expect(again.unchanged).toBe(again.read);
      expect(again.statisticsRefreshed).toBe(0);
    } finally {
      await target.close();
    }
  });
});
