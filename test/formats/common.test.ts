import { describe, expect, it } from 'vitest';
import { capName, checkedYear, MAX_NAME_BYTES, publicationDate } from '../../src/ingest/formats/common.js';
import { matchKey } from '../../src/services/identifiers.js';

describe('checkedYear', () => {
  const next = new Date().getUTCFullYear() + 1;

  it('keeps the years from 1000 to next year', () => {
    const warnings: string[] = [];
    expect([1000, 1950, next].map((year) => checkedYear(year, 'year', warnings))).toEqual([1000, 1950, next]);
    expect(warnings).toEqual([]);
  });

  it('leaves out other years with a warning naming the field', () => {
    const warnings: string[] = [];
    expect([999, next + 1, 0, -5, 2020.5].map((year) => checkedYear(year, 'year', warnings))).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(warnings).toEqual(
      [999, next + 1, 0, -5, 2020.5].map((year) => `year ${year} is not a year from 1000 to ${next}; left out`),
    );
  });
});

describe('publicationDate', () => {
  it('gives year, month and day a DAY date, year and month a MONTH date, a year alone no date', () => {
    const warnings: string[] = [];
    expect(publicationDate({ year: 2020, month: 5, day: 17 }, 'date', warnings)).toEqual({
      year: 2020,
      date: '2020-05-17',
      precision: 'DAY',
    });
    expect(publicationDate({ year: 2020, month: 5 }, 'date', warnings)).toEqual({
      year: 2020,
      date: '2020-05-01',
      precision: 'MONTH',
    });
    expect(publicationDate({ year: 2020 }, 'date', warnings)).toEqual({ year: 2020, date: null, precision: null });
    expect(publicationDate({}, 'date', warnings)).toEqual({ year: null, date: null, precision: null });
    expect(warnings).toEqual([]);
  });

  it('drops a month or day that does not exist, with a warning', () => {
    const warnings: string[] = [];
    expect(publicationDate({ year: 2020, month: 13, day: 1 }, 'date', warnings)).toEqual({
      year: 2020,
      date: null,
      precision: null,
    });
    expect(publicationDate({ year: 2021, month: 2, day: 29 }, 'date', warnings).precision).toBe('MONTH');
    expect(publicationDate({ year: 2020, month: 2, day: 29 }, 'date', warnings).precision).toBe('DAY');
    expect(warnings).toEqual([
      'date month 13 is not 1-12; kept the year only',
      'date 2021-02-29 is no date; kept the month',
    ]);
  });
});

describe('capName', () => {
  it('keeps names that fit, and cuts longer ones at a character to 1,000 bytes', () => {
    const warnings: string[] = [];
    expect(capName('Yangqing Jia', 'name', warnings)).toBe('Yangqing Jia');
    expect(capName(null, 'name', warnings)).toBeNull();
    const cjk = capName('贾扬清'.repeat(400), 'name', warnings);
    expect(cjk).toBe('贾扬清'.repeat(111));
    expect(Buffer.byteLength(cjk ?? '')).toBe(999);
    expect(warnings).toEqual(['name is 3600 bytes long; kept its first 999']);
  });

  it('also keeps the match key within 1,000 bytes when NFKD makes it longer than the name', () => {
    // U+FDFA, one character of three bytes, decomposes into eighteen Arabic letters and spaces.
    const warnings: string[] = [];
    const name = capName('\uFDFA'.repeat(300), 'name', warnings) ?? '';
    expect(Buffer.byteLength(name)).toBeLessThan(MAX_NAME_BYTES);
    expect(Buffer.byteLength(matchKey(name))).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(Buffer.byteLength(matchKey(`${name}\uFDFA`))).toBeGreaterThan(MAX_NAME_BYTES);
    expect(warnings).toHaveLength(1);
  });
});
