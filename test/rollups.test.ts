import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db.js';
import { cli, emptyDatabase, fixture, organizationRollups, snapshot } from './ingest-kit.js';

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
  const organizations = await organizationRollups(db.prisma);
  expect(organizations.kept).toEqual(organizations.recounted);
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
    // Organizations have works both ways: named as an institution, and published in a derived affiliation's period.
    const [members] = await db.prisma.$queryRawUnsafe<{ named: number; through_affiliations: number }[]>(
      `SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM authorship_institution ai
                                               WHERE ai.work_id = o.work_id AND ai.organization_id = o.organization_id))::int AS named,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM authorship_institution ai
                                                   WHERE ai.work_id = o.work_id AND ai.organization_id = o.organization_id))::int AS through_affiliations
       FROM organization_work o`,
    );
    expect(members?.named).toBeGreaterThan(100);
    expect(members?.through_affiliations).toBeGreaterThan(0);
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

  it('are made equal to their recounts again by rollups_reconcile, whatever went wrong', async () => {
    const sql = (text: string) => db.prisma.$executeRawUnsafe(text);
    const reconcile = async () =>
      Number((await db.prisma.$queryRawUnsafe<{ n: string }[]>(`SELECT rollups_reconcile()::text AS n`))[0]?.n);
    // Rows changed, missing and spurious in every rollup, as two writers side by side could leave them.
    const changed: number[] = [];
    for (const statement of [
      `UPDATE person_year SET citations = citations + 7 WHERE (person_id, year) = (SELECT person_id, year FROM person_year ORDER BY 1, 2 LIMIT 1)`,
      `DELETE FROM person_year WHERE (person_id, year) = (SELECT person_id, year FROM person_year ORDER BY 1 DESC, 2 LIMIT 1)`,
      `INSERT INTO project_year (project_id, year, works, citations) SELECT min(id), 1901, 1, 3 FROM project`,
      `UPDATE cohort SET works = works + 1 WHERE publication_year = (SELECT min(publication_year) FROM cohort)`,
      `DELETE FROM cohort_year WHERE (publication_year, year) = (SELECT publication_year, year FROM cohort_year ORDER BY 1, 2 LIMIT 1)`,
      `DELETE FROM organization_work WHERE (organization_id, work_id) = (SELECT organization_id, work_id FROM organization_work ORDER BY 1, 2 LIMIT 1)`,
      `UPDATE organization_work SET citation_count = citation_count + 1 WHERE (organization_id, work_id) = (SELECT organization_id, work_id FROM organization_work ORDER BY 1 DESC, 2 LIMIT 1)`,
      `UPDATE organization_year SET citations = citations + 5 WHERE (organization_id, year) = (SELECT organization_id, year FROM organization_year ORDER BY 1, 2 DESC LIMIT 1)`,
    ])
      changed.push(await sql(statement));
    expect(changed).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    const organizations = await organizationRollups(db.prisma);
    expect(organizations.kept).not.toEqual(organizations.recounted);

    expect(await reconcile()).toBeGreaterThanOrEqual(8);
    await expectExactRollups();
    expect(await reconcile()).toBe(0);
  });
});

