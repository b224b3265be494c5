import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCff } from '../../src/ingest/formats/cff.js';
import type { ProjectRecord } from '../../src/ingest/records.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/cff/${name}/CITATION.cff`, import.meta.url), 'utf8');
}

function project(text: string, file = 'CITATION.cff'): ProjectRecord {
  const parsed = parseCff(text, file);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

const caffeAuthors = [
  'Yangqing Jia',
  'Evan Shelhamer',
  'Jeff Donahue',
  'Sergey Karayev',
  'Jonathan Long',
  'Ross Girshick',
  'Sergio Guadarrama',
  'Trevor Darrell',
];

describe('parseCff on the Caffe citation file', () => {
  const caffe = project(fixture('caffe'), 'caffe/CITATION.cff');

  it('reads the project with its creators and repository', () => {
    expect(caffe).toMatchObject({
      name: 'Caffe',
      repositoryUrl: 'https://github.com/BVLC/caffe',
      authorRole: 'CREATOR',
      releasedOn: null,
      version: null,
    });
    expect(caffe.authors.map((author) => author.name)).toEqual(caffeAuthors);
  });

  it('reads the preferred citation as the arXiv article', () => {
    expect(caffe.preferredCitation).toMatchObject({
      type: 'ARTICLE',
      title: 'Caffe: Convolutional Architecture for Fast Feature Embedding',
      publicationYear: 2014,
      venue: 'arXiv preprint arXiv:1408.5093',
      ids: { arxivId: '1408.5093', doi: null },
      recordKey: 'caffe/CITATION.cff#preferred-citation',
    });
    expect(caffe.preferredCitation?.authors?.map((author) => author.name)).toEqual(caffeAuthors);
  });

  it('describes the software itself as a software work by the same authors', () => {
    expect(caffe.software).toMatchObject({
      type: 'SOFTWARE',
      title: 'Caffe',
      biblio: { url: 'https://github.com/BVLC/caffe' },
      recordKey: 'caffe/CITATION.cff#software',
    });
    expect(caffe.software?.authors).toEqual(caffe.authors);
  });
});

describe('parseCff on other real projects', () => {
  it('reads an entity author and persons with name particles', () => {
    const theano = project(fixture('theano'));
    expect(theano.authors).toEqual([{ name: 'Theano Development Team', orcid: null, affiliation: null }]);
    const names = theano.preferredCitation?.authors?.map((author) => author.name);
    expect(names).toHaveLength(112);
    expect(names).toContain('Alexandre de Brébisson');
    expect(names).toContain('Bart van Merriënboer');
    expect(theano.preferredCitation?.ids.arxivId).toBe('1605.02688');
  });

  it('reads volume and a page range from start and end', () => {
    const pytorch = project(fixture('pytorch'));
    expect(pytorch.preferredCitation).toMatchObject({
      venue: 'Advances in Neural Information Processing Systems',
      publicationYear: 2019,
      biblio: { volume: '32', pages: '8026-8037' },
    });
  });
});

describe('parseCff on incomplete or invalid files', () => {
  it('names every missing or empty required key with its path', () => {
    expect(parseCff(fixture('missing-title-authors'), 'CITATION.cff')).toEqual({
      ok: false,
      reason: 'title: missing (a required key); authors: missing (a required key)',
    });
    expect(parseCff('title: x\nauthors: []\n', 'CITATION.cff')).toEqual({
      ok: false,
      reason:
        'cff-version: missing (a required key); message: missing (a required key); authors: must list at least one author',
    });
  });

  it('says which required key has the wrong kind of value', () => {
    const text = 'cff-version: 1.2.0\nmessage: [a, b]\ntitle: T\nauthors: Jane Doe\n';
    expect(parseCff(text, 'CITATION.cff')).toEqual({
      ok: false,
      reason: 'message: must be non-empty text; authors: must be a list of persons or entities',
    });
  });

  it('reports invalid YAML and a file that is no mapping', () => {
    const invalid = parseCff('title: [Caffe\n', 'CITATION.cff');
    expect(invalid).toMatchObject({ ok: false, reason: expect.stringMatching(/^invalid YAML: .*line 2/) });
    expect(parseCff('- a\n- b\n', 'CITATION.cff')).toEqual({ ok: false, reason: 'CITATION.cff is not a YAML mapping' });
  });

  it('refuses a YAML alias bomb and an alias without its anchor as invalid YAML, without throwing', () => {
    const bomb = [
      'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
      ...'bcdefghi'.split('').map((key, index) => {
        const previous = 'abcdefghi'[index];
        return `${key}: &${key} [${Array(9).fill(`*${previous}`).join(', ')}]`;
      }),
      'cff-version: 1.2.0',
      'message: m',
      'title: T',
      'authors: [{ name: X }]',
    ].join('\n');
    expect(parseCff(bomb, 'CITATION.cff')).toEqual({
      ok: false,
      reason: 'invalid YAML: Excessive alias count indicates a resource exhaustion attack',
    });
    expect(parseCff('title: *nowhere\n', 'CITATION.cff')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^invalid YAML: Unresolved alias/),
    });
  });

  it('rejects authors that name nobody', () => {
    const text = 'cff-version: 1.2.0\nmessage: m\ntitle: T\nauthors:\n  - affiliation: X\n';
    expect(parseCff(text, 'CITATION.cff')).toEqual({ ok: false, reason: 'authors: names no person or entity' });
  });
});

