import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCslJson } from '../../src/ingest/formats/csl.js';
import type { WorkRecord } from '../../src/ingest/records.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/csl/${name}`, import.meta.url), 'utf8');
}

function works(text: string): WorkRecord[] {
  return parseCslJson(text, 'test.json').records.flatMap((record) => (record.parsed.ok ? [record.parsed.value] : []));
}

describe('parseCslJson on a Zotero export', () => {
  const text = fixture('zotero.json');
  const { records } = parseCslJson(text, 'zotero.json');
  const byKey = new Map(works(text).map((work) => [work.recordKey, work]));

  it('imports every item, each at the line where its object opens', () => {
    expect(records).toHaveLength(9);
    expect(records.every((record) => record.parsed.ok)).toBe(true);
    const lines = text.split('\n');
    for (const record of records) expect(lines[record.line - 1]).toBe('\t{');
    expect(records[0]?.line).toBe(2);
  });

  it('reads Caffe at ACM Multimedia', () => {
    expect(byKey.get('Jia.Shelhamer.Donahue.ea.2014')).toMatchObject({
      title: 'Caffe: Convolutional architecture for fast feature embedding',
      type: 'PROCEEDINGS_ARTICLE',
      publicationYear: 2014,
      publicationDate: null,
      venue: 'Proceedings of the 22nd ACM International Conference on Multimedia',
      biblio: { pages: '675-678', citationKey: 'Jia.Shelhamer.Donahue.ea.2014' },
    });
    expect(byKey.get('Szegedy.Liu.Jia.ea.2015')?.authors?.[2]).toEqual({ name: 'Yangqing Jia' });
  });

  it('reads a preprint with its arXiv id from the archive number', () => {
    expect(byKey.get('jia2014caffe')).toMatchObject({
      type: 'PREPRINT',
      ids: { arxivId: '1408.5093', doi: null },
      title: 'Caffe: Convolutional Architecture for Fast Feature Embedding',
      biblio: { publisher: 'arXiv' },
    });
  });

  it('joins particles into the name and reads a year and month as a date to the month', () => {
    const theano = byKey.get('2016arXiv160502688full');
    expect(theano?.publicationYear).toBe(2016);
    expect(theano?.publicationDate).toBe('2016-05-01');
    expect(theano?.publicationDatePrecision).toBe('MONTH');
    expect(theano?.authors).toHaveLength(112);
    expect(theano?.authors?.map((author) => author.name)).toContain('Alexandre de Brébisson');
  });

  it('maps book, chapter and thesis types with their publishers', () => {
    expect(byKey.get('Bishop.2006')).toMatchObject({ type: 'BOOK', biblio: { publisher: 'Springer' } });
    expect(byKey.get('Bottou.2010')).toMatchObject({ type: 'BOOK_CHAPTER', biblio: { pages: '177-186' } });
    expect(byKey.get('Speelpenning.1980')).toMatchObject({
      type: 'DISSERTATION',
      biblio: { publisher: 'University of Illinois at Urbana-Champaign' },
    });
  });
});

describe('parseCslJson on broken input', () => {
  it('reports a truncated file once, at the line where the text ends, and imports nothing', () => {
    const { records } = parseCslJson(fixture('truncated.json'), 'truncated.json');
    expect(records).toHaveLength(1);
    expect(records[0]?.line).toBe(61);
    // The parser's own wording follows after the position; it differs between Node versions.
    expect(records[0]?.parsed).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^invalid JSON at line 61, column 1: \S/),
    });
  });

  it('reports the line and column of a syntax error inside the file', () => {
    const { records } = parseCslJson('[\n  {"title": "A"},\n  {"title" "B"}\n]', 'x.json');
    expect(records).toHaveLength(1);
    expect(records[0]?.line).toBe(3);
    expect(records[0]?.parsed).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^invalid JSON at line 3, column 12: \S/),
    });
  });

  it('rejects an item that is a number and keeps the others', () => {
    const { records } = parseCslJson(fixture('mixed.json'), 'mixed.json');
    expect(records.map((record) => record.line)).toEqual([2, 55, 56]);
    expect(records[1]?.parsed).toEqual({ ok: false, reason: 'item is not a JSON object but number' });
    expect(records.filter((record) => record.parsed.ok)).toHaveLength(2);
  });

  it('rejects an item with neither a title nor an identifier', () => {
    const { records } = parseCslJson('[{"id": "x", "type": "book"}, {"DOI": "10.1145/2647868.2654889"}]', 'x.json');
    expect(records[0]?.parsed).toEqual({ ok: false, reason: 'item has neither a title nor a DOI or arXiv id' });
    expect(records[1]?.parsed).toMatchObject({ ok: true, value: { ids: { doi: '10.1145/2647868.2654889' } } });
  });
});

