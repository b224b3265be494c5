import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  citationKeyOf,
  type ExportWork,
  escapeBibtex,
  splitName,
  toBibtex,
  toBibtexFile,
  toCslJson,
  toCslJsonFile,
  toRis,
  toRisFile,
  uniqueCitationKeys,
} from '../../src/export/formats.js';
import { parseBibtex } from '../../src/ingest/formats/bibtex.js';
import { parseCslJson } from '../../src/ingest/formats/csl.js';
import type { WorkRecord } from '../../src/ingest/records.js';

function bibFixture(name: string): WorkRecord[] {
  const text = readFileSync(new URL(`../fixtures/bibtex/${name}`, import.meta.url), 'utf8');
  return parseBibtex(text, name).records.flatMap((record) => (record.parsed.ok ? [record.parsed.value] : []));
}

/** A work as the database would hand it to the exporters. */
function stored(work: WorkRecord, id: number): ExportWork {
  return {
    id,
    title: work.title ?? null,
    publicationYear: work.publicationYear ?? null,
    publicationDate: work.publicationDate ? new Date(`${work.publicationDate}T00:00:00Z`) : null,
    publicationDatePrecision: work.publicationDatePrecision ?? null,
    type: work.type ?? null,
    venue: work.venue ?? null,
    doi: work.ids.doi ?? null,
    arxivId: work.ids.arxivId ?? null,
    openalexId: null,
    s2Id: null,
    volume: work.biblio?.volume ?? null,
    issue: work.biblio?.issue ?? null,
    pages: work.biblio?.pages ?? null,
    publisher: work.biblio?.publisher ?? null,
    url: work.biblio?.url ?? null,
    citationKey: work.biblio?.citationKey ?? null,
    authors: (work.authors ?? []).map((author) => ({ name: author.name, orcid: author.orcid ?? null })),
  };
}

function essentials(work: WorkRecord) {
  return {
    title: work.title,
    authors: work.authors?.map((author) => author.name) ?? null,
    year: work.publicationYear,
    date: work.publicationDate,
    doi: work.ids.doi,
    arxivId: work.ids.arxivId,
    venue: work.venue,
    type: work.type,
    pages: work.biblio?.pages,
    volume: work.biblio?.volume,
    issue: work.biblio?.issue,
    publisher: work.biblio?.publisher,
  };
}

const caffe: ExportWork = {
  id: 7,
  title: 'Caffe: Convolutional Architecture for Fast Feature Embedding',
  publicationYear: 2014,
  publicationDate: new Date('2014-11-03T00:00:00Z'),
  publicationDatePrecision: 'DAY',
  type: 'PROCEEDINGS_ARTICLE',
  venue: 'Proceedings of the 22nd ACM International Conference on Multimedia',
  doi: '10.1145/2647868.2654889',
  arxivId: '1408.5093',
  openalexId: 'W2155893237',
  s2Id: null,
  volume: null,
  issue: null,
  pages: '675-678',
  publisher: 'ACM',
  url: null,
  citationKey: null,
  authors: [
    { name: 'Yangqing Jia', orcid: null },
    { name: 'Evan Shelhamer', orcid: null },
  ],
};

