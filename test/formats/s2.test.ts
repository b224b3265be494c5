import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvRecord, parseCsvLine } from '../../src/ingest/csv.js';
import { s2Edge, s2Paper, s2WorkType } from '../../src/ingest/formats/s2.js';
import type { WorkRecord } from '../../src/ingest/records.js';

const fixtures = new URL('../fixtures/s2/', import.meta.url);
const options = { retrievedOn: '2024-06-01' };
const objects = readFileSync(new URL('papers.jsonl', fixtures), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Record<string, unknown>);
const results = objects.map((object) => s2Paper(object, options));
const works = results.flatMap((result) => (result.ok ? [result.value] : []));

function mapped(paperId: string): WorkRecord {
  const work = works.find((entry) => entry.recordKey === paperId);
  if (!work) throw new Error(`${paperId} did not map`);
  return work;
}

function fixtureObject(paperId: string): Record<string, unknown> {
  const object = objects.find((entry) => entry.paperId === paperId);
  if (!object) throw new Error(`${paperId} is not in the fixture`);
  return structuredClone(object);
}

function edgeRows(): Record<string, string>[] {
  const [header = '', ...rows] = readFileSync(new URL('citation-edges.csv', fixtures), 'utf8')
    .split('\n')
    .filter(Boolean);
  const columns = parseCsvLine(header);
  if ('error' in columns) throw new Error(columns.error);
  return rows.map((row) => {
    const fields = parseCsvLine(row);
    const record = 'error' in fields ? fields : csvRecord(columns, fields);
    if ('error' in record) throw new Error(String(record.error));
    return record;
  });
}

describe('s2Paper on the fixture papers', () => {
  it('maps all 7,505 papers under their paperIds, with no repairs needed', () => {
    expect(results.filter((result) => !result.ok)).toEqual([]);
    expect(works.map((work) => work.recordKey)).toEqual(objects.map((object) => object.paperId));
    expect(results.filter((result) => result.ok && result.warnings)).toEqual([]);
  });

  it('gives the 1,073 full records a count as of the given day and the bulk-search hits only an id and title', () => {
    const counted = works.filter((work) => work.reported);
    expect(counted).toHaveLength(1073);
    expect(new Set(counted.map((work) => work.reported?.retrievedOn))).toEqual(new Set(['2024-06-01']));
    const minimal = works.filter((work) => !work.reported);
    expect(minimal).toHaveLength(6432);
    for (const work of minimal) {
      expect(work).toEqual({
        ids: { s2Id: work.recordKey, doi: null, arxivId: null, s2CorpusId: null },
        title: expect.any(String),
        publicationYear: null,
        publicationDate: null,
        publicationDatePrecision: null,
        type: null,
        venue: null,
        biblio: null,
        authors: null,
        reported: null,
        recordKey: work.recordKey,
      });
    }
  });

  it('keeps the identifiers and authors the full records carry', () => {
    expect(works.filter((work) => work.ids.s2CorpusId)).toHaveLength(1073);
    expect(works.filter((work) => work.ids.doi)).toHaveLength(1016);
    expect(works.filter((work) => work.ids.arxivId)).toHaveLength(244);
    const authors = works.flatMap((work) => work.authors ?? []);
    expect(authors).toHaveLength(3551);
    expect(authors.filter((author) => !author.s2Id)).toHaveLength(3);
  });

  it('maps Turing’s "Computing Machinery and Intelligence" with its journal details and count', () => {
    expect(mapped('2d5673caa9e6af3a7b82a43f19ee920992db07ad')).toEqual({
      ids: {
        s2Id: '2d5673caa9e6af3a7b82a43f19ee920992db07ad',
        doi: '10.1093/mind/lix.236.433',
        arxivId: null,
        s2CorpusId: 14636783,
      },
      title: 'Computing Machinery and Intelligence',
      publicationYear: 1950,
      publicationDate: '1950-10-01',
      publicationDatePrecision: 'DAY',
      type: 'REVIEW',
      venue: 'The Philosophy of Artificial Intelligence',
      biblio: { volume: 'LIX', pages: '433-460' },
      authors: [{ name: 'A. Turing', s2Id: '2262347' }],
      reported: { total: 10059, retrievedOn: '2024-06-01' },
      recordKey: '2d5673caa9e6af3a7b82a43f19ee920992db07ad',
    });
  });

  it('takes the arXiv id and keeps an author S2 has no id for', () => {
    const work = mapped('bbeec37a814305311aa6aef8eef1e912518805e9');
    expect(work.ids).toMatchObject({ arxivId: '2211.07954', doi: '10.48550/arxiv.2211.07954', s2CorpusId: 253523104 });
    expect(work.venue).toBe('arXiv.org');
    expect(work.authors?.[0]).toEqual({ name: 'Haoqin Tu', s2Id: null });
  });

  it('names the venue from the journal when S2 gives no venue', () => {
    const work = mapped('24fade315dc6a15961184a3c6dfec064591edcd5');
    expect(work.venue).toBe('Journal of Symbolic Logic');
    expect(work.biblio).toEqual({ volume: '18', pages: '179-179' });
  });

  it('accepts a search hit with a match score as a minimal record', () => {
    expect(mapped('6fe8c5bf8dddaadf10c765133d38dfef5714347f').title).toBe(
      'Mining association rules between sets of items in large databases',
    );
  });
});

