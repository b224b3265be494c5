import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvRecord, parseCsvLine } from '../../src/ingest/csv.js';
import { crossrefReference, crossrefWork, crossrefWorkType } from '../../src/ingest/formats/crossref.js';
import type { WorkRecord } from '../../src/ingest/records.js';

const fixtures = new URL('../fixtures/crossref/', import.meta.url);
const objects = readFileSync(new URL('works.jsonl', fixtures), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Record<string, unknown>);
const results = objects.map((object) => crossrefWork(object));
const works = results.flatMap((result) => (result.ok ? [result.value] : []));

const [header = '', ...referenceLines] = readFileSync(new URL('references.csv', fixtures), 'utf8')
  .split('\n')
  .filter(Boolean);
const referenceRows = referenceLines.map((line) => {
  const columns = parseCsvLine(header);
  const fields = parseCsvLine(line);
  if ('error' in columns || 'error' in fields) throw new Error(`unreadable line ${line}`);
  const row = csvRecord(columns, fields);
  if ('error' in row) throw new Error(String(row.error));
  return row;
});

function mapped(doi: string): WorkRecord {
  const work = works.find((entry) => entry.recordKey === doi);
  if (!work) throw new Error(`${doi} did not map`);
  return work;
}

function fixtureObject(doi: string): Record<string, unknown> {
  const object = objects.find((entry) => entry.DOI === doi);
  if (!object) throw new Error(`${doi} is not in the fixture`);
  return structuredClone(object);
}

describe('crossrefWork on the fixture works', () => {
  it('maps all 312 works under their lower-case DOIs', () => {
    expect(results.filter((result) => !result.ok)).toEqual([]);
    expect(works.map((work) => work.recordKey)).toEqual(objects.map((object) => String(object.DOI).toLowerCase()));
    expect(new Set(works.map((work) => work.recordKey)).size).toBe(312);
  });

  it('keeps the titles, dates, venues, authors and counts the items carry', () => {
    expect(works.filter((work) => work.title)).toHaveLength(228);
    expect(works.filter((work) => work.publicationYear)).toHaveLength(202);
    expect(works.filter((work) => work.publicationDatePrecision === 'DAY')).toHaveLength(72);
    expect(works.filter((work) => work.publicationDatePrecision === 'MONTH')).toHaveLength(116);
    expect(works.filter((work) => work.publicationDate)).toHaveLength(188);
    expect(works.filter((work) => work.venue)).toHaveLength(194);
    expect(works.filter((work) => work.authors)).toHaveLength(191);
    const authors = works.flatMap((work) => work.authors ?? []);
    expect(authors).toHaveLength(864);
    expect(authors.filter((author) => author.orcid)).toHaveLength(201);
    results.forEach((result, index) => {
      const object = objects[index] as { 'is-referenced-by-count': number; indexed: { 'date-time': string } };
      expect(result.ok && result.value.reported).toEqual({
        total: object['is-referenced-by-count'],
        retrievedOn: object.indexed['date-time'].slice(0, 10),
      });
    });
  });

  it('maps a journal article with ORCIDs, affiliations and its Crossref count', () => {
    expect(mapped('10.1002/sys.21609')).toEqual({
      ids: { doi: '10.1002/sys.21609' },
      title: 'Modeling correction activities in the context of verification strategies',
      publicationYear: 2021,
      publicationDate: '2021-11-19',
      publicationDatePrecision: 'DAY',
      type: 'ARTICLE',
      venue: 'Systems Engineering',
      biblio: {
        volume: '25',
        issue: '2',
        pages: '173-188',
        publisher: 'Wiley',
        url: 'http://dx.doi.org/10.1002/sys.21609',
      },
      authors: [
        {
          name: 'Peng Xu',
          orcid: '0000-0002-7323-6394',
          affiliation: 'Grado Department of Industrial and Systems Engineering Virginia Tech  Blacksburg Virginia USA',
        },
        {
          name: 'Alejandro Salado',
          orcid: '0000-0001-9378-0795',
          affiliation: 'Department of Systems and Industrial Engineering The University of Arizona  Tucson Arizona USA',
        },
      ],
      reported: { total: 2, retrievedOn: '2023-08-28' },
      references: null,
      recordKey: '10.1002/sys.21609',
    });
  });

  it('reads a title given as a string rather than a list', () => {
    const work = mapped('10.1126/science.169.3946.635');
    expect(work).toMatchObject({
      title: 'The Structure of Ordinary Water',
      publicationDate: '1970-08-14',
      venue: 'Science',
    });
  });

  it('keeps a date without a day as its month, and a name suffix', () => {
    const work = mapped('10.1002/jor.1100150407');
    expect([work.publicationYear, work.publicationDate, work.publicationDatePrecision]).toEqual([
      1997,
      '1997-07-01',
      'MONTH',
    ]);
    expect(work.authors?.map((author) => author.name)).toContain('Donald Hora Jr.');
  });

  it('gives no year for empty date parts and takes the first container title as venue', () => {
    const work = mapped('10.1007/0-306-46968-5_12');
    expect(work).toMatchObject({ publicationYear: null, publicationDate: null, type: 'BOOK_CHAPTER' });
    expect(work.venue).toBe('Series in Computer Science');
  });

  it('names an organisation author by its name', () => {
    expect(mapped('10.1007/s00280-016-3089-4').authors?.[0]).toEqual({
      name: 'behalf of the the Australasian Gastro-Intestinal Trials Group',
      orcid: null,
      affiliation: null,
    });
  });

  it('leaves out an author with no name, with a warning', () => {
    const result = results[objects.findIndex((object) => object.DOI === '10.31390/gradschool_theses.6125')];
    if (!result?.ok) throw new Error('the dissertation did not map');
    expect(result.value.authors).toHaveLength(1);
    expect(result.value.type).toBe('DISSERTATION');
    expect(result.warnings).toEqual(['author[0] has no name and was left out']);
  });
});

