import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openalexWork, openalexWorkType } from '../../src/ingest/formats/openalex.js';
import type { WorkRecord } from '../../src/ingest/records.js';

const fixtures = new URL('../fixtures/openalex/', import.meta.url);
const lines = readFileSync(new URL('works.jsonl', fixtures), 'utf8').split('\n').filter(Boolean);
const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
const results = objects.map(openalexWork);

function mapped(id: string): WorkRecord {
  const result = results.find((entry) => entry.ok && entry.value.recordKey === id);
  if (!result?.ok) throw new Error(`${id} did not map`);
  return result.value;
}

function fixtureObject(id: string): Record<string, unknown> {
  const object = objects.find((entry) => entry.id === `https://openalex.org/${id}`);
  if (!object) throw new Error(`${id} is not in the fixture`);
  return structuredClone(object);
}

describe('openalexWork on the fixture works', () => {
  it('maps all 824 works, each under its short id, with no repairs needed', () => {
    expect(results.filter((result) => !result.ok)).toEqual([]);
    const keys = results.map((result) => (result.ok ? result.value.recordKey : ''));
    expect(keys).toEqual(objects.map((object) => String(object.id).replace('https://openalex.org/', '')));
    expect(new Set(keys).size).toBe(824);
    expect(results.filter((result) => result.ok && result.warnings)).toEqual([]);
  });

  it('keeps every authorship, ORCID, citation year and reference the file holds', () => {
    const works = results.flatMap((result) => (result.ok ? [result.value] : []));
    const authors = works.flatMap((work) => work.authors ?? []);
    expect(authors).toHaveLength(2808);
    expect(authors.filter((author) => author.orcid)).toHaveLength(1594);
    expect(authors.filter((author) => author.openalexId)).toHaveLength(2745);
    expect(works.filter((work) => work.references)).toHaveLength(455);
    expect(works.flatMap((work) => work.references ?? [])).toHaveLength(19_819);
    expect(works.filter((work) => work.reported?.years)).toHaveLength(551);
    expect(works.flatMap((work) => work.reported?.years ?? [])).toHaveLength(4477);
    expect(works.filter((work) => work.ids.doi)).toHaveLength(657);
    expect(works.filter((work) => work.ids.arxivId)).toHaveLength(22);
  });

  it('reports each work’s cited_by_count and counts_by_year as of its updated_date', () => {
    results.forEach((result, index) => {
      const object = objects[index] as {
        cited_by_count: number;
        updated_date: string;
        counts_by_year: { year: number; cited_by_count: number }[];
      };
      if (!result.ok) throw new Error(result.reason);
      expect(result.value.reported?.total).toBe(object.cited_by_count);
      expect(result.value.reported?.retrievedOn).toBe(object.updated_date.slice(0, 10));
      const years = object.counts_by_year.map((entry) => ({ year: entry.year, count: entry.cited_by_count }));
      expect(result.value.reported?.years ?? []).toEqual(years);
    });
  });

  it('maps TensorFlow’s whitepaper with its arXiv id, 40 authors in order, yearly counts and 42 references', () => {
    const work = mapped('W2271840356');
    expect(work.ids).toEqual({ openalexId: 'W2271840356', doi: '10.48550/arxiv.1603.04467', arxivId: '1603.04467' });
    expect(work.title).toBe('TensorFlow: Large-Scale Machine Learning on Heterogeneous Distributed Systems');
    expect(work).toMatchObject({ publicationYear: 2016, publicationDate: '2016-03-14', type: 'PREPRINT' });
    expect(work.venue).toBe('arXiv (Cornell University)');
    expect(work.biblio?.publisher).toBeNull();
    expect(work.authors).toHaveLength(40);
    expect(work.authors?.[0]).toEqual({
      name: 'Martı́n Abadi',
      openalexId: 'A5109387322',
      orcid: null,
      affiliation: null,
    });
    expect(work.authors?.find((author) => author.name === 'Łukasz Kaiser')?.orcid).toBe('0000-0003-1092-6010');
    expect(work.authors?.find((author) => author.name === 'Yangqing Jia')?.openalexId).toBe('A5110220840');
    // The figures of openalex/work_counts_by_year.csv, derived from the same object.
    expect(work.reported).toEqual({
      total: 9767,
      retrievedOn: '2026-05-08',
      years: [
        { year: 2026, count: 30 },
        { year: 2025, count: 297 },
        { year: 2024, count: 727 },
        { year: 2023, count: 903 },
        { year: 2022, count: 846 },
        { year: 2021, count: 1496 },
        { year: 2020, count: 1433 },
        { year: 2019, count: 1315 },
        { year: 2018, count: 1564 },
        { year: 2017, count: 996 },
        { year: 2016, count: 156 },
        { year: 2015, count: 2 },
        { year: 2014, count: 1 },
      ],
    });
    expect(work.references).toHaveLength(42);
    expect(work.references?.[0]).toEqual({ openalexId: 'W1442374986' });
  });

  it('takes an old-style arXiv id from a location and the journal’s details from the primary source', () => {
    const work = mapped('W2103282498');
    expect(work.ids).toEqual({
      openalexId: 'W2103282498',
      doi: '10.1103/physreva.57.120',
      arxivId: 'cond-mat/9701055',
    });
    expect(work.venue).toBe('Physical Review A');
    expect(work.biblio).toEqual({
      volume: '57',
      issue: '1',
      pages: '120-126',
      publisher: 'American Physical Society',
      url: 'https://doi.org/10.1103/physreva.57.120',
    });
    expect(work.authors).toEqual([
      {
        name: 'Daniel Loss',
        openalexId: 'A5010879789',
        orcid: '0000-0001-5176-3073',
        affiliation:
          'Department of Physics and Astronomy, University of Basel, Klingelbergstrasse 82, 4056 Basel, Switzerland',
        institutions: [
          {
            name: 'University of California, Santa Barbara',
            openalexId: 'I154570441',
            ror: '02t274463',
            country: 'US',
          },
          { name: 'University of Basel', openalexId: 'I1850255', ror: '02s6k3f65', country: 'CH' },
        ],
      },
      {
        name: 'David P. DiVincenzo',
        openalexId: 'A5056095913',
        orcid: '0000-0003-4332-645X',
        affiliation:
          'IBM Research Division, T.J. Watson Research Center, P.O. Box 218, Yorktown Heights, New York 10598',
        institutions: [
          {
            name: 'University of California, Santa Barbara',
            openalexId: 'I154570441',
            ror: '02t274463',
            country: 'US',
          },
          {
            name: 'IBM Research - Thomas J. Watson Research Center',
            openalexId: 'I4210114115',
            ror: '0265w5591',
            country: 'US',
          },
        ],
      },
    ]);
    expect(work.reported?.years).toHaveLength(15);
    expect(work.references).toHaveLength(27);
  });

  it('reads objects of the old API with host_venue, Crossref type names and a date-only updated_date', () => {
    const work = mapped('W631075702');
    expect(work.type).toBe('ARTICLE');
    expect(work.venue).toBe('Nursing leadership');
    expect(work.biblio).toMatchObject({
      volume: '29',
      issue: '4',
      pages: '46-58',
      publisher: 'Nurs Leadersh (Tor Ont)',
    });
    expect(work.reported).toEqual({
      total: 4,
      retrievedOn: '2021-11-03',
      years: [
        { year: 2021, count: 2 },
        { year: 2020, count: 1 },
        { year: 2019, count: 1 },
      ],
    });
    expect(work.references).toBeNull();
    expect(work.authors?.[0]?.affiliation).toBe('Nurse Manager, Fairleigh Lodge, Auckland, New Zealand.');
    // No affiliation string printed for her: the institution OpenAlex matched stands in.
    const dolovich = work.authors?.find((author) => author.name === 'Lisa Dolovich');
    expect(dolovich?.affiliation).toBe('St. Joseph’s Healthcare Hamilton');
  });

  it('keeps an author OpenAlex could not identify, without an id', () => {
    const author = mapped('W120796292').authors?.find((entry) => entry.name === 'Popp, Jozsef');
    expect(author).toMatchObject({ name: 'Popp, Jozsef', openalexId: null });
  });

  it('leaves the title empty when the work has neither title nor display_name', () => {
    expect(mapped('W2963341956').title).toBeNull();
  });
});

