import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db.js';
import { cli, emptyDatabase, fixture, snapshot } from './ingest-kit.js';

/**
 * The per-year rollups (person_year, project_year) are kept by the database as imports and
 * corrections write; after every step they must equal a recount from scratch (the
 * *_recount views of the rollups migration).
 */

let db: Db;

beforeAll(async () => {
  db = await emptyDatabase('rollups');
});
afterAll(async () => {
  await db?.close();
});

async function rollups(table: 'person_year' | 'project_year') {
  const key = table === 'person_year' ? 'person_id' : 'project_id';
  const rows = (source: string) =>
    db.prisma.$queryRawUnsafe<{ id: number; year: number; works: number; citations: number }[]>(
      `SELECT ${key} AS id, year, works, citations FROM ${source} ORDER BY ${key}, year`,
    );
  return { kept: await rows(table), recounted: await rows(`${table}_recount`) };
}

async function expectExactRollups() {
  for (const table of ['person_year', 'project_year'] as const) {
    const { kept, recounted } = await rollups(table);
    expect(kept).toEqual(recounted);
  }
  await expectExactCohorts();
}

/** The cohort rollups keep rows that fell to zero; the recount has none. */
async function expectExactCohorts() {
  const rows = (source: string, nonZero: string) =>
    db.prisma.$queryRawUnsafe(`SELECT * FROM ${source} WHERE ${nonZero} ORDER BY 1, 2`);
  const cohort = 'works <> 0 OR citations <> 0 OR works_without_yearly_counts <> 0';
  expect(await rows('cohort', cohort)).toEqual(await rows('cohort_recount', 'true'));
  expect(await rows('cohort_year', 'citations <> 0')).toEqual(await rows('cohort_year_recount', 'true'));
}

describe('rollups kept by the database', () => {
  it('equal a recount after an OpenAlex import', async () => {
    expect((await cli(db, ['import', 'openalex', fixture('openalex/works.jsonl')])).code).toBe(0);
    const { kept } = await rollups('person_year');
    expect(kept.length).toBeGreaterThan(1000);
    expect(kept.some((row) => row.citations > 0)).toBe(true);
    await expectExactRollups();
  });

  it('equal a recount after edges raise the counts of works whose basis is the edges', async () => {
    const args = ['s2', fixture('s2/papers.jsonl'), '--citations', fixture('s2/citation-edges.csv')];
    expect((await cli(db, ['import', ...args, '--retrieved-on', '2024-03-30'])).code).toBe(0);
    const refs = ['crossref', fixture('crossref/works.jsonl'), '--references', fixture('crossref/references.csv')];
    expect((await cli(db, ['import', ...refs])).code).toBe(0);
    await expectExactRollups();
  });

  it('equal a recount after records merge works and fill in their years', async () => {
    expect((await cli(db, ['import', 'bibtex', fixture('bibtex/d2l.bib')])).code).toBe(0);
    expect((await cli(db, ['import', 'csl', fixture('csl/zotero.json')])).code).toBe(0);
    await expectExactRollups();
  });

  it('move a work to the year a later record fills in, for each of its authors', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'citegraph-rollups-'));
    const csl = join(folder, 'undated.json');
    const bib = join(folder, 'dated.bib');
    await writeFile(
      csl,
      JSON.stringify([
        {
          id: 'undated',
          type: 'article-journal',
          title: 'Rollups that follow a publication year filled in later',
          DOI: '10.5555/rollup-year',
          author: [
            { family: 'Quennell', given: 'Ada' },
            { family: 'Ostrander', given: 'Bram' },
          ],
        },
      ]),
    );
    await writeFile(
      bib,
      `@article{dated, title = {Rollups that follow a publication year filled in later}, doi = {10.5555/rollup-year},
        year = {2019}, author = {Quennell, Ada and Ostrander, Bram}, journal = {Test}}`,
    );
    expect((await cli(db, ['import', 'csl', csl])).code).toBe(0);
    const yearOf = () =>
      db.prisma.$queryRawUnsafe<{ name: string; year: number; works: number }[]>(
        `SELECT p.name, y.year, y.works FROM person_year y JOIN person p ON p.id = y.person_id
         WHERE p.name IN ('Ada Quennell', 'Bram Ostrander') ORDER BY p.name, y.year`,
      );
    expect(await yearOf()).toEqual([]);
    expect((await cli(db, ['import', 'bibtex', bib])).code).toBe(0);
    expect(await yearOf()).toEqual([
      { name: 'Ada Quennell', year: 2019, works: 1 },
      { name: 'Bram Ostrander', year: 2019, works: 1 },
    ]);
    await expectExactRollups();
  });

  it('count the works a CITATION.cff links to its project', async () => {
    expect((await cli(db, ['import', 'cff', fixture('cff/caffe/CITATION.cff'), '--project', 'caffe'])).code).toBe(0);
    const { kept } = await rollups('project_year');
    expect(kept.length).toBeGreaterThan(0);
    await expectExactRollups();
  });

  it('equal a recount after people are merged and split by hand', async () => {
    const [a, b] = await db.prisma.$queryRawUnsafe<{ id: number }[]>(
      `SELECT person_id AS id FROM authorship GROUP BY person_id HAVING count(*) >= 2 ORDER BY count(*) DESC, person_id LIMIT 2`,
    );
    expect((await cli(db, ['people', 'merge', String(a?.id), String(b?.id)])).code).toBe(0);
    await expectExactRollups();
    const [work] = await db.prisma.$queryRawUnsafe<{ id: number }[]>(
      `SELECT work_id AS id FROM authorship WHERE person_id = $1 ORDER BY work_id LIMIT 1`,
      a?.id,
    );
    expect((await cli(db, ['people', 'split', String(a?.id), '--works', String(work?.id)])).code).toBe(0);
    await expectExactRollups();
  });

  it('change nothing when the same files are imported again', async () => {
    const before = await snapshot(db.prisma);
    const rollupsBefore = await Promise.all([rollups('person_year'), rollups('project_year')]);
    expect((await cli(db, ['import', 'openalex', fixture('openalex/works.jsonl')])).code).toBe(0);
    expect((await cli(db, ['import', 'bibtex', fixture('bibtex/d2l.bib')])).code).toBe(0);
    expect(await snapshot(db.prisma)).toEqual(before);
    expect(await Promise.all([rollups('person_year'), rollups('project_year')])).toEqual(rollupsBefore);
  });
});
