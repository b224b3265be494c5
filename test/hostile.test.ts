import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/db.js';
import { cli, emptyDatabase, fixture, snapshot } from './ingest-kit.js';

/**
 * Hostile inputs, built from real fixture lines (see fixtures/hostile/SOURCE.md): each bad
 * record is reported with its file, line and reason, and every valid record around it is stored.
 */

let db: Db;
let dir: string;

const TABLES = [
  'identity_event',
  'work_project',
  'project_activity',
  'contribution',
  'affiliation',
  'person_reported_metric',
  'authorship',
  'reported_yearly_count',
  'work_yearly_count',
  'reported_count',
  'citation',
  'work',
  'person',
  'organization',
  'project',
  'import_run',
];

beforeAll(async () => {
  db = await emptyDatabase('hostile');
  dir = await mkdtemp(join(tmpdir(), 'citegraph-hostile-'));
});

afterAll(async () => {
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.prisma.$executeRawUnsafe(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`);
});

const hostile = (name: string) => fixture(`hostile/${name}`);

/** The lines of the real OpenAlex fixture, byte for byte, 1-based. */
const openalexBytes = readFileSync(fixture('openalex/works.jsonl'));
const openalexLines: Buffer[] = [];
for (let start = 0; start < openalexBytes.length; ) {
  const end = openalexBytes.indexOf(0x0a, start);
  openalexLines.push(openalexBytes.subarray(start, end === -1 ? openalexBytes.length : end));
  start = end === -1 ? openalexBytes.length : end + 1;
}
const realLine = (n: number) => openalexLines[n - 1] as Buffer;
const shortId = (line: Buffer) =>
  String((JSON.parse(line.toString('utf8')) as { id: string }).id)
    .split('/')
    .pop();

/** Works the OpenAlex import stored in full (minimal works made for references have no sources). */
async function openalexWorks(ids?: string[]) {
  return db.prisma.work.findMany({
    where: { sources: { has: 'openalex' }, ...(ids ? { openalexId: { in: ids } } : {}) },
    select: { openalexId: true, doi: true, title: true },
    orderBy: { openalexId: 'asc' },
  });
}

/** Real Monumenta Nipponica reviews of the OpenAlex fixture, by fixture line. */
const REVIEWS = {
  563: {
    openalexId: 'W2977928013',
    doi: '10.1353/mni.2081.0019',
    title: "Ennobling Japan's Savage Northeast: Tōhoku as Postwar Thought, 1945–2011 by Nathan Hopson (review)",
  },
  564: {
    openalexId: 'W2978464956',
    doi: '10.1353/mni.2081.0006',
    title: 'Recasting the Past: An Early Modern "Tales of Ise" for Children by Laura Moretti (review)',
  },
  568: { openalexId: 'W2979197763', doi: '10.1353/mni.2081.0000', title: 'Eightieth Anniversary Message' },
  569: {
    openalexId: 'W2979202794',
    doi: '10.1353/mni.2081.0010',
    title: 'Outcasts of Empire: Japan\'s Rule on Taiwan\'s "Savage Border," 1874–1945 by Paul D. Barclay (review)',
  },
  572: {
    openalexId: 'W2979907670',
    doi: '10.1353/mni.2081.0004',
    title: 'Fabricating the "Tenjukoku Shūchō Mandara" and Prince Shōtoku\'s Afterlives by Chari Pradel (review)',
  },
  576: {
    openalexId: 'W2981195287',
    doi: '10.1353/mni.2081.0015',
    title: 'Suicide in Twentieth-Century Japan by Francesca Di Marco (review)',
  },
  578: {
    openalexId: 'W2982319647',
    doi: '10.1353/mni.2081.0005',
    title: 'Accounts and Images of Six Kannon in Japan by Sherry D. Fowler (review)',
  },
  579: {
    openalexId: 'W2982600243',
    doi: '10.1353/mni.2081.0017',
    title: 'Picture Bride Stories by Barbara F. Kawakami (review)',
  },
  582: {
    openalexId: 'W2988267447',
    doi: '10.1353/mni.2081.0013',
    title: 'Honored and Dishonored Guests: Westerners in Wartime Japan by W. Puck Brecher (review)',
  },
  584: {
    openalexId: 'W2991173879',
    doi: '10.1353/mni.2081.0003',
    title:
      'Shinto: A History by Helen Hardacre, and: A Social History of the Ise Shrines: Divine Capital by Mark Teeuwen and John Breen (review)',
  },
} as const;
type ReviewLine = keyof typeof REVIEWS;
const reviews = (...lines: ReviewLine[]) =>
  lines.map((line) => REVIEWS[line]).sort((a, b) => a.openalexId.localeCompare(b.openalexId));
const reviewIds = (...lines: ReviewLine[]) => lines.map((line) => REVIEWS[line].openalexId);

describe('hostile OpenAlex lines', () => {
  it('imports every record of a file with a UTF-8 byte order mark and CRLF line ends, with no failures', async () => {
    const file = hostile('openalex-bom-crlf.jsonl');
    const { code, summary } = await cli(db, ['import', 'openalex', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 5, inserted: 5, failed: 0, repaired: 0, problems: [] });
    // The first title would carry the byte order mark, the DOIs a carriage return, if either leaked through.
    expect(await openalexWorks()).toEqual(reviews(563, 564, 568, 569, 572));
  });

  it('fails a JSON line cut in half with "invalid JSON" at its line and imports the lines around it', async () => {
    const file = hostile('openalex-truncated-line.jsonl');
    const { code, summary } = await cli(db, ['import', 'openalex', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 5, inserted: 4, failed: 1 });
    expect(summary.problems).toEqual([
      { kind: 'failed', file, line: 3, code: 'INVALID_RECORD', reason: expect.stringContaining('invalid JSON') },
    ]);
    expect(await openalexWorks()).toEqual(reviews(563, 564, 569, 572));
    expect(await openalexWorks(reviewIds(568))).toEqual([]);
  });

  it('repairs a raw NUL byte and a \\u0000 escape in titles, storing both titles without NUL', async () => {
    const file = hostile('openalex-nul.jsonl');
    const { code, summary } = await cli(db, ['import', 'openalex', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 3, inserted: 3, failed: 0, repaired: 2 });
    expect(summary.problems).toEqual([
      { kind: 'repaired', file, line: 1, reason: expect.stringMatching(/NUL/) },
      { kind: 'repaired', file, line: 2, reason: expect.stringMatching(/NUL characters from title/) },
    ]);
    expect(await openalexWorks()).toEqual(reviews(578, 579, 584));
  });

  it('fails a line holding invalid UTF-8 bytes with "not valid UTF-8" and imports the others', async () => {
    const file = hostile('openalex-invalid-utf8.jsonl');
    const { code, summary } = await cli(db, ['import', 'openalex', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 3, inserted: 2, failed: 1 });
    expect(summary.problems).toEqual([
      { kind: 'failed', file, line: 2, code: 'NOT_UTF8', reason: expect.stringContaining('not valid UTF-8') },
    ]);
    expect(await openalexWorks()).toEqual(reviews(576, 579));
    expect(await openalexWorks(reviewIds(578))).toEqual([]);
  });

  it('keeps one work per OpenAlex id when a batch repeats a record and gives its DOI to another, warning at that line', async () => {
    const file = hostile('openalex-duplicate-doi.jsonl');
    const { code, summary } = await cli(db, ['import', 'openalex', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 3, inserted: 2, skipped: 1, merged: 0, failed: 0 });
    expect(summary.problems).toEqual([
      {
        kind: 'warning',
        file,
        line: 3,
        reason: expect.stringContaining('doi 10.1353/mni.2081.0017 is also on line 1'),
      },
    ]);
    expect(await openalexWorks()).toEqual([
      REVIEWS[579],
      { openalexId: REVIEWS[582].openalexId, doi: null, title: REVIEWS[582].title },
    ]);
    expect(await db.prisma.work.count({ where: { doi: '10.1353/mni.2081.0017' } })).toBe(1);
  });
});

describe('hostile OpenAlex records', () => {
  /** Real lines 563, 564, 568 and 569, the third replaced by `third` (a JSON object), as a file. */
  async function withThird(name: string, third: object) {
    const file = join(dir, name);
    const lines = [realLine(563), realLine(564), Buffer.from(JSON.stringify(third)), realLine(569)];
    await writeFile(file, Buffer.concat(lines.flatMap((line) => [line, Buffer.from('\n')])));
    return file;
  }
  const object = (line: number) => JSON.parse(realLine(line).toString('utf8')) as Record<string, unknown>;

  it('refuses a 5 MB line as RECORD_TOO_LARGE at its line, imports the rest, and takes it with --max-record-bytes', async () => {
    // A real record made 5 MB long the way large ones are: a long abstract_inverted_index.
    const big = { ...object(568), abstract_inverted_index: { lorem: Array.from({ length: 700_000 }, (_, i) => i) } };
    const file = await withThird('big-record.jsonl', big);
    const { code, summary } = await cli(db, ['import', 'openalex', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 4, inserted: 3, failed: 1 });
    expect(summary.problems).toEqual([
      {
        kind: 'failed',
        file,
        line: 3,
        code: 'RECORD_TOO_LARGE',
        reason: 'record longer than 4 MiB, the record size cap (--max-record-bytes)',
      },
    ]);
    expect(await openalexWorks()).toEqual(reviews(563, 564, 569));

    const larger = await cli(db, ['import', 'openalex', file, '--max-record-bytes', String(8 * 1024 * 1024), '--json']);
    expect(larger.summary).toMatchObject({ status: 'finished', read: 4, inserted: 1, unchanged: 3, failed: 0 });
    expect(await openalexWorks()).toEqual(reviews(563, 564, 568, 569));
  });

  it('refuses an invalid --max-record-bytes as a usage error', async () => {
    const { code, stderr } = await cli(db, [
      'import',
      'openalex',
      hostile('openalex-nul.jsonl'),
      '--max-record-bytes',
      '4MB',
    ]);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe('--max-record-bytes 4MB is not valid');
  });

  it('stores no year 0, -5, 3025 or 99999 and no date in such a year, warning at each line', async () => {
    const years = [0, -5, 3025, 99999];
    const file = join(dir, 'years.jsonl');
    const lines = ([563, 564, 568, 569] as const).map((line, index) =>
      JSON.stringify({ ...object(line), publication_year: years[index], publication_date: '3025-01-01' }),
    );
    await writeFile(file, `${lines.join('\n')}\n`);
    const { code, summary } = await cli(db, ['import', 'openalex', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 4, inserted: 4, repaired: 4, failed: 0 });
    const last = new Date().getUTCFullYear() + 1;
    expect(summary.problems.map((problem) => [problem.kind, problem.line, problem.reason])).toEqual(
      years.map((year, index) => [
        'repaired',
        index + 1,
        `publication_date 3025 is not a year from 1000 to ${last}; left out; publication_year ${year} is not a year from 1000 to ${last}; left out`,
      ]),
    );
    const stored = await db.prisma.work.findMany({
      where: { sources: { has: 'openalex' } },
      select: { publicationYear: true, publicationDate: true },
    });
    expect(stored).toEqual(Array(4).fill({ publicationYear: null, publicationDate: null }));
  });

  it('fails a record whose cited_by_count does not fit a 32-bit count, and imports the others', async () => {
    const file = await withThird('huge-count.jsonl', { ...object(568), cited_by_count: 2 ** 31 });
    const { code, summary } = await cli(db, ['import', 'openalex', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 4, inserted: 3, failed: 1 });
    expect(summary.problems).toEqual([
      {
        kind: 'failed',
        file,
        line: 3,
        code: 'INVALID_RECORD',
        reason: 'cited_by_count: Too big: expected number to be <=2147483647',
      },
    ]);
    expect(await openalexWorks()).toEqual(reviews(563, 564, 569));
  });

  it('imports a record with a 10 KB title and a 10 KB author name, keeping the title and cutting the name', async () => {
    // Text that does not compress, so the database cannot squeeze an over-long index entry.
    let seed = 7;
    const noise = (length: number) =>
      Array.from({ length }, () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return 'abcdefghijklmnopqrstuvwxyz     '[seed % 31];
      })
        .join('')
        .replace(/\s+/g, ' ')
        .trim();
    const title = `A ${noise(10_240)}`;
    const name = `B ${noise(10_240)}`;
    const record = object(568) as { authorships: { author: { display_name: string } }[] };
    const [first] = record.authorships;
    if (!first) throw new Error('the fixture line names no author');
    first.author.display_name = name;
    const file = await withThird('long-values.jsonl', { ...record, title, display_name: title });
    const { code, summary } = await cli(db, ['import', 'openalex', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 4, inserted: 4, failed: 0, repaired: 1 });
    expect(summary.problems).toEqual([
      {
        kind: 'repaired',
        file,
        line: 3,
        reason: expect.stringMatching(/^authorships\[0\] name is \d+ bytes long; kept its first \d+$/),
      },
    ]);
    const [stored] = await db.prisma.$queryRawUnsafe<{ title: string; keyLength: number; author: string }[]>(
      `SELECT w.title, length(w.title_key) AS "keyLength", p.name AS author FROM work w
       JOIN authorship a ON a.work_id = w.id AND a.position = 1 JOIN person p ON p.id = a.person_id
       WHERE w.openalex_id = $1`,
      REVIEWS[568].openalexId,
    );
    // Compared as booleans: a failure should not print 10 KB of text.
    expect(stored?.title === title).toBe(true);
    expect(stored?.keyLength).toBe(256);
    expect(name.startsWith(stored?.author ?? '-')).toBe(true);
    expect(Buffer.byteLength(stored?.author ?? '')).toBeLessThanOrEqual(1000);
  });
});

describe('hostile gzip input', () => {
  const beforeTheCut = [563, 564, 568, 569] as const;

  it('reports a gzip cut off mid-stream as a failure mentioning gzip, after the lines that inflated', async () => {
    const file = hostile('openalex-cut.jsonl.gz');
    const { code, summary } = await cli(db, ['import', 'openalex', file, '--json', '--batch-size', '1']);
    // A damaged gzip is one failed record: the run still counts as finished and exits 0.
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 4, inserted: 4, failed: 1 });
    expect(summary.problems).toEqual([
      {
        kind: 'failed',
        file,
        line: 5,
        code: 'INPUT_UNREADABLE',
        reason: expect.stringContaining('gzip data does not inflate after line 4'),
      },
    ]);
    expect(await openalexWorks()).toEqual(reviews(...beforeTheCut));
  });

  it('stores the records before the damage of a cut gzip with the default batch size', async () => {
    const file = hostile('openalex-cut.jsonl.gz');
    const { summary } = await cli(db, ['import', 'openalex', file, '--json']);
    expect(summary.read).toBe(4);
    expect(await openalexWorks()).toEqual(reviews(...beforeTheCut));
  });

  it('reports gzip magic bytes followed by garbage as a failure at line 1 mentioning gzip', async () => {
    const file = join(dir, 'garbage.jsonl.gz');
    await writeFile(file, Buffer.concat([Buffer.from([0x1f, 0x8b]), realLine(563).subarray(0, 200)]));
    const { code, summary } = await cli(db, ['import', 'openalex', file, '--json']);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ status: 'failed', read: 0, inserted: 0, failed: 1 });
    expect(summary.problems).toEqual([
      {
        kind: 'failed',
        file,
        line: 1,
        code: 'INPUT_UNREADABLE',
        reason: expect.stringContaining('gzip data does not inflate'),
      },
    ]);
    expect(await db.prisma.work.count()).toBe(0);
  });

  it('stops a gzip that inflates past its cap with DECOMPRESSED_SIZE_EXCEEDED, keeping the records before it', async () => {
    // 1 MB of gzip that inflates to 1 GiB of newlines, after four real lines and before a fifth.
    const file = join(dir, 'bomb.jsonl.gz');
    const lines = ([563, 564, 568, 569] as const).map(realLine);
    const head = gzipSync(Buffer.concat(lines.flatMap((line) => [line, Buffer.from('\n')])));
    const newlines = gzipSync(Buffer.alloc(1 << 20, 0x0a));
    const tail = gzipSync(Buffer.concat([realLine(572), Buffer.from('\n')]));
    await writeFile(file, Buffer.concat([head, ...Array<Buffer>(1024).fill(newlines), tail]));
    const { code, summary } = await cli(db, ['import', 'openalex', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 4, inserted: 4, failed: 1 });
    expect(summary.problems).toEqual([
      {
        kind: 'failed',
        file,
        line: 5,
        code: 'DECOMPRESSED_SIZE_EXCEEDED',
        reason: expect.stringMatching(
          /^the gzip data inflates past 256 MiB, more than 100 times its compressed size \(a decompression bomb\?\); stopped after line \d+$/,
        ),
      },
    ]);
    expect(await openalexWorks()).toEqual(reviews(...beforeTheCut));
    expect(await db.prisma.importRun.findMany({ select: { status: true, linesDone: true } })).toEqual([
      { status: 'FAILED', linesDone: 4 },
    ]);
  });

  it('imports a valid .gz of real lines exactly as the plain file', async () => {
    const lines = ([563, 564, 568, 569, 572, 576, 578, 579, 582, 584] as const).map(realLine);
    const text = Buffer.concat(lines.flatMap((line) => [line, Buffer.from('\n')]));
    const plain = join(dir, 'reviews.jsonl');
    const gzipped = join(dir, 'reviews.jsonl.gz');
    await writeFile(plain, text);
    await writeFile(gzipped, gzipSync(text));

    const fromGzip = await cli(db, ['import', 'openalex', gzipped, '--json']);
    expect(fromGzip.code).toBe(0);
    expect(fromGzip.summary).toMatchObject({ status: 'finished', read: 10, inserted: 10, failed: 0, problems: [] });
    expect(await openalexWorks()).toEqual(reviews(563, 564, 568, 569, 572, 576, 578, 579, 582, 584));
    const stored = await snapshot(db.prisma);

    const fromPlain = await cli(db, ['import', 'openalex', plain, '--json']);
    expect(fromPlain.summary).toMatchObject({ status: 'finished', read: 10, inserted: 0, updated: 0, unchanged: 10 });
    expect(await snapshot(db.prisma)).toEqual(stored);
  });
});

describe('hostile bibliographies and project files', () => {
  it('fails the BibTeX entry with an unbalanced brace at its line and imports the entries around it', async () => {
    const file = fixture('bibtex/unbalanced.bib');
    const { code, summary } = await cli(db, ['import', 'bibtex', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 3, inserted: 2, failed: 1 });
    expect(summary.problems).toEqual([
      { kind: 'failed', file, line: 8, code: 'INVALID_RECORD', reason: expect.stringContaining('unclosed "{"') },
    ]);
    const works = await db.prisma.work.findMany({ select: { citationKey: true, title: true }, orderBy: { id: 'asc' } });
    expect(works).toEqual([
      { citationKey: 'jia2014caffe', title: 'Caffe: Convolutional Architecture for Fast Feature Embedding' },
      { citationKey: 'Szegedy.Liu.Jia.ea.2015', title: 'Going deeper with convolutions' },
    ]);
  });

  it('fails a truncated CSL-JSON file once, at the line where the JSON breaks off', async () => {
    const file = fixture('csl/truncated.json');
    const { code, summary } = await cli(db, ['import', 'csl', file, '--json']);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ status: 'failed', read: 1, inserted: 0, failed: 1 });
    expect(summary.problems).toEqual([
      {
        kind: 'failed',
        file,
        line: 61,
        code: 'INVALID_RECORD',
        reason: expect.stringContaining('invalid JSON at line 61'),
      },
    ]);
    expect(await db.prisma.work.count()).toBe(0);
  });

  it('rejects the CSL-JSON item that is not an object, at its line, and imports the items around it', async () => {
    const file = fixture('csl/mixed.json');
    const { code, summary } = await cli(db, ['import', 'csl', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 3, inserted: 2, failed: 1 });
    expect(summary.problems).toEqual([
      { kind: 'failed', file, line: 55, code: 'INVALID_RECORD', reason: expect.stringContaining('not a JSON object') },
    ]);
    const works = await db.prisma.work.findMany({ select: { citationKey: true }, orderBy: { id: 'asc' } });
    expect(works.map((work) => work.citationKey)).toEqual(['Szegedy.Liu.Jia.ea.2015', 'jia2014caffe']);
  });

  it('rejects a CITATION.cff missing title and authors, naming the keys, and stores nothing', async () => {
    const file = fixture('cff/missing-title-authors/CITATION.cff');
    const { code, summary } = await cli(db, ['import', 'cff', file, '--project', 'caffe', '--json']);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ status: 'failed', read: 1, inserted: 0, failed: 1 });
    expect(summary.problems).toEqual([
      {
        kind: 'failed',
        file,
        line: 1,
        code: 'INVALID_RECORD',
        reason: 'title: missing (a required key); authors: missing (a required key)',
      },
    ]);
    expect(await db.prisma.project.count()).toBe(0);
    expect(await db.prisma.work.count()).toBe(0);
  });
  describe('CITATION.cff files that cannot be used', () => {
    const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at |Error:|\.ts:\d+/);
    async function cffFile(name: string, lines: string[]) {
      const file = join(dir, name, 'CITATION.cff');
      await mkdir(join(dir, name), { recursive: true });
      await writeFile(file, `${lines.join('\n')}\n`);
      return file;
    }

    it('refuses a YAML alias bomb with one line, and no stack trace', async () => {
      const file = await cffFile('alias-bomb', [
        'cff-version: 1.2.0',
        'message: If you use this software, please cite it as below.',
        'lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        ...'bcdefgh'
          .split('')
          .map((anchor, index) => `${anchor}: &${anchor} [${Array(9).fill(`*${'abcdefg'[index]}`).join(', ')}]`),
        'title: *h',
        'authors:',
        '  - name: The Caffe Team',
      ]);
      const { code, stdout, stderr } = await cli(db, ['import', 'cff', file, '--project', 'caffe']);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.split('\n').filter((line) => line.startsWith('  failed'))).toEqual([
        `  failed [INVALID_RECORD]: ${file}:1: invalid YAML: Excessive alias count indicates a resource exhaustion attack`,
      ]);
      noStackTrace(stderr);
      expect(await db.prisma.project.count()).toBe(0);
    });

    it('names each missing or empty required key with its path in one line', async () => {
      const file = await cffFile('no-message', [
        'cff-version: 1.2.0',
        'title: Caffe',
        'authors: []',
        'repository-code: https://github.com/BVLC/caffe',
      ]);
      const text = await cli(db, ['import', 'cff', file, '--project', 'caffe']);
      expect(text.code).toBe(1);
      expect(text.stderr.split('\n').filter((line) => line.startsWith('  failed'))).toEqual([
        `  failed [INVALID_RECORD]: ${file}:1: message: missing (a required key); authors: must list at least one author`,
      ]);
      noStackTrace(text.stderr);
      const json = await cli(db, ['import', 'cff', file, '--project', 'caffe', '--json']);
      expect(json.summary.problems).toEqual([
        {
          kind: 'failed',
          file,
          line: 1,
          code: 'INVALID_RECORD',
          reason: 'message: missing (a required key); authors: must list at least one author',
        },
      ]);
      expect(await db.prisma.project.count()).toBe(0);
    });
  });
});

describe('the error budget', () => {
  // The first 150 real OpenAlex lines; every fifth one damaged: cut in half, or given invalid UTF-8.
  const damaged = new Set(Array.from({ length: 30 }, (_, index) => 5 * (index + 1)));
  const lines = Array.from({ length: 150 }, (_, index) => index + 1);
  const validIds = (upTo: number) =>
    lines
      .filter((line) => line <= upTo && !damaged.has(line))
      .map((line) => shortId(realLine(line)) as string)
      .sort();

  async function damagedFile() {
    const file = join(dir, 'works-damaged.jsonl');
    const parts = lines.map((line) => {
      const bytes = realLine(line);
      if (!damaged.has(line)) return bytes;
      if (line % 10 === 5) return bytes.subarray(0, Math.floor(bytes.length / 2));
      return Buffer.concat([bytes.subarray(0, 1), Buffer.from([0xff, 0xfe]), bytes.subarray(1)]);
    });
    await writeFile(file, Buffer.concat(parts.flatMap((part) => [part, Buffer.from('\n')])));
    return file;
  }

  it('stops a file with 20 % bad lines, keeping the batches committed before the stop', async () => {
    expect(validIds(150)).toHaveLength(120);
    const file = await damagedFile();
    const { code, summary } = await cli(db, ['import', 'openalex', file, '--batch-size', '25', '--json']);
    expect(code).toBe(1);
    // Batches hold 25 good records: the fourth ends at line 124, the first check past 100 records read.
    expect(summary).toMatchObject({ status: 'failed', read: 124, failed: 24 });
    // A work some earlier line referenced was stored as a minimal work, and is filled in (updated).
    expect(summary.inserted + summary.updated).toBe(100);
    expect(summary.message).toContain('error budget');
    expect(summary.message).toContain('24 of 124 records failed (19.4 %)');
    expect(summary.problems[0]).toEqual({
      kind: 'failed',
      file,
      line: 5,
      code: 'INVALID_RECORD',
      reason: expect.stringContaining('invalid JSON'),
    });
    expect(summary.problems[1]).toEqual({
      kind: 'failed',
      file,
      line: 10,
      code: 'NOT_UTF8',
      reason: 'not valid UTF-8 text',
    });

    const stored = (await openalexWorks(validIds(150))).map((work) => work.openalexId);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.length).toBeLessThan(120);
    expect(stored).toEqual(validIds(124));

    expect(await db.prisma.importRun.findMany({ select: { status: true, linesDone: true, summary: true } })).toEqual([
      {
        status: 'FAILED',
        linesDone: 124,
        summary: expect.objectContaining({
          status: 'failed',
          read: 124,
          failed: 24,
          message: expect.stringContaining('more than the error budget'),
        }),
      },
    ]);

    // Running again with a larger budget resumes after the last committed batch and stores the rest;
    // its counts continue the stopped run's.
    const again = await cli(db, ['import', 'openalex', file, '--batch-size', '25', '--max-errors', '50', '--json']);
    expect(again.code).toBe(0);
    expect(again.summary).toMatchObject({ status: 'finished', resumedAfterLine: 124, read: 150, failed: 30 });
    expect((await openalexWorks(validIds(150))).map((work) => work.openalexId)).toEqual(validIds(150));
    expect(await db.prisma.importRun.findMany({ select: { status: true }, orderBy: { id: 'asc' } })).toEqual([
      { status: 'FAILED' },
      { status: 'FINISHED' },
    ]);
  });

  it('still stops when the same command is run again without raising --max-errors', async () => {
    const file = await damagedFile();
    expect((await cli(db, ['import', 'openalex', file, '--batch-size', '25', '--json'])).code).toBe(1);
    const again = await cli(db, ['import', 'openalex', file, '--batch-size', '25', '--json']);
    expect(again.summary.resumedAfterLine).toBe(124);
    expect(again.summary.status).toBe('failed');
    expect(again.code).toBe(1);
  });

  it('finishes the same file with --max-errors 50 and imports every valid line', async () => {
    const file = await damagedFile();
    const { code, summary } = await cli(db, [
      'import',
      'openalex',
      file,
      '--batch-size',
      '25',
      '--max-errors',
      '50',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', message: null, read: 150, failed: 30 });
    expect(summary.inserted + summary.updated).toBe(120);
    expect(summary.problems.map((problem) => problem.line)).toEqual([...damaged]);
    expect((await openalexWorks(validIds(150))).map((work) => work.openalexId)).toEqual(validIds(150));
  });
});

describe('hostile CSV files', () => {
  it('rejects a contributions CSV whose header lacks columns, naming them', async () => {
    const file = hostile('contributions-missing-columns.csv');
    const { code, summary } = await cli(db, ['import', 'contributions', file, '--json']);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ status: 'failed', read: 0, inserted: 0, failed: 1 });
    expect(summary.problems).toEqual([
      {
        kind: 'failed',
        file,
        line: 1,
        code: 'INPUT_UNREADABLE',
        reason: expect.stringContaining('the header lacks the columns month, commits'),
      },
    ]);
    expect(await db.prisma.projectActivity.count()).toBe(0);
  });

  it('fails the contributions row with month 13 at its line and imports the other rows', async () => {
    const file = hostile('contributions-bad-month.csv');
    const { code, summary } = await cli(db, ['import', 'contributions', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 7, inserted: 6, failed: 1 });
    expect(summary.problems).toEqual([
      { kind: 'failed', file, line: 4, code: 'INVALID_RECORD', reason: 'month "13" is not 1-12' },
    ]);
    const activity = await db.prisma.projectActivity.findMany({
      select: { person: { select: { name: true } }, month: true, commits: true },
      orderBy: [{ month: 'asc' }, { commits: 'desc' }],
    });
    expect(activity.map((row) => [row.person.name, row.month.toISOString().slice(0, 7), row.commits])).toEqual([
      ['Yangqing Jia', '2013-09', 129],
      ['Yangqing Jia', '2013-10', 101],
      ['Yangqing Jia', '2013-11', 53],
      ['Ross Girshick', '2013-11', 4],
      ['Jeff Donahue', '2013-12', 2],
      ['Evan Shelhamer', '2013-12', 1],
    ]);
  });

  it('fails the citation edge whose cited paperId is malformed at its line and imports the other edges', async () => {
    const papers = join(dir, 'papers.jsonl');
    const real = readFileSync(fixture('s2/papers.jsonl'), 'utf8').split('\n').slice(0, 3);
    await writeFile(papers, `${real.join('\n')}\n`);
    const file = hostile('s2-edges-malformed.csv');
    const { code, summary } = await cli(db, [
      'import',
      's2',
      papers,
      '--citations',
      file,
      '--retrieved-on',
      '2026-03-30',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ format: 's2-citations', status: 'finished', read: 7, citations: 6, failed: 1 });
    expect(summary.problems).toEqual([
      {
        kind: 'failed',
        file,
        line: 3,
        code: 'INVALID_RECORD',
        reason: 'cited_paper_id "2d5673caa9e6af3a7b82a43f19ee920992db07a" is neither a 40-hex paperId nor CorpusID:n',
      },
    ]);
    const edges = await db.prisma.citation.findMany({
      select: { citing: { select: { s2Id: true } }, cited: { select: { s2Id: true, s2CorpusId: true } } },
    });
    expect(edges.map((edge) => edge.citing.s2Id).sort()).toEqual([
      '00367a5dc17789d56715837d77629c52eae005c5',
      '005e3dcb72a439e56d4a0845599dc4953f010990',
      '00825ab90a6b71f5b8aee5106b72f662bf96abba',
      '00848cd850da064fa614e6cc6d2ae57910271b89',
      '00855b611d2ff208a25497b724de7c47ab46b340',
      '00af81e79faf2e997d9c3d171889e4bd7b72e601',
    ]);
    expect(edges.filter((edge) => edge.cited.s2CorpusId === 14514057)).toHaveLength(5);
    expect(await db.prisma.work.count({ where: { s2Id: '004f5a298c3c8d19fb67d948ec8fc51d26831a52' } })).toBe(0);
  });
  it('reads reference rows whose quoted fields hold line breaks and quotes, reporting a bad row at its first line', async () => {
    const works = join(dir, 'crossref-works.jsonl');
    const real = readFileSync(fixture('crossref/works.jsonl'), 'utf8').split('\n');
    await writeFile(works, `${real.slice(0, 3).join('\n')}\n`);
    const dois = real.slice(0, 3).map((line) => (JSON.parse(line) as { DOI: string }).DOI.toLowerCase());
    const file = join(dir, 'references.csv');
    const rows = [
      'citing_doi,reference_key,cited_doi,unstructured',
      `${dois[0]},ref1,${dois[1]},"Jia, Y. ""Caffe"".\r\nIn: Proc. ACM MM, 2014."`,
      `${dois[0]},ref2,not-a-doi,"A reference\r\nover two lines"`,
      `${dois[1]},ref3,${dois[2]},plain`,
    ];
    await writeFile(file, `${rows.join('\r\n')}\r\n`);
    const { code, summary } = await cli(db, ['import', 'crossref', works, '--references', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({
      format: 'crossref-references',
      status: 'finished',
      read: 3,
      citations: 2,
      failed: 1,
    });
    expect(summary.problems).toEqual([
      { kind: 'failed', file, line: 4, code: 'INVALID_RECORD', reason: 'cited_doi "not-a-doi" is not a DOI' },
    ]);
  });
});

describe('a missing input file', () => {
  const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at |\.ts:\d+/);

  it.each([
    ['openalex', []],
    ['s2', []],
    ['crossref', []],
  ])('exits 1 with a one-line message for import %s', async (format, extra: string[]) => {
    const missing = join(dir, `missing-${format}.jsonl`);
    const { code, stdout, stderr } = await cli(db, ['import', format, missing, ...extra]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`citegraph import ${format}: ${missing}: no such file or folder\n`);
    noStackTrace(stderr);
  });

  it.each([
    ['bibtex', []],
    ['csl', []],
    ['cff', ['--project', 'caffe']],
    ['contributions', []],
  ])('exits 1 with a one-line message for import %s', async (format, extra: string[]) => {
    const missing = join(dir, `missing-${format}`);
    const { code, stderr } = await cli(db, ['import', format, missing, ...extra]);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