describe('parseCff field details', () => {
  const text = [
    'cff-version: 1.2.0',
    'message: Please cite.',
    'title: Tool',
    'version: 1.10',
    'date-released: 2017-04-18',
    'url: https://example.org/tool',
    'identifiers:',
    '  - type: doi',
    '    value: 10.5281/ZENODO.1234',
    'authors:',
    '  - given-names: Josiah',
    '    family-names: Carberry',
    '    name-suffix: Jr.',
    '    orcid: https://orcid.org/0000-0002-1825-0097',
    '    affiliation: Brown University',
    '  - alias: nobody',
  ].join('\n');
  const parsed = parseCff(text, 'CITATION.cff');

  it('keeps the version as written, the release date, and the url as repository', () => {
    expect(parsed).toMatchObject({
      ok: true,
      value: { version: '1.10', releasedOn: '2017-04-18', repositoryUrl: 'https://example.org/tool' },
    });
  });

  it('reads a person with suffix, ORCID iD and affiliation, and warns about a nameless author', () => {
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        authors: [{ name: 'Josiah Carberry Jr.', orcid: '0000-0002-1825-0097', affiliation: 'Brown University' }],
      },
      warnings: ['skipped 1 author(s) without a name'],
    });
  });

  it('gives the software its DOI from identifiers and its year from the release date', () => {
    expect(parsed.ok && parsed.value.software).toMatchObject({
      ids: { doi: '10.5281/zenodo.1234' },
      publicationYear: 2017,
      publicationDate: '2017-04-18',
      publicationDatePrecision: 'DAY',
    });
    expect(parsed.ok && parsed.value.preferredCitation).toBeNull();
  });
});

describe('parseCff on implausible values', () => {
  const base = ['cff-version: 1.2.0', 'message: m', 'authors:', '  - name: The Team'];

  it('leaves out a release date and a citation year outside 1000 to next year, with warnings', () => {
    const text = [
      ...base,
      'title: Tool',
      'date-released: 3025-01-01',
      'preferred-citation:',
      '  type: article',
      '  title: Paper',
      '  year: 99999',
      '  authors:',
      '    - name: The Team',
    ].join('\n');
    const parsed = parseCff(text, 'CITATION.cff');
    const last = new Date().getUTCFullYear() + 1;
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        releasedOn: null,
        software: { publicationYear: null, publicationDate: null, publicationDatePrecision: null },
        preferredCitation: { publicationYear: null },
      },
      warnings: [
        `date-released 3025 is not a year from 1000 to ${last}; left out`,
        `preferred-citation.year 99999 is not a year from 1000 to ${last}; left out`,
      ],
    });
  });

  it('keeps a 10 KB title as the software title but cuts the project name and an author name to 1,000 bytes', () => {
    const long = 'Name '.repeat(2048).trim();
    const text = ['cff-version: 1.2.0', 'message: m', `title: ${long}`, 'authors:', `  - name: ${long}`].join('\n');
    const parsed = parseCff(text, 'CITATION.cff');
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.value.software?.title).toBe(long);
    expect(parsed.value.name).toBe(long.slice(0, 999));
    expect(parsed.value.authors[0]?.name).toBe(long.slice(0, 999));
    expect(parsed.warnings).toEqual([
      'authors[0] is 10239 bytes long; kept its first 999',
      'title is 10239 bytes long; kept its first 999',
    ]);
  });
});
