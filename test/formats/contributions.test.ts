import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvRecord, parseCsvLine } from '../../src/ingest/csv.js';
import {
  CONTRIBUTIONS_COLUMNS,
  contributionRow,
  projectSlugForRepo,
  repositoryUrlForRepo,
} from '../../src/ingest/formats/contributions.js';

const fixture = new URL('../fixtures/git-contributions/framework_contributions_monthly.csv', import.meta.url);
const HEADER = [...CONTRIBUTIONS_COLUMNS, 'files_changed'];

/** One line of the file through the whole chain: CSV fields, record, contribution. */
function parseLine(line: string, header: string[] = HEADER) {
  const fields = parseCsvLine(line);
  if ('error' in fields) return { ok: false as const, reason: fields.error };
  const record = csvRecord(header, fields);
  if ('error' in record) return { ok: false as const, reason: record.error };
  return contributionRow(record);
}

describe('the monthly contributions file', () => {
  const [headerLine = '', ...lines] = readFileSync(fixture, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  const rows = lines.map((line) => parseLine(line));
  const activity = rows.flatMap((row) => (row.ok ? [row.value] : []));

  it('has the columns the format requires, and files_changed', () => {
    expect(parseCsvLine(headerLine)).toEqual(HEADER);
  });

  it('maps every one of its 8,585 rows', () => {
    expect(rows).toHaveLength(8585);
    expect(rows.filter((row) => !row.ok)).toEqual([]);
  });

  it("gives Yangqing Jia's commits per repository and the months they span", () => {
    const his = activity.filter(({ activity }) => activity.name === 'Yangqing Jia');
    const byRepo = new Map<string, { commits: number; months: string[] }>();
    for (const { repo, activity } of his) {
      const entry = byRepo.get(repo) ?? { commits: 0, months: [] };
      entry.commits += activity.commits;
      entry.months.push(activity.month);
      byRepo.set(repo, entry);
    }
    const span = (repo: string) => {
      const months = [...(byRepo.get(repo)?.months ?? [])].sort();
      return [months[0], months.at(-1)];
    };
    expect(byRepo.get('BVLC/caffe')?.commits).toBe(354);
    expect(span('BVLC/caffe')).toEqual(['2013-09', '2015-03']);
    expect(byRepo.get('facebookarchive/caffe2')?.commits).toBe(563);
    expect(byRepo.get('onnx/onnx')).toEqual({ commits: 1, months: ['2017-11'] });
  });

  it('keeps the first row exactly', () => {
    expect(rows[0]).toEqual({
      ok: true,
      value: {
        repo: 'BVLC/caffe',
        activity: {
          name: 'Yangqing Jia',
          emailDomain: 'gmail.com',
          month: '2013-09',
          commits: 129,
          linesAdded: 40153,
          linesDeleted: 3251,
        },
      },
    });
  });

  it('keeps the empty author names the histories record', () => {
    const nameless = activity.filter(({ activity }) => activity.name === '');
    expect(nameless.map(({ repo, activity }) => [repo, activity.month, activity.commits])).toEqual([
      ['onnx/onnx', '2017-09', 3],
      ['onnx/onnx', '2017-10', 1],
      ['keras-team/keras', '2025-04', 1],
    ]);
  });

  it('reads quoted names and an empty e-mail domain', () => {
    const names = new Set(activity.map(({ activity }) => activity.name));
    expect(names).toContain('Nicholas Nadeau, P.Eng., AVS');
    expect(names).toContain('freedom" Koan-Sin Tan');
    const zoharby = activity.find(({ activity }) => activity.name === 'zoharby');
    expect(zoharby?.activity.emailDomain).toBeNull();
  });

  it('covers the six repositories', () => {
    expect(new Set(activity.map(({ repo }) => repo))).toEqual(
      new Set([
        'BVLC/caffe',
        'facebookarchive/caffe2',
        'onnx/onnx',
        'torch/torch7',
        'Theano/Theano',
        'keras-team/keras',
      ]),
    );
  });
});

describe('contributionRow', () => {
  const good = 'onnx/onnx,"HE, Tao",GMAIL.com,2018,1,1,3,3,3';

  it('reads a quoted name with a comma, lower-casing the domain and padding the month', () => {
    expect(parseLine(good)).toEqual({
      ok: true,
      value: {
        repo: 'onnx/onnx',
        activity: {
          name: 'HE, Tao',
          emailDomain: 'gmail.com',
          month: '2018-01',
          commits: 1,
          linesAdded: 3,
          linesDeleted: 3,
        },
      },
    });
  });

  it('accepts a file without files_changed, and an empty files_changed', () => {
    expect(parseLine('onnx/onnx,Tao,gmail.com,2018,1,1,3,3', [...CONTRIBUTIONS_COLUMNS]).ok).toBe(true);
    expect(parseLine('onnx/onnx,Tao,gmail.com,2018,1,1,3,3,').ok).toBe(true);
  });

  it('gives a precise reason for each hostile row', () => {
    const cases: [string, string][] = [
      ['onnx/onnx,Tao,gmail.com,2018,13,1,3,3,3', 'month "13" is not 1-12'],
      ['onnx/onnx,Tao,gmail.com,2018,0,1,3,3,3', 'month "0" is not 1-12'],
      ['onnx/onnx,Tao,gmail.com,2018,,1,3,3,3', 'month "" is not 1-12'],
      ['onnx/onnx,Tao,gmail.com,18,1,1,3,3,3', 'year "18" is not a four-digit year'],
      ['onnx/onnx,Tao,gmail.com,2018,1,-2,3,3,3', 'commits "-2" is not a non-negative integer'],
      ['onnx/onnx,Tao,gmail.com,2018,1,x,3,3,3', 'commits "x" is not a non-negative integer'],
      ['onnx/onnx,Tao,gmail.com,2018,1,1,3.5,3,3', 'lines_added "3.5" is not a non-negative integer'],
      ['onnx/onnx,Tao,gmail.com,2018,1,1,3,,3', 'lines_deleted "" is not a non-negative integer'],
      ['onnx/onnx,Tao,gmail.com,2018,1,1,3,3,many', 'files_changed "many" is not a non-negative integer'],
      ['onnx,Tao,gmail.com,2018,1,1,3,3,3', 'repo "onnx" is not owner/name'],
      [`${'o'.repeat(40)}/onnx,Tao,gmail.com,2018,1,1,3,3,3`, `repo "${'o'.repeat(40)}/onnx" is not owner/name`],
      ['onnx/onnx,Tao,gmail.com,2018,1,2147483648,3,3,3', 'commits "2147483648" is not a non-negative integer'],
      ['onnx/onnx,Tao,gmail.com,2018,1,1,3,3', 'expected 9 fields, got 8'],
      ['onnx/onnx,Tao,gmail.com,2018,1,1,3,3,3,3', 'expected 9 fields, got 10'],
      ['onnx/onnx,HE, Tao,gmail.com,2018,1,1,3,3,3', 'expected 9 fields, got 10'],
      ['onnx/onnx,"HE, Tao,gmail.com,2018,1,1,3,3,3', 'unterminated quoted field'],
    ];
    for (const [line, reason] of cases) {
      expect(parseLine(line), line).toEqual({ ok: false, reason });
    }
  });

  it('cuts a 10 KB author name to 1,000 bytes, with a warning', () => {
    const long = 'Name '.repeat(2048).trim();
    expect(parseLine(`onnx/onnx,${long},gmail.com,2018,1,1,3,3,3`)).toMatchObject({
      ok: true,
      value: { activity: { name: long.slice(0, 999) } },
      warnings: ['author_name is 10239 bytes long; kept its first 999'],
    });
  });

  it('names a missing column', () => {
    const header = HEADER.filter((column) => column !== 'year');
    expect(parseLine('onnx/onnx,Tao,gmail.com,1,1,3,3,3', header)).toEqual({
      ok: false,
      reason: 'missing column "year"',
    });
  });
});

describe('repository names', () => {
  it('give the project slug as the lower-cased repository name', () => {
    const slugs = [
      'BVLC/caffe',
      'facebookarchive/caffe2',
      'onnx/onnx',
      'torch/torch7',
      'Theano/Theano',
      'keras-team/keras',
    ];
    expect(slugs.map(projectSlugForRepo)).toEqual(['caffe', 'caffe2', 'onnx', 'torch7', 'theano', 'keras']);
  });

  it('give the GitHub address', () => {
    expect(repositoryUrlForRepo('BVLC/caffe')).toBe('https://github.com/BVLC/caffe');
  });
});