describe('crossrefWorkType', () => {
  it('maps the types found in the fixture', () => {
    const counts: Record<string, number> = {};
    for (const work of works) counts[String(work.type)] = (counts[String(work.type)] ?? 0) + 1;
    expect(counts).toEqual({
      ARTICLE: 147,
      BOOK: 6,
      BOOK_CHAPTER: 14,
      DATASET: 8,
      DISSERTATION: 1,
      OTHER: 109,
      PREPRINT: 8,
      PROCEEDINGS_ARTICLE: 9,
      REPORT: 10,
    });
  });

  it('maps each Crossref type name, and every other kind of work to OTHER', () => {
    const expected = {
      'journal-article': 'ARTICLE',
      'proceedings-article': 'PROCEEDINGS_ARTICLE',
      book: 'BOOK',
      monograph: 'BOOK',
      'book-chapter': 'BOOK_CHAPTER',
      'posted-content': 'PREPRINT',
      report: 'REPORT',
      dataset: 'DATASET',
      dissertation: 'DISSERTATION',
      component: 'OTHER',
      other: 'OTHER',
      'journal-issue': 'OTHER',
    };
    for (const [type, workType] of Object.entries(expected)) expect(crossrefWorkType(type), type).toBe(workType);
    expect(crossrefWorkType(undefined)).toBeNull();
  });
});

