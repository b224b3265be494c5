import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/db.js';
import { cli, emptyDatabase, fixture, snapshot } from './ingest-kit.js';

/**
 * Identity resolution at the edges: records that are one work only through each other, a
 * file whose outcome must not depend on where batches end, namesakes on one paper, and a
 * correction by hand that the next import of the same history keeps.
 */

let db: Db;
let dir: string;

beforeAll(async () => {
  db = await emptyDatabase('identity');
  dir = await mkdtemp(join(tmpdir(), 'citegraph-identity-'));
});
afterAll(async () => {
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.prisma.$executeRawUnsafe(
    'TRUNCATE work, person, project, import_run, identity_event RESTART IDENTITY CASCADE',
  );
});

/** One BibTeX entry of a fixture, by citation key, as written there. */
async function entry(file: string, key: string): Promise<string> {
  const text = await readFile(fixture(file), 'utf8');
  const start = text.search(new RegExp(`@\\w+\\{\\s*${key.replaceAll('.', '\\.')},`));
  if (start < 0) throw new Error(`no entry ${key} in ${file}`);
  const next = text.indexOf('\n@', start + 1);
  return text.slice(start, next < 0 ? undefined : next).trim();
}

async function bib(name: string, entries: string[]) {
  const path = join(dir, name);
  await writeFile(path, `${entries.join('\n\n')}\n`);
  return path;
}

describe('works', () => {
  it('joins records that are one work only through a third that carries both their identifiers', async () => {
    // From OpenAlex W1672158254 (in the OpenAlex fixture): its DOI with its title, its arXiv id
    // alone, and both together: three records, one work, in one batch.
    const line = (await readFile(fixture('openalex/works.jsonl'), 'utf8'))
      .split('\n')
      .find((text) => text.includes('"https://openalex.org/W1672158254"'));
    const work = JSON.parse(line ?? '{}') as { title: string; publication_year: number };
    const [doi, arxiv] = ['10.7900/jot.2011jun07.1916', '1106.1393'];
    expect(line).toContain(doi);
    expect(line).toContain(arxiv);
    const file = await bib('three-records.bib', [
      `@article{by-doi, title = {${work.title}}, year = {${work.publication_year}}, doi = {${doi}}}`,
      `@misc{by-arxiv, eprint = {${arxiv}}, archivePrefix = {arXiv}}`,
      `@article{by-both, title = {${work.title}}, year = {${work.publication_year}}, doi = {${doi}}, eprint = {${arxiv}}, archivePrefix = {arXiv}}`,
    ]);
    const { code, summary } = await cli(db, ['import', 'bibtex', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ read: 3, inserted: 1, skipped: 2, failed: 0 });
    expect(await db.prisma.work.findMany({ select: { doi: true, arxivId: true, title: true } })).toEqual([
      { doi, arxivId: arxiv, title: work.title },
    ]);
  });

  it('gives the same works whatever the batch size, and a second import changes nothing', async () => {
    // d2l's Caffe entry has no identifier; BVLC/caffe's has the arXiv id: title and year make them one.
    const file = await bib('caffe-two.bib', [
      await entry('bibtex/d2l.bib', 'Jia.Shelhamer.Donahue.ea.2014'),
      await entry('bibtex/frameworks.bib', 'jia2014caffe'),
    ]);
    expect((await cli(db, ['import', 'bibtex', file, '--batch-size', '1'])).code).toBe(0);
    const single = await snapshot(db.prisma);
    expect(single.work).toHaveLength(1);
    expect(single.authorship).toHaveLength(8);

    await db.prisma.$executeRawUnsafe('TRUNCATE work, person, import_run, identity_event RESTART IDENTITY CASCADE');
    expect((await cli(db, ['import', 'bibtex', file])).code).toBe(0);
    const batched = await snapshot(db.prisma);
    expect(batched.work).toHaveLength(1);
    expect(batched.authorship).toHaveLength(8);

    expect((await cli(db, ['import', 'bibtex', file])).code).toBe(0);
    expect(await snapshot(db.prisma)).toEqual(batched);
  });
});

describe('people', () => {
  it('keeps two namesakes on one paper two people, even when both share co-authors with another paper', async () => {
    // The real Caffe entry, altered so that its second author has the first author's name.
    const caffe = await entry('bibtex/frameworks.bib', 'jia2014caffe');
    const namesakes = caffe.replace('Shelhamer, Evan', 'Jia, Yangqing');
    const file = await bib('namesakes.bib', [
      namesakes,
      await entry('bibtex/d2l.bib', 'Jia.Shelhamer.Donahue.ea.2014'),
    ]);
    expect((await cli(db, ['import', 'bibtex', file])).code).toBe(0);
    const altered = await db.prisma.work.findFirstOrThrow({
      where: { citationKey: 'jia2014caffe' },
      include: { authorships: { orderBy: { position: 'asc' } } },
    });
    expect(altered.authorships).toHaveLength(8);
    expect(altered.authorships[0]?.personId).not.toBe(altered.authorships[1]?.personId);
  });

  it('records why people of one batch were taken to be one person', async () => {
    expect((await cli(db, ['import', 'bibtex', fixture('bibtex/d2l.bib')])).code).toBe(0);
    const he = await db.prisma.person.findMany({ where: { nameKey: 'kaiminghe' }, include: { identityEvents: true } });
    expect(he).toHaveLength(1);
    expect(he[0]?.identityEvents.length).toBeGreaterThan(0);
    expect(he[0]?.identityEvents.every((event) => event.reason === 'NAME_COAUTHOR')).toBe(true);
    expect(he[0]?.identityEvents[0]?.detail).toMatch(
      /^bibtex author "Kaiming He" on .* joined bibtex author "Kaiming He" on /,
    );
  });

  it('keeps a merge by hand when the same history is imported again', async () => {
    // Theano's early history names James Bergstra by the local part of his e-mail address, "bergstra".
    const rows = (await readFile(fixture('git-contributions/framework_contributions_monthly.csv'), 'utf8'))
      .split('\n')
      .filter((line, index) => index === 0 || /^Theano\/Theano,(James Bergstra|bergstra),/.test(line));
    const file = join(dir, 'bergstra.csv');
    await writeFile(file, `${rows.join('\n')}\n`);
    expect((await cli(db, ['import', 'contributions', file])).code).toBe(0);
    expect(await db.prisma.person.count()).toBe(2);
    const total = await db.prisma.projectActivity.aggregate({ _sum: { commits: true } });

    const merged = await cli(db, ['people', 'merge', 'James Bergstra', 'bergstra']);
    expect(merged.code).toBe(0);
    const [person] = await db.prisma.person.findMany({ include: { identityEvents: true } });
    expect(person?.otherNames).toEqual(['bergstra']);
    expect(person?.identityEvents.map((event) => event.reason)).toContain('MANUAL_MERGE');

    const before = await snapshot(db.prisma);
    expect((await cli(db, ['import', 'contributions', file])).code).toBe(0);
    expect(await snapshot(db.prisma)).toEqual(before);
    expect(await db.prisma.projectActivity.aggregate({ _sum: { commits: true } })).toEqual(total);
  });
});
