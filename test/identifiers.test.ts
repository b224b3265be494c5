import { describe, expect, it } from 'vitest';
import {
  matchKey,
  normalizeArxivId,
  normalizeDoi,
  normalizeOrcid,
  shortOpenalexId,
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
    for (const text of ['https://openalex.org/A5023888391', 'W', 'W12x', 'https://example.org/W1', '', null]) {
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
      '',
    ]) {
      expect(normalizeArxivId(text), text).toBeNull();
    }
  });
});