describe("an organization's rollups", () => {
  const sql = (text: string, ...values: unknown[]) => db.prisma.$executeRawUnsafe(text, ...values);
  const one = async (text: string, ...values: unknown[]) =>
    Number((await db.prisma.$queryRawUnsafe<{ id: number }[]>(text, ...values))[0]?.id);
  /** The organization's works, year rows and count rows as kept, after checking them against a recount. */
  async function kept(organizationId: number) {
    const organizations = await organizationRollups(db.prisma);
    expect(organizations.kept).toEqual(organizations.recounted);
    const rows = <T>(text: string) => db.prisma.$queryRawUnsafe<T[]>(text, organizationId);
    return {
      works: (
        await rows<{ id: number }>(`SELECT work_id AS id FROM organization_work WHERE organization_id = $1 ORDER BY 1`)
      ).map((row) => row.id),
      years: await rows(
        `SELECT year, works, citations::int FROM organization_year WHERE organization_id = $1 ORDER BY year`,
      ),
      counts: await rows(
        `SELECT citation_count, has_yearly_counts, works FROM organization_citation_count WHERE organization_id = $1 ORDER BY 1, 2`,
      ),
    };
  }

  it('follow affiliations, institutions, authorships and the works themselves as each changes', async () => {
    const organization = await one(
      `INSERT INTO organization (slug, name) VALUES ('rollup-lab', 'Rollup Lab') RETURNING id`,
    );
    const other = await one(
      `INSERT INTO organization (slug, name) VALUES ('rollup-other', 'Rollup Other') RETURNING id`,
    );
    const person = await one(
      `INSERT INTO person (name, name_key, updated_at) VALUES ('Rollup Person', 'rollup person', now()) RETURNING id`,
    );
    const work = (year: number, count: number, hasYears: boolean) =>
      one(
        `INSERT INTO work (title, publication_year, citation_count, has_yearly_counts, sources, updated_at)
         VALUES ('Rollup work', $1, $2, $3, '{}', now()) RETURNING id`,
        year,
        count,
        hasYears,
      );
    const [w1, w2, w3] = [await work(2015, 12, true), await work(2018, 3, true), await work(2015, 0, false)];
    await sql(
      `INSERT INTO work_yearly_count (work_id, year, count) VALUES ($1, 2016, 5), ($1, 2017, 7), ($2, 2019, 3)`,
      w1,
      w2,
    );
    await sql(
      `INSERT INTO authorship (work_id, person_id, position) SELECT unnest($1::int[]), $2, 1`,
      [w1, w2, w3],
      person,
    );
    expect((await kept(organization)).works).toEqual([]);

    // An affiliation over 2014–2016 brings the works published in those years.
    await sql(
      `INSERT INTO affiliation (person_id, organization_id, kind, start_date, start_precision, end_date, end_precision, ended, source, evidence)
       VALUES ($1, $2, 'EMPLOYMENT', '2014-01-01', 'YEAR', '2016-01-01', 'YEAR', true, 'test', 'a test')`,
      person,
      organization,
    );
    expect(await kept(organization)).toEqual({
      works: [w1, w3],
      years: [
        { year: 2015, works: 2, citations: 0 },
        { year: 2016, works: 0, citations: 5 },
        { year: 2017, works: 0, citations: 7 },
      ],
      counts: [
        { citation_count: 0, has_yearly_counts: false, works: 1 },
        { citation_count: 12, has_yearly_counts: true, works: 1 },
      ],
    });

    // A work whose year moves into the period joins, with its per-year citations; a changed count moves it.
    await sql(`UPDATE work SET publication_year = 2016 WHERE id = $1`, w2);
    await sql(`UPDATE work SET citation_count = 20 WHERE id = $1`, w1);
    const moved = await kept(organization);
    expect(moved.works).toEqual([w1, w2, w3]);
    expect(moved.counts).toEqual([
      { citation_count: 0, has_yearly_counts: false, works: 1 },
      { citation_count: 3, has_yearly_counts: true, works: 1 },
      { citation_count: 20, has_yearly_counts: true, works: 1 },
    ]);
    expect(moved.years).toContainEqual({ year: 2019, works: 0, citations: 3 });

    // Named as an institution: a member of that organization too, until the row goes.
    await sql(`INSERT INTO authorship_institution (work_id, position, organization_id) VALUES ($1, 1, $2)`, w2, other);
    expect((await kept(other)).works).toEqual([w2]);
    await sql(`DELETE FROM authorship_institution WHERE work_id = $1 AND organization_id = $2`, w2, other);
    expect(await kept(other)).toEqual({ works: [], years: [], counts: [] });

    // The period shortened to 2014 leaves no work in it; lengthened again, they return.
    await sql(`UPDATE affiliation SET end_date = '2014-01-01' WHERE organization_id = $1`, organization);
    expect(await kept(organization)).toEqual({ works: [], years: [], counts: [] });
    await sql(`UPDATE affiliation SET end_date = '2020-01-01' WHERE organization_id = $1`, organization);
    expect((await kept(organization)).works).toEqual([w1, w2, w3]);

    // An authorship that goes takes its work out; a work deleted (its per-year counts first) leaves.
    await sql(`DELETE FROM authorship WHERE work_id = $1`, w3);
    expect((await kept(organization)).works).toEqual([w1, w2]);
    await sql(`DELETE FROM work_yearly_count WHERE work_id = $1`, w1);
    await sql(`DELETE FROM authorship WHERE work_id = $1`, w1);
    await sql(`DELETE FROM work WHERE id = $1`, w1);
    expect(await kept(organization)).toEqual({
      works: [w2],
      years: [
        { year: 2016, works: 1, citations: 0 },
        { year: 2019, works: 0, citations: 3 },
      ],
      counts: [{ citation_count: 3, has_yearly_counts: true, works: 1 }],
    });

    // The affiliation gone, nothing is left.
    await sql(`DELETE FROM affiliation WHERE organization_id = $1`, organization);
    expect(await kept(organization)).toEqual({ works: [], years: [], counts: [] });
  });
});
