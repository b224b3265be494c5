import { describe, expect, it } from 'vitest';
import {
  matchKey,
  normalizeArxivId,
  normalizeDoi,
  normalizeOrcid,
  shortOpenalexId,
  TITLE_KEY_LENGTH,
  titleKey,
} from '../src/services/identifiers.js';

describe('normalizeDoi', () => {
  it('strips resolver prefixes, trims and lower-cases', () => {
    for (const form of [
      '10.48550/arXiv.1603.04467',
      ' https://doi.org/10.48550/ARXIV.1603.04467 ',
      'http://dx.doi.org/10.48550/arxiv.1603.04467',
      'doi:10.48550/arxiv.1603.04467',
    ]) {
      expect(normalizeDoi(form), form).toBe('10.48550/arxiv.1603.04467');
    }
  });

  it('refuses text that is no DOI', () => {
    for (const text of ['', 'arxiv:1603.04467', '10.1/x', 'https://example.org/10.1145/1']) {
      expect(normalizeDoi(text), text).toBeNull();
    }
  });

  it('folds only ASCII letters, so DOIs that differ in other letters stay apart', () => {
    expect(normalizeDoi('10.1000/Å')).toBe('10.1000/Å');
    expect(normalizeDoi('10.1000/å')).toBe('10.1000/å');
    expect(normalizeDoi('10.1000/ÅBC')).toBe('10.1000/Åbc');
    // Unicode lower-casing would turn the Kelvin sign into "k" and the dotted capital I into two characters.
    expect(normalizeDoi('10.1000/\u212A')).toBe('10.1000/\u212A');
    expect(normalizeDoi('10.1000/\u0130')).toBe('10.1000/\u0130');
  });

  it('refuses a DOI longer than 500 characters', () => {
    expect(normalizeDoi(`10.1000/${'x'.repeat(492)}`)).toHaveLength(500);
    expect(normalizeDoi(`10.1000/${'x'.repeat(493)}`)).toBeNull();
  });
});

describe('titleKey', () => {
  it('is the match key of a title, cut to 256 characters', () => {
    expect(titleKey('TensorFlow: Large-Scale Machine Learning')).toBe(
      matchKey('TensorFlow: Large-Scale Machine Learning'),
    );
    const long = 'Deep residual learning for image recognition '.repeat(250);
    expect(TITLE_KEY_LENGTH).toBe(256);
    expect(titleKey(long)).toBe(matchKey(long).slice(0, 256));
  });

  it('cuts at whole characters, never inside a surrogate pair', () => {
    const key = titleKey(`a${'𠀀'.repeat(300)}`);
    expect(Array.from(key)).toHaveLength(256);
    expect(key.endsWith('𠀀')).toBe(true);
    expect(Buffer.byteLength(titleKey('𠀀'.repeat(5000)))).toBe(1024);
  });
});

describe('matchKey', () => {
  it('ignores case, accents, punctuation and the letters accent stripping leaves alone', () => {
    expect(matchKey('Martı́n Abadi')).toBe(matchKey('Martin ABADI'));
    expect(matchKey('Łukasz Kaiser')).toBe('lukaszkaiser');
    expect(matchKey('TensorFlow: Large-Scale Machine Learning')).toBe(
      matchKey('TensorFlow - Large-Scale Machine Learning'),
    );
  });

  it('keeps letters of other scripts and drops LIKE wildcards', () => {
    expect(matchKey('贾扬清')).toBe('贾扬清');
    expect(matchKey('jia%_')).toBe('jia');
  });
});

describe('shortOpenalexId', () => {
  it('shortens OpenAlex URLs and upper-cases the kind letter', () => {
    expect(shortOpenalexId('https://openalex.org/W2271840356', 'W')).toBe('W2271840356');
    expect(shortOpenalexId(' w2271840356 ', 'W')).toBe('W2271840356');
    expect(shortOpenalexId('https://openalex.org/A5023888391', 'A')).toBe('A5023888391');
  });

  it('refuses ids of another kind and text that is no OpenAlex id', () => {
    for (const text of [
      'https://openalex.org/A5023888391',
      'W',
      'W12x',
      'https://example.org/W1',
      `W${'9'.repeat(16)}`,
      '',
      null,
    ]) {
      expect(shortOpenalexId(text, 'W'), String(text)).toBeNull();
    }
  });
});

describe('normalizeOrcid', () => {
  it('strips the resolver and upper-cases a check digit X', () => {
    expect(normalizeOrcid('https://orcid.org/0000-0002-1825-0097')).toBe('0000-0002-1825-0097');
    expect(normalizeOrcid('http://orcid.org/0000-0003-4332-645x')).toBe('0000-0003-4332-645X');
    expect(normalizeOrcid('0000000218250097')).toBe('0000-0002-1825-0097');
  });

  it('refuses a wrong check digit and text that is no ORCID iD', () => {
    for (const text of ['0000-0002-1825-0098', '0000-0002-1825', 'https://example.org/0000-0002-1825-0097', '']) {
      expect(normalizeOrcid(text), text).toBeNull();
    }
  });
});

describe('normalizeArxivId', () => {
  it('reads ids, arXiv URLs and arXiv DOIs, dropping the version', () => {
    const forms = {
      '1603.04467': '1603.04467',
      'arXiv:1603.04467v2': '1603.04467',
      'https://arxiv.org/abs/1603.04467v1': '1603.04467',
      'http://arxiv.org/pdf/1806.03537.pdf': '1806.03537',
      'https://doi.org/10.48550/arXiv.1603.04467': '1603.04467',
      '10.48550/arxiv.2211.07954': '2211.07954',
      'http://arxiv.org/abs/cond-mat/9701055': 'cond-mat/9701055',
      'quant-ph/0702225v3': 'quant-ph/0702225',
      'math.GT/0309136': 'math/0309136',
    };
    for (const [form, id] of Object.entries(forms)) expect(normalizeArxivId(form), form).toBe(id);
  });

  it('refuses text that names no arXiv paper', () => {
    for (const text of [
      'https://doi.org/10.1103/physreva.57.120',
      'https://example.org/abs/1603.04467',
      '160.04467',
      `${'a'.repeat(17)}/0309136`,
      '',
    ]) {
      expect(normalizeArxivId(text), text).toBeNull();
    }
  });
});