describe('openalexWork on partial works', () => {
  it('rejects the two works that carry no id', () => {
    const partial = JSON.parse(readFileSync(new URL('partial-works.json', fixtures), 'utf8')) as unknown[];
    expect(partial.map(openalexWork)).toEqual([
      { ok: false, reason: 'no id: an OpenAlex work needs its id (https://openalex.org/W…)' },
      { ok: false, reason: 'no id: an OpenAlex work needs its id (https://openalex.org/W…)' },
    ]);
  });
});

describe('openalexWorkType', () => {
  it('maps the types found in the fixture, proceedings articles by their Crossref type', () => {
    const counts: Record<string, number> = {};
    for (const result of results) {
      const type = result.ok ? String(result.value.type) : 'failed';
      counts[type] = (counts[type] ?? 0) + 1;
    }
    expect(counts).toEqual({
      ARTICLE: 525,
      BOOK: 80,
      BOOK_CHAPTER: 37,
      DATASET: 8,
      DISSERTATION: 14,
      OTHER: 54,
      PREPRINT: 35,
      PROCEEDINGS_ARTICLE: 23,
      REPORT: 6,
      REVIEW: 42,
    });
    expect(mapped('W1500530942').type).toBe('PROCEEDINGS_ARTICLE');
  });

  it('knows OpenAlex’s own type names and the Crossref names older objects use', () => {
    const expected = {
      article: 'ARTICLE',
      'journal-article': 'ARTICLE',
      book: 'BOOK',
      'book-chapter': 'BOOK_CHAPTER',
      dataset: 'DATASET',
      dissertation: 'DISSERTATION',
      preprint: 'PREPRINT',
      'posted-content': 'PREPRINT',
      'proceedings-article': 'PROCEEDINGS_ARTICLE',
      report: 'REPORT',
      review: 'REVIEW',
      other: 'OTHER',
      editorial: 'OTHER',
      grant: 'OTHER',
    };
    for (const [type, workType] of Object.entries(expected)) expect(openalexWorkType(type), type).toBe(workType);
    expect(openalexWorkType(null)).toBeNull();
  });
});