describe('parseCslJson on single items and details', () => {
  it('reads a single object with a byte order mark as one item', () => {
    const { records } = parseCslJson(
      '\uFEFF\n\n{"id": "k", "title": "T", "issued": {"date-parts": [[2014, 11, 3]]}}',
      'x.json',
    );
    expect(records).toHaveLength(1);
    expect(records[0]?.line).toBe(3);
    expect(records[0]?.parsed).toMatchObject({ ok: true, value: { publicationDate: '2014-11-03', recordKey: 'k' } });
  });

  it('removes markup from titles, reads literal names and raw dates, and cleans NUL characters', () => {
    const item = {
      title: 'Deep <i>residual</i> learning',
      author: [
        { literal: 'Theano Development Team' },
        { given: 'Harm', 'non-dropping-particle': 'de', family: 'Vries' },
      ],
      issued: { raw: '2016-05-09' },
      URL: 'https://arxiv.org/abs/1605.02688',
      note: 'x\u0000',
    };
    const [record] = parseCslJson(JSON.stringify([item]), 'x.json').records;
    expect(record?.parsed).toMatchObject({
      ok: true,
      value: {
        title: 'Deep residual learning',
        authors: [{ name: 'Theano Development Team' }, { name: 'Harm de Vries' }],
        publicationYear: 2016,
        publicationDate: '2016-05-09',
        ids: { arxivId: '1605.02688' },
        recordKey: 'x.json:1',
      },
      warnings: ['removed NUL characters from note'],
    });
  });

  it('reads date-parts of [[null]] as no year, and of a year and month as a date to the month', () => {
    const issued = (dateParts: unknown) => {
      const [record] = parseCslJson(
        JSON.stringify([{ title: 'T', issued: { 'date-parts': dateParts } }]),
        'x.json',
      ).records;
      return record?.parsed;
    };
    expect(issued([[null]])).toEqual({
      ok: true,
      value: expect.objectContaining({ publicationYear: null, publicationDate: null, publicationDatePrecision: null }),
    });
    expect(issued([['2020', '5']])).toMatchObject({
      value: { publicationYear: 2020, publicationDate: '2020-05-01', publicationDatePrecision: 'MONTH' },
    });
    expect(issued([[2020, 5, 17]])).toMatchObject({
      value: { publicationDate: '2020-05-17', publicationDatePrecision: 'DAY' },
    });
  });

  it.each([[0], [-5], [3025], [99999]])('leaves out the year %s and its date, with a warning', (year) => {
    const item = { title: 'T', issued: { 'date-parts': [[year, 5, 1]] } };
    const [record] = parseCslJson(JSON.stringify([item]), 'x.json').records;
    expect(record?.parsed).toMatchObject({
      ok: true,
      value: { publicationYear: null, publicationDate: null, publicationDatePrecision: null },
      warnings: [`issued ${year} is not a year from 1000 to ${new Date().getUTCFullYear() + 1}; left out`],
    });
  });

  it('cuts a 10 KB container title and author name to 1,000 bytes, with warnings', () => {
    const long = 'Word '.repeat(2048).trim();
    const item = { title: long, 'container-title': long, author: [{ literal: long }] };
    const [record] = parseCslJson(JSON.stringify([item]), 'x.json').records;
    expect(record?.parsed).toMatchObject({
      ok: true,
      value: { title: long, venue: long.slice(0, 999), authors: [{ name: long.slice(0, 999) }] },
      warnings: [
        'container-title is 10239 bytes long; kept its first 999',
        'author[0] is 10239 bytes long; kept its first 999',
      ],
    });
  });

  it('does not count brackets inside strings as items', () => {
    const { records } = parseCslJson('[{"title": "a [b], {c}"},\n{"title": "\\"quoted\\" ["}]', 'x.json');
    expect(records.map((record) => record.line)).toEqual([1, 2]);
  });
});
