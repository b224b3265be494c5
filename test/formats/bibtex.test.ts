import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { arxivIdInText, normalizePages, parseBibtex } from '../../src/ingest/formats/bibtex.js';
import type { WorkRecord } from '../../src/ingest/records.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/bibtex/${name}`, import.meta.url), 'utf8');
}

function works(text: string): WorkRecord[] {
  return parseBibtex(text, 'test.bib').records.flatMap((record) => (record.parsed.ok ? [record.parsed.value] : []));
}

function work(text: string): WorkRecord {
  const [first] = works(text);
  if (!first) throw new Error('no work parsed');
  return first;
}

describe('parseBibtex on the Dive into Deep Learning bibliography', () => {
  const records = parseBibtex(fixture('d2l.bib'), 'd2l.bib').records;
  const byKey = new Map(works(fixture('d2l.bib')).map((record) => [record.recordKey, record]));

  it('parses all 488 entries without a problem or a warning', () => {
    expect(records).toHaveLength(488);
    expect(records.filter((record) => !record.parsed.ok)).toEqual([]);
    expect(records.filter((record) => record.parsed.ok && record.parsed.warnings)).toEqual([]);
  });

  it('gives each entry the line where its @ stands', () => {
    const lines = fixture('d2l.bib').split('\n');
    for (const record of records) expect(lines[record.line - 1]).toMatch(/^@\w+\{/);
    expect(records[0]?.line).toBe(1);
  });

  it('reads Caffe at ACM Multimedia with title, authors, venue and pages', () => {
    const caffe = byKey.get('Jia.Shelhamer.Donahue.ea.2014');
    expect(caffe).toMatchObject({
      title: 'Caffe: Convolutional architecture for fast feature embedding',
      publicationYear: 2014,
      type: 'PROCEEDINGS_ARTICLE',
      venue: 'Proceedings of the 22nd ACM International Conference on Multimedia',
      biblio: { pages: '675-678', citationKey: 'Jia.Shelhamer.Donahue.ea.2014' },
    });
    expect(caffe?.authors?.map((author) => author.name)).toEqual([
      'Yangqing Jia',
      'Evan Shelhamer',
      'Jeff Donahue',
      'Sergey Karayev',
      'Jonathan Long',
      'Ross Girshick',
      'Sergio Guadarrama',
      'Trevor Darrell',
    ]);
  });

  it('lists Yangqing Jia as the third author of GoogLeNet', () => {
    const googlenet = byKey.get('Szegedy.Liu.Jia.ea.2015');
    expect(googlenet?.title).toBe('Going deeper with convolutions');
    expect(googlenet?.authors?.[2]?.name).toBe('Yangqing Jia');
    expect(googlenet?.authors).toHaveLength(9);
  });

  it('turns LaTeX accents into Unicode and drops "et al."', () => {
    const tensorflow = byKey.get('Abadi.Barham.Chen.ea.2016');
    expect(tensorflow?.title).toBe('TensorFlow: A system for large-scale machine learning');
    expect(tensorflow?.authors?.[0]?.name).toBe('Martín Abadi');
    expect(tensorflow?.authors?.map((author) => author.name)).not.toContain('et al.');
    expect(tensorflow?.authors).toHaveLength(10);
  });

  it('reads a control space in a journal name as a space', () => {
    const names = [...byKey.values()].map((record) => record.venue ?? '');
    expect(names.filter((name) => name.includes('\\'))).toEqual([]);
    expect(names).toContain('Dokl. Akad. Nauk SSSR');
  });

  it('maps entry types to work types', () => {
    const types = new Set([...byKey.values()].map((record) => record.type));
    expect(types).toEqual(
      new Set(['ARTICLE', 'PROCEEDINGS_ARTICLE', 'BOOK', 'BOOK_CHAPTER', 'DISSERTATION', 'REPORT', 'OTHER']),
    );
    expect(byKey.get('Li.2017')).toMatchObject({ type: 'DISSERTATION', biblio: { publisher: 'PhD Thesis, CMU' } });
  });
});

describe('parseBibtex on the frameworks bibliography', () => {
  const [caffe, theano, tensorflow] = works(fixture('frameworks.bib'));

  it('reads the Caffe citation with its arXiv id taken from the journal text', () => {
    expect(caffe).toMatchObject({
      recordKey: 'jia2014caffe',
      title: 'Caffe: Convolutional Architecture for Fast Feature Embedding',
      publicationYear: 2014,
      type: 'ARTICLE',
      ids: { arxivId: '1408.5093', doi: null },
    });
    expect(caffe?.authors?.[0]?.name).toBe('Yangqing Jia');
  });

  it('reads Theano with its arXiv id from the URL and its 112 authors with particles', () => {
    expect(theano?.ids.arxivId).toBe('1605.02688');
    expect(theano?.title).toBe('Theano: A Python framework for fast computation of mathematical expressions');
    expect(theano?.authors).toHaveLength(112);
    const names = theano?.authors?.map((author) => author.name);
    expect(names).toContain('Alexandre de Brébisson');
    expect(names).toContain('Josh Bleecher Snyder');
    expect(names).toContain('François Savard');
  });

  it('reads tilde-joined names of the TensorFlow whitepaper as plain spaces', () => {
    expect(tensorflow?.type).toBe('OTHER');
    expect(tensorflow?.authors?.[0]?.name).toBe('Martín Abadi');
    expect(tensorflow?.authors?.[15]?.name).toBe('Yangqing Jia');
    expect(tensorflow?.biblio?.url).toBe('https://www.tensorflow.org/');
  });
});

describe('parseBibtex on hostile input', () => {
  it('keeps the good entries around one with an unbalanced brace and reports the bad one at its line', () => {
    const { records } = parseBibtex(fixture('unbalanced.bib'), 'unbalanced.bib');
    expect(records.map((record) => record.parsed.ok)).toEqual([true, false, true]);
    expect(records[1]?.line).toBe(8);
    expect(records[1]?.parsed).toEqual({ ok: false, reason: 'malformed BibTeX entry: 1 unclosed "{"' });
    expect(records[2]?.parsed.ok && records[2].parsed.value.recordKey).toBe('Szegedy.Liu.Jia.ea.2015');
  });

  it('reads a file with a byte order mark and CRLF line ends', () => {
    const { records } = parseBibtex(fixture('bom-crlf.bib'), 'bom-crlf.bib');
    expect(records.map((record) => record.line)).toEqual([1, 8]);
    const [caffe, pytorch] = works(fixture('bom-crlf.bib'));
    expect(caffe?.recordKey).toBe('jia2014caffe');
    expect(caffe?.title).toBe('Caffe: Convolutional Architecture for Fast Feature Embedding');
    expect(pytorch?.title).toBe('PyTorch: An imperative style, high-performance deep learning library');
    expect(pytorch?.authors?.[9]?.name).toBe('Luca Antiga');
  });

  it('removes a NUL byte inside a field and says so in a warning', () => {
    const [record] = parseBibtex(fixture('nul.bib'), 'nul.bib').records;
    expect(record?.parsed).toMatchObject({
      ok: true,
      value: { title: 'Going deeper with convolutions' },
      warnings: ['removed 1 NUL character(s)'],
    });
  });

  it('reports an entry that names neither a title nor an identifier', () => {
    const [record] = parseBibtex('@misc{empty, year = {2014}}', 'x.bib').records;
    expect(record?.parsed).toEqual({ ok: false, reason: 'entry has neither a title nor a DOI or arXiv id' });
  });

  it('warns about an unknown LaTeX command and keeps its text', () => {
    const [record] = parseBibtex('@misc{k, title = {A \\foo{b}}}', 'x.bib').records;
    expect(record?.parsed.ok && record.parsed.warnings).toEqual(['unknown LaTeX command \\foo kept as written']);
  });

  it('uses the file and line as the record key of an entry without a key', () => {
    const [record] = parseBibtex('\n@misc{, title = {Untitled key}}', 'x.bib').records;
    expect(record?.parsed).toMatchObject({
      ok: true,
      value: { recordKey: 'x.bib:2' },
      warnings: ['entry has no citation key'],
    });
  });
});

describe('parseBibtex field mapping', () => {
  it('applies @string macros, skips @comment and @preamble, and reads identifiers', () => {
    const text = [
      '@string{mm = "ACM Multimedia"}',
      '@comment{ignored}',
      '@preamble{"\\newcommand{\\x}{x}"}',
      '@misc{k, title = {T}, howpublished = mm, eprint = {1408.5093v2}, archivePrefix = {arXiv},',
      '  doi = {https://doi.org/10.1145/2647868.2654889}, number = {3}, volume = {22},',
      '  date = {2014-11-03}, publisher = {ACM and IEEE}, author = {Jia, Yangqing and others}}',
    ].join('\n');
    const { records } = parseBibtex(text, 'x.bib');
    expect(records).toHaveLength(1);
    expect(records[0]?.line).toBe(4);
    expect(work(text)).toMatchObject({
      type: 'PREPRINT',
      ids: { arxivId: '1408.5093', doi: '10.1145/2647868.2654889' },
      publicationYear: 2014,
      publicationDate: '2014-11-03',
      biblio: { issue: '3', volume: '22', publisher: 'ACM and IEEE' },
      authors: [{ name: 'Yangqing Jia' }],
    });
  });

  it('keeps a year and month as a date to the month, and a day with them as a date to the day', () => {
    expect(work('@article{k, title = {T}, year = 2016, month = may}')).toMatchObject({
      publicationYear: 2016,
      publicationDate: '2016-05-01',
      publicationDatePrecision: 'MONTH',
    });
    expect(work('@article{k, title = {T}, year = 2016, month = {September}}').publicationDate).toBe('2016-09-01');
    expect(work('@article{k, title = {T}, year = 2016, month = may, day = 3}')).toMatchObject({
      publicationDate: '2016-05-03',
      publicationDatePrecision: 'DAY',
    });
    expect(work('@article{k, title = {T}, year = 2016, month = {Spring}}')).toMatchObject({
      publicationYear: 2016,
      publicationDate: null,
      publicationDatePrecision: null,
    });
  });

  it('keeps the month of a biblatex date = {2020-05}', () => {
    expect(work('@article{k, title = {T}, date = {2020-05}}')).toMatchObject({
      publicationYear: 2020,
      publicationDate: '2020-05-01',
      publicationDatePrecision: 'MONTH',
    });
    expect(work('@article{k, title = {T}, date = {2020-05-17/2020-05-20}}')).toMatchObject({
      publicationDate: '2020-05-17',
      publicationDatePrecision: 'DAY',
    });
    expect(work('@article{k, title = {T}, date = {2020}}')).toMatchObject({
      publicationYear: 2020,
      publicationDate: null,
    });
  });

  it.each([
    ['year = {0}', 'year 0'],
    ['year = {-5}', 'year -5'],
    ['year = {3025}', 'year 3025'],
    ['year = {99999}', 'year 99999'],
    ['date = {3025-05-01}', 'date 3025'],
  ])('leaves out the year and date of %s, with a warning', (fields, warning) => {
    const [record] = parseBibtex(`@article{k, title = {T}, ${fields}, month = may}`, 'x.bib').records;
    const last = new Date().getUTCFullYear() + 1;
    expect(record?.parsed).toMatchObject({
      ok: true,
      value: { publicationYear: null, publicationDate: null, publicationDatePrecision: null },
      warnings: [`${warning} is not a year from 1000 to ${last}; left out`],
    });
  });

  it('cuts a 10 KB venue and author name to 1,000 bytes, with warnings, and keeps the title whole', () => {
    const long = 'Word '.repeat(2048).trim();
    const [record] = parseBibtex(
      `@article{k, title = {${long}}, journal = {${long}}, author = {${long} and Jane Doe}}`,
      'x.bib',
    ).records;
    expect(record?.parsed).toMatchObject({
      ok: true,
      value: { title: long, venue: long.slice(0, 999), authors: [{ name: long.slice(0, 999) }, { name: 'Jane Doe' }] },
      warnings: ['venue is 10239 bytes long; kept its first 999', 'author 1 is 10239 bytes long; kept its first 999'],
    });
  });

  it('turns accents, escapes and braces of a title into plain text', () => {
    const title = work("@book{k, title = {{\\'E}tude of {C}af{\\'{e}} 50\\% \\& more}}").title;
    expect(title).toBe('Étude of Café 50% & more');
  });

  it('maps software and conference entries and keeps literal author names whole', () => {
    const software = work('@software{k, title = {Caffe}, author = {{Berkeley Vision and Learning Center}}}');
    expect(software).toMatchObject({ type: 'SOFTWARE', authors: [{ name: 'Berkeley Vision and Learning Center' }] });
    expect(work('@conference{k, title = {T}}').type).toBe('PROCEEDINGS_ARTICLE');
    expect(work('@misc{k, title = {T}}').type).toBe('OTHER');
  });
});

describe('identifier helpers', () => {
  it('finds an arXiv id in journal text and URLs but not in a bare number', () => {
    expect(arxivIdInText('arXiv preprint arXiv:1408.5093')).toBe('1408.5093');
    expect(arxivIdInText('arXiv preprint arXiv: 1408.5093v3')).toBe('1408.5093');
    expect(arxivIdInText('see https://arxiv.org/abs/1605.02688v1.')).toBe('1605.02688');
    expect(arxivIdInText('Nature 1408.5093')).toBeNull();
  });

  it('collapses range dashes to one hyphen', () => {
    expect(normalizePages('675--678')).toBe('675-678');
    expect(normalizePages('265–283')).toBe('265-283');
    expect(normalizePages('e1001')).toBe('e1001');
    expect(normalizePages(' ')).toBeNull();
  });
});