describe('s2WorkType', () => {
  it('maps the publication types found in the fixture', () => {
    const counts: Record<string, number> = {};
    for (const work of works) counts[String(work.type)] = (counts[String(work.type)] ?? 0) + 1;
    expect(counts).toEqual({ null: 6617, ARTICLE: 529, REVIEW: 277, PROCEEDINGS_ARTICLE: 73, BOOK: 9 });
  });

  it('prefers the most specific of several types and has no type for editorials', () => {
    const cases: [string[] | null, string | null][] = [
      [['JournalArticle'], 'ARTICLE'],
      [['JournalArticle', 'Review'], 'REVIEW'],
      [['JournalArticle', 'Conference'], 'PROCEEDINGS_ARTICLE'],
      [['Book', 'JournalArticle'], 'BOOK'],
      [['BookSection'], 'BOOK_CHAPTER'],
      [['Dataset'], 'DATASET'],
      [['Editorial'], null],
      [['LettersAndComments', 'News'], null],
      [null, null],
    ];
    for (const [types, workType] of cases) expect(s2WorkType(types), String(types)).toBe(workType);
  });
});

describe('s2Paper repairs and rejections', () => {
  it('removes NUL characters and names the fields that held them', () => {
    const object = fixtureObject('2d5673caa9e6af3a7b82a43f19ee920992db07ad') as { title: string; authors: object[] };
    object.title = 'Computing Machinery\u0000 and Intelligence';
    object.authors = [{ authorId: '2262347', name: 'A.\u0000 Turing' }];
    const result = s2Paper(object, options);
    if (!result.ok) throw new Error(result.reason);
    expect([result.value.title, result.value.authors?.[0]?.name]).toEqual([
      'Computing Machinery and Intelligence',
      'A. Turing',
    ]);
    expect(result.warnings).toEqual([
      'removed NUL characters from title',
      'removed NUL characters from authors[0].name',
    ]);
  });

  it('leaves out authors without a name, with a warning', () => {
    const object = fixtureObject('2d5673caa9e6af3a7b82a43f19ee920992db07ad');
    object.authors = [{ authorId: '2262347', name: ' ' }];
    const result = s2Paper(object, options);
    expect(result.ok && [result.value.authors, result.warnings]).toEqual([
      null,
      ['authors[0] has no name and was left out'],
    ]);
  });

  it.each([0, -5, 3025, 99999])('leaves out year %s and a date in that year, with warnings', (year) => {
    const object = fixtureObject('2d5673caa9e6af3a7b82a43f19ee920992db07ad');
    object.year = year;
    object.publicationDate = '3025-10-01';
    const result = s2Paper(object, options);
    const last = new Date().getUTCFullYear() + 1;
    expect(result).toMatchObject({
      ok: true,
      value: { publicationYear: null, publicationDate: null, publicationDatePrecision: null },
      warnings: [
        `publicationDate 3025 is not a year from 1000 to ${last}; left out`,
        `year ${year} is not a year from 1000 to ${last}; left out`,
      ],
    });
  });

  it('cuts a 10 KB venue and author name to 1,000 bytes, with warnings', () => {
    const long = 'Word '.repeat(2048).trim();
    const object = fixtureObject('2d5673caa9e6af3a7b82a43f19ee920992db07ad');
    object.venue = long;
    object.authors = [{ authorId: '2262347', name: long }];
    const result = s2Paper(object, options);
    expect(result).toMatchObject({
      ok: true,
      value: { venue: long.slice(0, 999), authors: [{ name: long.slice(0, 999), s2Id: '2262347' }] },
      warnings: [
        'venue is 10239 bytes long; kept its first 999',
        'authors[0].name is 10239 bytes long; kept its first 999',
      ],
    });
  });

  it('rejects what is not a paper, with the reason', () => {
    const paper = fixtureObject('2d5673caa9e6af3a7b82a43f19ee920992db07ad');
    const cases: [unknown, string][] = [
      [[paper], 'not a JSON object but an array'],
      [{ title: 'Computing Machinery and Intelligence' }, 'no paperId: a Semantic Scholar paper needs its paperId'],
      [{ ...paper, paperId: 'CorpusID:14636783' }, 'paperId: a paperId is 40 hexadecimal digits'],
      [{ ...paper, citationCount: -1 }, 'citationCount: Too small: expected number to be >=0'],
      [{ ...paper, year: '1950' }, 'year: Invalid input: expected number, received string'],
      [{ ...paper, corpusId: 2 ** 31 }, 'corpusId: Too big: expected number to be <=2147483647'],
      [{ ...paper, citationCount: 1e12 }, 'citationCount: Too big: expected number to be <=2147483647'],
      [
        { ...paper, authors: [{ authorId: 2262347, name: 'A. Turing' }] },
        'authors[0].authorId: Invalid input: expected string, received number',
      ],
    ];
    for (const [value, reason] of cases) expect(s2Paper(value, options)).toEqual({ ok: false, reason });
  });
});