describe('crossrefWork envelopes, dates, references and rejections', () => {
  const bare = fixtureObject('10.1002/sys.21609');

  it('unwraps the API’s work envelope', () => {
    const envelope = { status: 'ok', 'message-type': 'work', 'message-version': '1.0.0', message: bare };
    expect(crossrefWork(envelope)).toEqual(crossrefWork(bare));
  });

  it('rejects envelopes that hold no single work', () => {
    expect(crossrefWork({ status: 'ok', 'message-type': 'work-list', message: { items: [bare] } })).toEqual({
      ok: false,
      reason: 'an API response of message-type "work-list"; give one work per line',
    });
    expect(crossrefWork({ status: 'failed', 'message-type': 'validation-failure', message: [] })).toEqual({
      ok: false,
      reason: 'an API response with status "failed", not a work',
    });
  });

  it('dates the count by indexed, then deposited, then the given day', () => {
    const retrievedOn = (object: Record<string, unknown>, day?: string) => {
      const result = crossrefWork(object, { retrievedOn: day });
      return result.ok ? result.value.reported?.retrievedOn : result.reason;
    };
    expect(retrievedOn(bare, '2024-06-01')).toBe('2023-08-28');
    const { indexed: _indexed, ...withoutIndexed } = bare;
    expect(retrievedOn(withoutIndexed, '2024-06-01')).toBe('2023-08-27');
    const { deposited: _deposited, ...undated } = withoutIndexed;
    expect(retrievedOn(undated, '2024-06-01')).toBe('2024-06-01');
    const result = crossrefWork(undated);
    expect(result.ok && [result.value.reported, result.warnings]).toEqual([
      null,
      ['is-referenced-by-count not kept: no indexed or deposited date says when it was current'],
    ]);
  });

  it('takes the DOIs of an item’s reference list as its references', () => {
    const rows = referenceRows.filter((row) => row.citing_doi === '10.1002/sys.21609');
    expect(rows).toHaveLength(54);
    const reference = rows.map((row) => ({ key: row.reference_key, DOI: row.cited_doi }));
    const result = crossrefWork({
      ...bare,
      reference: [...reference, { key: 'unstructured', unstructured: 'A book' }],
    });
    expect(result.ok && result.value.references).toEqual(rows.map((row) => ({ doi: row.cited_doi?.toLowerCase() })));
  });

  it('removes NUL characters and names the fields that held them', () => {
    const result = crossrefWork({ ...bare, title: ['Modeling correction\u0000 activities'], page: '173\u0000-188' });
    if (!result.ok) throw new Error(result.reason);
    expect([result.value.title, result.value.biblio?.pages]).toEqual(['Modeling correction activities', '173-188']);
    expect(result.warnings).toEqual(['removed NUL characters from title[0]', 'removed NUL characters from page']);
  });

  it('rejects items without a usable DOI or with a malformed count', () => {
    const { DOI: _doi, ...withoutDoi } = bare;
    const cases: [unknown, string][] = [
      [withoutDoi, 'DOI: a Crossref work needs its DOI'],
      [{ ...bare, DOI: 'sys.21609' }, 'DOI "sys.21609" is not a DOI'],
      [{ ...bare, 'is-referenced-by-count': -2 }, 'is-referenced-by-count: Too small: expected number to be >=0'],
      [
        { ...bare, 'is-referenced-by-count': 2 ** 31 },
        'is-referenced-by-count: Too big: expected number to be <=2147483647',
      ],
      ['10.1002/sys.21609', 'not a JSON object but string'],
    ];
    for (const [value, reason] of cases) expect(crossrefWork(value)).toEqual({ ok: false, reason });
  });

  it.each([0, -5, 3025, 99999])('leaves out the year %s and its date, with a warning', (year) => {
    const result = crossrefWork({ ...bare, published: { 'date-parts': [[year, 11, 19]] } });
    expect(result).toMatchObject({
      ok: true,
      value: { publicationYear: null, publicationDate: null, publicationDatePrecision: null },
      warnings: [`published ${year} is not a year from 1000 to ${new Date().getUTCFullYear() + 1}; left out`],
    });
  });

  it('keeps the month of a date whose day does not exist, with a warning', () => {
    const result = crossrefWork({ ...bare, published: { 'date-parts': [[2021, 2, 30]] } });
    expect(result).toMatchObject({
      ok: true,
      value: { publicationYear: 2021, publicationDate: '2021-02-01', publicationDatePrecision: 'MONTH' },
      warnings: ['published 2021-02-30 is no date; kept the month'],
    });
  });

  it('cuts a 10 KB container title and author name to 1,000 bytes, with warnings', () => {
    const long = 'Word '.repeat(2048).trim();
    const result = crossrefWork({ ...bare, 'container-title': [long], author: [{ name: long }] });
    expect(result).toMatchObject({
      ok: true,
      value: { venue: long.slice(0, 999), authors: [{ name: long.slice(0, 999) }] },
      warnings: [
        'container-title is 10239 bytes long; kept its first 999',
        'author[0] name is 10239 bytes long; kept its first 999',
      ],
    });
  });

  it('warns about an ORCID with a wrong check digit and drops it', () => {
    const authors = (bare.author as Record<string, unknown>[]).map((author) => ({ ...author }));
    const [first] = authors;
    if (!first) throw new Error('no author');
    first.ORCID = 'http://orcid.org/0000-0002-7323-6395';
    const result = crossrefWork({ ...bare, author: authors });
    expect(result.ok && [result.value.authors?.[0]?.orcid, result.warnings]).toEqual([
      null,
      ['author[0].ORCID "http://orcid.org/0000-0002-7323-6395" is not an ORCID iD'],
    ]);
  });
});

describe('crossrefReference', () => {
  const references = referenceRows.map(crossrefReference);

  it('maps every reference row but the one whose cited DOI holds a space', () => {
    expect(references).toHaveLength(6383);
    expect(references.filter((reference) => !reference.ok)).toEqual([
      {
        ok: false,
        reason: 'cited_doi "10.1002/(SICI)1096-8644(1999)110:29 <189::AID-AJPA7>3.0.CO;2-3" is not a DOI',
      },
    ]);
  });

  it('lower-cases DOIs, and links 96 references between works of the fixture', () => {
    const citations = references.flatMap((reference) => (reference.ok ? [reference.value] : []));
    // Line 184 of references.csv: 10.1002/sys.21609,e_1_2_8_73_1,10.1016/0888-613X(88)90146-6,crossref
    expect(references[182]).toEqual({
      ok: true,
      value: { citing: { doi: '10.1002/sys.21609' }, cited: { doi: '10.1016/0888-613x(88)90146-6' } },
    });
    const keys = new Set(works.map((work) => work.recordKey));
    expect(citations.every((citation) => keys.has(citation.citing.doi ?? ''))).toBe(true);
    expect(citations.filter((citation) => keys.has(citation.cited.doi ?? ''))).toHaveLength(96);
  });

  it('rejects a row without a citing DOI column or with a citing value that is no DOI', () => {
    expect(crossrefReference({ cited_doi: '10.1002/sys.21463' })).toEqual({
      ok: false,
      reason: 'missing column "citing_doi"',
    });
    expect(crossrefReference({ citing_doi: 'e_1_2_8_2_1', cited_doi: '10.1002/sys.21463' })).toEqual({
      ok: false,
      reason: 'citing_doi "e_1_2_8_2_1" is not a DOI',
    });
  });
});