describe('openalexWork repairs and rejections', () => {
  it('removes NUL characters and names the fields that held them', () => {
    const object = fixtureObject('W2103282498') as {
      title: string;
      authorships: { raw_affiliation_strings: string[] }[];
    };
    object.title = `Quantum computation\u0000 with quantum dots`;
    const [first] = object.authorships;
    if (!first) throw new Error('no authorship');
    first.raw_affiliation_strings[0] = `\u0000University of Basel`;
    const result = openalexWork(object);
    if (!result.ok) throw new Error(result.reason);
    expect(result.value.title).toBe('Quantum computation with quantum dots');
    expect(result.value.authors?.[0]?.affiliation).toBe('University of Basel');
    expect(result.warnings).toEqual([
      'removed NUL characters from title',
      'removed NUL characters from authorships[0].raw_affiliation_strings[0]',
    ]);
  });

  it('falls back to created_date, and keeps no count when neither date is given', () => {
    const object = fixtureObject('W2271840356');
    delete object.updated_date;
    const fromCreated = openalexWork(object);
    expect(fromCreated.ok && fromCreated.value.reported?.retrievedOn).toBe('2025-10-10');
    delete object.created_date;
    const undated = openalexWork(object);
    if (!undated.ok) throw new Error(undated.reason);
    expect(undated.value.reported).toBeNull();
    expect(undated.warnings).toEqual([
      'cited_by_count not kept: no updated_date or created_date says when it was current',
    ]);
  });

  it('uses display_name when title is absent and accepts a short id', () => {
    const object = fixtureObject('W2271840356');
    delete object.title;
    object.id = 'W2271840356';
    const result = openalexWork(object);
    expect(result.ok && [result.value.recordKey, result.value.title]).toEqual([
      'W2271840356',
      'TensorFlow: Large-Scale Machine Learning on Heterogeneous Distributed Systems',
    ]);
  });

  it('rejects what is not a work, with the reason', () => {
    const work = fixtureObject('W2271840356');
    const cases: [unknown, string][] = [
      [[work], 'not a JSON object but an array'],
      ['W2271840356', 'not a JSON object but string'],
      [null, 'not a JSON object but null'],
      [{ meta: { count: 1 }, results: [work] }, 'an API list response (meta, results); give one work per line'],
      [
        { ...work, id: 'https://openalex.org/A5023888391' },
        'id "https://openalex.org/A5023888391" is not an OpenAlex work id (https://openalex.org/W…)',
      ],
      [{ ...work, id: 2271840356 }, 'id: Invalid input: expected string, received number'],
      [{ ...work, cited_by_count: 12.5 }, 'cited_by_count: Invalid input: expected int, received number'],
      [{ ...work, cited_by_count: '9767' }, 'cited_by_count: Invalid input: expected number, received string'],
      [{ ...work, publication_date: '2016-13-14' }, 'publication_date: Invalid ISO date'],
      [{ ...work, cited_by_count: 2 ** 31 }, 'cited_by_count: Too big: expected number to be <=2147483647'],
    ];
    for (const [value, reason] of cases) expect(openalexWork(value)).toEqual({ ok: false, reason });
  });

  it('takes no arXiv id when the locations name two different papers', () => {
    const object = fixtureObject('W2103282498') as { locations: object[] };
    object.locations.push({ landing_page_url: 'https://arxiv.org/abs/1603.04467' });
    const result = openalexWork(object);
    expect(result.ok && [result.value.ids.arxivId, result.warnings]).toEqual([
      null,
      ['arXiv id left out: the locations name cond-mat/9701055, 1603.04467'],
    ]);
  });

  it.each([0, -5, 3025, 99999])(
    'leaves out publication year %s, a date of 3025 and per-year counts of that year',
    (year) => {
      const object = fixtureObject('W2271840356');
      object.publication_year = year;
      object.publication_date = '3025-03-14';
      object.counts_by_year = [
        { year, cited_by_count: 3 },
        { year: 2016, cited_by_count: 5 },
      ];
      const result = openalexWork(object);
      if (!result.ok) throw new Error(result.reason);
      const last = new Date().getUTCFullYear() + 1;
      expect(result.value).toMatchObject({
        publicationYear: null,
        publicationDate: null,
        publicationDatePrecision: null,
      });
      expect(result.value.reported?.years).toEqual([{ year: 2016, count: 5 }]);
      expect(result.warnings).toEqual([
        `publication_date 3025 is not a year from 1000 to ${last}; left out`,
        `publication_year ${year} is not a year from 1000 to ${last}; left out`,
        `counts_by_year[0].year ${year} is not a year from 1000 to ${last}; left out`,
      ]);
    },
  );

  it('gives a full publication date the precision DAY', () => {
    expect(mapped('W2271840356')).toMatchObject({ publicationDate: '2016-03-14', publicationDatePrecision: 'DAY' });
  });

  it('cuts a 10 KB venue and author name to 1,000 bytes with warnings, and keeps a 10 KB title whole', () => {
    const long = 'Word '.repeat(2048).trim();
    const object = fixtureObject('W2271840356') as Record<string, unknown> & {
      primary_location: { source: { display_name: string } };
      authorships: { author: { display_name: string } }[];
    };
    object.title = long;
    object.primary_location.source.display_name = long;
    const [first] = object.authorships;
    if (!first) throw new Error('no authorship');
    first.author.display_name = long;
    const result = openalexWork(object);
    if (!result.ok) throw new Error(result.reason);
    expect(result.value.title).toBe(long);
    expect(result.value.venue).toBe(long.slice(0, 999));
    expect(result.value.authors?.[0]?.name).toBe(long.slice(0, 999));
    expect(result.warnings).toEqual([
      'venue is 10239 bytes long; kept its first 999',
      'authorships[0] name is 10239 bytes long; kept its first 999',
    ]);
  });

  it('warns about and drops identifiers that are malformed', () => {
    const object = fixtureObject('W2103282498') as Record<string, unknown> & {
      authorships: { author: { orcid: string } }[];
      referenced_works: string[];
    };
    object.doi = 'https://doi.org/physreva.57.120';
    const [first] = object.authorships;
    if (!first) throw new Error('no authorship');
    first.author.orcid = 'https://orcid.org/0000-0001-5176-3074';
    object.referenced_works[0] = 'https://openalex.org/A1';
    const result = openalexWork(object);
    if (!result.ok) throw new Error(result.reason);
    expect(result.value.ids.doi).toBeNull();
    expect(result.value.authors?.[0]?.orcid).toBeNull();
    expect(result.value.references).toHaveLength(26);
    expect(result.warnings).toEqual([
      'doi "https://doi.org/physreva.57.120" is not a DOI',
      'authorships[0] orcid "https://orcid.org/0000-0001-5176-3074" is not an ORCID iD',
      'referenced_works[0] "https://openalex.org/A1" is not an OpenAlex work id',
    ]);
  });
});