describe('BibTeX export', () => {
  it('round-trips every entry of the real bibliographies through parseBibtex', () => {
    const originals = [...bibFixture('d2l.bib'), ...bibFixture('frameworks.bib')];
    expect(originals).toHaveLength(491);
    const text = toBibtexFile(originals.map(stored));
    const again = parseBibtex(text, 'export.bib').records;
    expect(again.filter((record) => !record.parsed.ok || record.parsed.warnings)).toEqual([]);
    const reparsed = again.flatMap((record) => (record.parsed.ok ? [record.parsed.value] : []));
    expect(reparsed.map(essentials)).toEqual(originals.map(essentials));
  });

  it('writes a generated key, escaped fields and biblatex extras', () => {
    expect(toBibtex(caffe)).toBe(
      [
        '@inproceedings{jia2014caffe,',
        '  author = {Jia, Yangqing and Shelhamer, Evan},',
        '  title = {Caffe: Convolutional Architecture for Fast Feature Embedding},',
        '  booktitle = {Proceedings of the 22nd ACM International Conference on Multimedia},',
        '  pages = {675--678},',
        '  publisher = {ACM},',
        '  year = {2014},',
        '  date = {2014-11-03},',
        '  doi = {10.1145/2647868.2654889},',
        '  eprint = {1408.5093},',
        '  archivePrefix = {arXiv}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('escapes special characters, keeps non-ASCII letters and protects inner capitals', () => {
    const work = { ...caffe, title: 'R&D of 50% $x$ #1 a_b {c} in TensorFlow für Straße', authors: [] };
    const entry = toBibtex(work);
    expect(entry).toContain('title = {{R\\&D} of 50\\% \\$x\\$ \\#1 a\\_b \\{c\\} in {TensorFlow} für Straße}');
    const [back] = parseBibtex(entry, 'x.bib').records;
    expect(back?.parsed.ok && back.parsed.value.title).toBe(work.title);
    expect(escapeBibtex('a\\b~c^d')).toBe('a\\textbackslash{}b\\textasciitilde{}c\\textasciicircum{}d');
  });

  it('writes names it cannot split, or that contain "and", as one braced name', () => {
    const work = {
      ...caffe,
      authors: [
        { name: 'Theano Development Team', orcid: null },
        { name: 'Berkeley Vision and Learning Center', orcid: null },
        { name: '贾扬清', orcid: null },
      ],
    };
    expect(toBibtex(work)).toContain(
      'author = {Team, Theano Development and {Berkeley Vision and Learning Center} and {贾扬清}}',
    );
    const [back] = parseBibtex(toBibtex(work), 'x.bib').records;
    expect(back?.parsed.ok && back.parsed.value.authors?.map((author) => author.name)).toEqual([
      'Theano Development Team',
      'Berkeley Vision and Learning Center',
      '贾扬清',
    ]);
  });

  it('writes reports, theses, preprints and software with their entry types and fields', () => {
    expect(toBibtex({ ...caffe, type: 'REPORT' })).toMatch(/^@techreport\{[\s\S]*institution = \{ACM\}/);
    expect(toBibtex({ ...caffe, type: 'DISSERTATION' })).toMatch(/^@phdthesis\{[\s\S]*school = \{ACM\}/);
    expect(toBibtex({ ...caffe, type: 'PREPRINT', venue: 'arXiv' })).toMatch(/^@misc\{[\s\S]*howpublished = \{arXiv\}/);
    expect(toBibtex({ ...caffe, type: 'SOFTWARE' })).toMatch(/^@software\{/);
  });

  it('writes a conference paper as @inproceedings with booktitle, whether typed or known by its venue', () => {
    for (const work of [caffe, { ...caffe, type: null }, { ...caffe, type: null, venue: 'NIPS' }]) {
      const entry = toBibtex(work);
      expect(entry).toMatch(/^@inproceedings\{/);
      expect(entry).toContain(`  booktitle = {${work.venue}},`);
      expect(entry).not.toContain('journal = ');
    }
    const cvpr = {
      ...caffe,
      type: null,
      venue: '2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)',
    };
    expect(toBibtex(cvpr)).toMatch(/^@inproceedings\{[\s\S]*booktitle = \{2016 IEEE Conference/);
    expect(toBibtex({ ...caffe, type: null, venue: 'International Journal of Computer Vision' })).toMatch(
      /^@article\{[\s\S]*journal = \{International Journal of Computer Vision\}/,
    );
  });

  it('writes a work of unknown type and venue as @misc with howpublished, which the importer reads back', () => {
    const entry = toBibtex({ ...caffe, type: null, venue: 'Netflix Prize Documentation' });
    expect(entry).toMatch(/^@misc\{/);
    expect(entry).toContain('  howpublished = {Netflix Prize Documentation},');
    expect(entry).not.toMatch(/journal = |booktitle = /);
    expect(toBibtex({ ...caffe, type: null, venue: null })).toMatch(/^@misc\{(?![\s\S]*howpublished)/);
    const [back] = parseBibtex(entry, 'x.bib').records;
    expect(back?.parsed.ok && back.parsed.value.venue).toBe('Netflix Prize Documentation');
  });

  it('makes keys unique within a file with suffixes a, b, c', () => {
    const works = [caffe, caffe, { ...caffe, citationKey: 'jia2014caffea' }, caffe];
    expect(uniqueCitationKeys(works)).toEqual(['jia2014caffe', 'jia2014caffeb', 'jia2014caffea', 'jia2014caffec']);
    const keys = [...toBibtexFile(works).matchAll(/^@\w+\{([^,]+),/gm)].map((match) => match[1]);
    expect(keys).toEqual(['jia2014caffe', 'jia2014caffeb', 'jia2014caffea', 'jia2014caffec']);
  });
});

describe('citation keys', () => {
  it('prefers the stored key, cleaned of characters BibTeX cannot take', () => {
    expect(citationKeyOf({ ...caffe, citationKey: 'Jia.Shelhamer.Donahue.ea.2014' })).toBe(
      'Jia.Shelhamer.Donahue.ea.2014',
    );
    expect(citationKeyOf({ ...caffe, citationKey: 'my key,{1}' })).toBe('mykey1');
  });

  it('builds family name, year and first significant title word, in ASCII', () => {
    expect(
      citationKeyOf({ ...caffe, title: 'The Étude of things', authors: [{ name: 'Martín Abadi', orcid: null }] }),
    ).toBe('abadi2014etude');
    expect(citationKeyOf({ ...caffe, authors: [{ name: 'Alexandre de Brébisson', orcid: null }] })).toBe(
      'debrebisson2014caffe',
    );
    expect(citationKeyOf({ ...caffe, title: null, authors: [], publicationYear: null })).toBe('work7');
  });

  it('gives the same key for the same work every time', () => {
    expect(citationKeyOf(caffe)).toBe(citationKeyOf({ ...caffe }));
  });
});

describe('splitName', () => {
  it('splits given and family names, particles, suffixes and "Family, Given"', () => {
    expect(splitName('Yangqing Jia')).toEqual({ given: 'Yangqing', family: 'Jia', suffix: null });
    expect(splitName('Bart van Merriënboer')).toEqual({ given: 'Bart', family: 'van Merriënboer', suffix: null });
    expect(splitName('Josiah Carberry Jr.')).toEqual({ given: 'Josiah', family: 'Carberry', suffix: 'Jr.' });
    expect(splitName('Jia, Yangqing')).toEqual({ given: 'Yangqing', family: 'Jia', suffix: null });
    expect(splitName('贾扬清')).toBeNull();
  });
});

describe('CSL-JSON export', () => {
  it('writes a CSL item with names, date parts, identifiers and custom ids', () => {
    expect(toCslJson(caffe)).toEqual({
      id: 'jia2014caffe',
      'citation-key': 'jia2014caffe',
      type: 'paper-conference',
      title: 'Caffe: Convolutional Architecture for Fast Feature Embedding',
      author: [
        { family: 'Jia', given: 'Yangqing' },
        { family: 'Shelhamer', given: 'Evan' },
      ],
      issued: { 'date-parts': [[2014, 11, 3]] },
      'container-title': 'Proceedings of the 22nd ACM International Conference on Multimedia',
      page: '675-678',
      publisher: 'ACM',
      DOI: '10.1145/2647868.2654889',
      custom: { arxivId: '1408.5093', openalexId: 'W2155893237' },
    });
  });

  it('writes a preprint with its arXiv number, a literal name and a year-only date', () => {
    const preprint = {
      ...caffe,
      type: 'PREPRINT' as const,
      publicationDate: null,
      authors: [{ name: '贾扬清', orcid: null }],
      openalexId: null,
      arxivId: '1408.5093',
    };
    expect(toCslJson(preprint)).toMatchObject({
      type: 'article',
      number: 'arXiv:1408.5093',
      author: [{ literal: '贾扬清' }],
      issued: { 'date-parts': [[2014]] },
    });
  });

  it('round-trips the real bibliographies through parseCslJson', () => {
    const originals = [...bibFixture('d2l.bib'), ...bibFixture('frameworks.bib')];
    const items = toCslJsonFile(originals.map(stored));
    expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
    const again = parseCslJson(JSON.stringify(items, null, 2), 'export.json').records;
    const reparsed = again.flatMap((record) => (record.parsed.ok ? [record.parsed.value] : []));
    const basics = (work: WorkRecord) => ({
      title: work.title,
      authors: work.authors?.map((author) => author.name) ?? null,
      year: work.publicationYear,
      doi: work.ids.doi,
      venue: work.venue,
      pages: work.biblio?.pages,
    });
    expect(reparsed.map(basics)).toEqual(originals.map(basics));
  });
});

describe('RIS export', () => {
  it('writes one tag per line from TY to ER', () => {
    expect(toRis(caffe)).toBe(
      [
        'TY  - CPAPER',
        'ID  - jia2014caffe',
        'TI  - Caffe: Convolutional Architecture for Fast Feature Embedding',
        'AU  - Jia, Yangqing',
        'AU  - Shelhamer, Evan',
        'PY  - 2014',
        'DA  - 2014/11/03/',
        'T2  - Proceedings of the 22nd ACM International Conference on Multimedia',
        'SP  - 675',
        'EP  - 678',
        'PB  - ACM',
        'DO  - 10.1145/2647868.2654889',
        'ER  - ',
        '',
      ].join('\n'),
    );
  });

  it('keeps every value on its own line and separates records by a blank line', () => {
    const text = toRisFile([caffe, { ...caffe, type: null, pages: 'e1001', venue: 'Two\nlines' }]);
    expect(text).not.toContain('\r');
    expect(text).toContain('T2  - Two lines\n');
    expect(text).toContain('ER  - \n\nTY  - GEN\nID  - jia2014caffea\n');
    expect(text).toContain('SP  - e1001\n');
    expect(text.split('\n').filter((line) => line.startsWith('EP'))).toHaveLength(1);
  });
});

describe('dates known to the month or the year', () => {
  const month: ExportWork = {
    ...caffe,
    publicationDate: new Date('2020-05-01T00:00:00Z'),
    publicationDatePrecision: 'MONTH',
  };

  it('print only the parts the source gave', () => {
    expect(toBibtex(month)).toContain('date = {2020-05}');
    expect(toCslJson(month).issued).toEqual({ 'date-parts': [[2020, 5]] });
    expect(toRis(month)).toContain('DA  - 2020/05//');
    const year: ExportWork = { ...month, publicationDatePrecision: 'YEAR' };
    expect(toCslJson(year).issued).toEqual({ 'date-parts': [[2020]] });
    expect(toBibtex(year)).toContain('date = {2020}');
  });
});
