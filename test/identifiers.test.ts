import { describe, expect, it } from 'vitest';
import { matchKey, normalizeDoi } from '../src/services/identifiers.js';

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