describe('s2Edge', () => {
  const edges = edgeRows().map(s2Edge);

  it('maps all 2,881 edges, 1,873 of them to a paper named only by its corpus id', () => {
    const mappedEdges = edges.flatMap((edge) => (edge.ok ? [edge.value] : []));
    expect(mappedEdges).toHaveLength(2881);
    expect(mappedEdges.filter((edge) => edge.cited.s2CorpusId === 14514057)).toHaveLength(1873);
    expect(mappedEdges.filter((edge) => edge.cited.s2Id === '2d5673caa9e6af3a7b82a43f19ee920992db07ad')).toHaveLength(
      1000,
    );
    expect(mappedEdges.filter((edge) => edge.citing.s2Id === '2d5673caa9e6af3a7b82a43f19ee920992db07ad')).toHaveLength(
      8,
    );
    expect(mappedEdges[0]).toEqual({
      citing: { s2Id: '00367a5dc17789d56715837d77629c52eae005c5' },
      cited: { s2CorpusId: 14514057 },
    });
  });

  it('rejects rows whose ids are neither paperIds nor corpus ids, or that lack a column', () => {
    const citing = '00367a5dc17789d56715837d77629c52eae005c5';
    expect(s2Edge({ citing_paper_id: citing, cited_paper_id: 'CorpusID:abc' })).toEqual({
      ok: false,
      reason: 'cited_paper_id "CorpusID:abc" is neither a 40-hex paperId nor CorpusID:n',
    });
    expect(s2Edge({ citing_paper_id: citing.slice(1), cited_paper_id: 'CorpusID:1' })).toEqual({
      ok: false,
      reason: `citing_paper_id "${citing.slice(1)}" is neither a 40-hex paperId nor CorpusID:n`,
    });
    expect(s2Edge({ citing_paper_id: citing })).toEqual({ ok: false, reason: 'missing column "cited_paper_id"' });
  });
});
