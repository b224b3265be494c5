import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameVariants } from '../src/ingest/links.js';
import { matchKey } from '../src/services/identifiers.js';
import { cli } from './ingest-kit.js';
import { createTestApp, type TestApp } from './kit.js';

/**
 * One person, one identity: git-history people and paper authors of variant names, joined by a
 * project or co-author in common, are linked when the demo data loads; each link is recorded
 * and can be given back; a name that fits several people is answered with the candidates.
 */

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp({ ownDatabase: 'identitylinks' });
});
afterAll(async () => {
  await app?.close();
});

const demo = (name: string) => readFile(new URL(`../data/demo/${name}`, import.meta.url), 'utf8');

/** The demo's own files: paper author lists and the committers of each repository. */
async function demoFiles() {
  const papers = (await demo('ml-papers.jsonl'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { meta_key: string; authors: string[] | null });
  const committers = new Map<string, Map<string, number>>();
  for (const line of (await demo('git-contributions-monthly.csv')).split(/\r?\n/).slice(1)) {
    // No quoted fields in this file's repo, author and commit columns (checked: 9 fields a row).
    const fields = line.split(',');
    if (fields.length !== 9) continue;
    const [repo = '', author = '', , , , commits = '0'] = fields;
    const byName = committers.get(repo) ?? new Map<string, number>();
    byName.set(author, (byName.get(author) ?? 0) + Number(commits));
    committers.set(repo, byName);
  }
  return { papers, committers };
}

/** Family name and first initial, accents and case ignored: a rule of the test's own. */
const familyAndInitial = (name: string) => {
  const words = name.split(/[\s.]+/).filter(Boolean);
  return words.length < 2 ? null : `${matchKey(words.at(-1) ?? '')}|${matchKey(words[0] ?? '')[0]}`;
};

const PERSON = `query ($name: String!) {
  person(name: $name) {
    id name otherNames
    identityEvents { eventId reason detail source }
    contributions { role project { slug } }
    works(first: 50) { nodes { title } }
  }
}`;

describe('links made when the demo data loads', () => {
  it('makes Ross Girshick of the Caffe history and Ross B. Girshick of the Caffe paper one person, with the reason recorded', async () => {
    const { body } = await app.post({ query: PERSON, variables: { name: 'Ross B. Girshick' } });
    const ross = body.data.person;
    expect(ross.name).toBe('Ross B. Girshick');
    expect(ross.otherNames).toContain('Ross Girshick');
    const link = ross.identityEvents.find((event: { reason: string }) => event.reason === 'NAME_VARIANT_PROJECT');
    expect(link.detail).toMatch(/"Ross Girshick" and "Ross B. Girshick" are variants of one name/);
    expect(link.detail).toMatch(/linked to project caffe, whose git history has commits by "Ross Girshick"/);
    expect(link.source).toMatch(/^citegraph people link/);
    expect(ross.works.nodes.map((work: { title: string }) => work.title)).toContain(
      'Caffe - Convolutional Architecture for Fast Feature Embedding',
    );
    const projects = ross.contributions.map((c: { project: { slug: string } }) => c.project.slug);
    expect(projects).toEqual(expect.arrayContaining(['caffe', 'caffe2']));
    // The git name finds the same person, through the names the link kept.
    const again = await app.post({ query: PERSON, variables: { name: 'Ross Girshick' } });
    expect(again.body.data.person.id).toBe(ross.id);
    // His commits are the git file's, under the one person.
    const { committers } = await demoFiles();
    const [row] = await app.db.prisma.$queryRawUnsafe<{ commits: number }[]>(
      `SELECT sum(a.commits)::int AS commits FROM project_activity a JOIN project p ON p.id = a.project_id
       JOIN person q ON q.id = a.person_id WHERE p.slug = 'caffe' AND q.name = 'Ross B. Girshick'`,
    );
    expect(row?.commits).toBe(committers.get('BVLC/caffe')?.get('Ross Girshick'));
  });

  it('links Jonathan L Long and S. Guadarrama too, keeping the spelled-out given name', async () => {
    for (const [name, other] of [
      ['Jonathan Long', 'Jonathan L Long'],
      ['Sergio Guadarrama', 'S. Guadarrama'],
    ]) {
      const { body } = await app.post({ query: PERSON, variables: { name } });
      expect(body.data.person.name).toBe(name);
      expect(body.data.person.otherNames).toContain(other);
      expect(body.data.person.contributions.map((c: { project: { slug: string } }) => c.project.slug)).toContain(
        'caffe',
      );
    }
  });

  it("finds every co-author of Jia's who committed to Caffe, counted again from the demo files", async () => {
    const { papers, committers } = await demoFiles();
    const caffe = [...(committers.get('BVLC/caffe')?.keys() ?? [])];
    const coauthors = new Set(
      papers.filter((paper) => paper.authors?.includes('Yangqing Jia')).flatMap((paper) => paper.authors ?? []),
    );
    coauthors.delete('Yangqing Jia');
    const exact = [...coauthors].filter((name) => caffe.includes(name));
    const byVariant = [...coauthors].filter((name) => {
      const key = familyAndInitial(name);
      return key !== null && caffe.some((git) => familyAndInitial(git) === key);
    });
    const { body } = await app.post({
      query: `{ person(name: "Yangqing Jia") { coAuthors(first: 100) { person { name otherNames contributions { project { slug } } } } } }`,
    });
    const found = body.data.person.coAuthors
      .filter((row: { person: { contributions: { project: { slug: string } }[] } }) =>
        row.person.contributions.some((c) => c.project.slug === 'caffe'),
      )
      // A linked person shows the name kept; the paper's spelling is among their other names.
      .map((row: { person: { name: string; otherNames: string[] } }) =>
        coauthors.has(row.person.name) ? row.person.name : row.person.otherNames.find((name) => coauthors.has(name)),
      )
      .sort();
    expect(body.data.person.coAuthors.length).toBeLessThan(100);
    expect(found).toEqual([...byVariant].sort());
    expect(found.length).toBeGreaterThan(exact.length);
    expect(found).toEqual(expect.arrayContaining(['Ross B. Girshick', 'Jonathan Long', 'S. Guadarrama']));
  });

  it('leaves apart a person whom several others fit, and says so', async () => {
    const result = await cli(app.db, ['people', 'link', '--dry-run', '--json']);
    expect(result.code).toBe(0);
    const { links, ambiguous } = JSON.parse(result.stdout) as {
      links: unknown[];
      ambiguous: { personId: number; name: string; candidates: { personId: number; name: string }[] }[];
    };
    // Everything the evidence supports was linked when the data loaded.
    expect(links).toEqual([]);
    const wang = ambiguous.find((person) => person.name === 'X. Wang');
    expect(wang?.candidates.map((other) => other.name).sort()).toEqual(['Xiangyu Wang', 'Xiaolong Wang']);
    for (const person of ambiguous) {
      expect(person.candidates.length).toBeGreaterThan(1);
      for (const other of person.candidates) expect(nameVariants(person.name, other.name)).toBe(true);
    }
    const stillApart = await app.db.prisma.person.count({
      where: { id: { in: [wang?.personId ?? 0, ...(wang?.candidates.map((other) => other.personId) ?? [])] } },
    });
    expect(stillApart).toBe(3);
  });
});

describe('name variants', () => {
  it('agree on family name and given names or their initials, never on a different given name', () => {
    expect(nameVariants('Ross Girshick', 'Ross B. Girshick')).toBe(true);
    expect(nameVariants('Jonathan L Long', 'Jonathan Long')).toBe(true);
    expect(nameVariants('S. Guadarrama', 'Sergio Guadarrama')).toBe(true);
    expect(nameVariants('Girshick, Ross', 'Ross Girshick')).toBe(true);
    expect(nameVariants('Xiangyu Wang', 'Xiaolong Wang')).toBe(false);
    expect(nameVariants('Ross B. Girshick', 'Ross C. Girshick')).toBe(false);
    expect(nameVariants('shelhamer', 'Evan Shelhamer')).toBe(false);
  });
});

describe('people split --link', () => {
  it('gives a link back: the git person returns with their history, and the two are not linked again', async () => {
    const ross = (await app.post({ query: PERSON, variables: { name: 'Ross B. Girshick' } })).body.data.person;
    const link = ross.identityEvents.find((event: { reason: string }) => event.reason === 'NAME_VARIANT_PROJECT');
    const before = await app.db.prisma.$queryRawUnsafe<{ id: number; works: number; commits: number; years: number }[]>(
      `SELECT p.id, (SELECT count(*)::int FROM authorship a WHERE a.person_id = p.id) AS works,
              (SELECT coalesce(sum(commits), 0)::int FROM project_activity g WHERE g.person_id = p.id) AS commits,
              (SELECT coalesce(sum(works), 0)::int FROM person_year y WHERE y.person_id = p.id) AS years
       FROM person p WHERE p.name = 'Ross B. Girshick'`,
    );
    const [kept] = before;
    expect(before).toHaveLength(1);

    const split = await cli(app.db, ['people', 'split', ross.id, '--link', String(link.eventId)]);
    expect(split.stderr).toBe('');
    expect(split.code).toBe(0);
    expect(split.stdout).toMatch(new RegExp(`^link event ${link.eventId} given back: `));

    const people = await app.db.prisma.$queryRawUnsafe<
      { id: number; name: string; otherNames: string[]; works: number; commits: number; years: number }[]
    >(
      `SELECT p.id, p.name, p.other_names AS "otherNames",
              (SELECT count(*)::int FROM authorship a WHERE a.person_id = p.id) AS works,
              (SELECT coalesce(sum(commits), 0)::int FROM project_activity g WHERE g.person_id = p.id) AS commits,
              (SELECT coalesce(sum(works), 0)::int FROM person_year y WHERE y.person_id = p.id) AS years
       FROM person p WHERE p.name IN ('Ross B. Girshick', 'Ross Girshick') ORDER BY p.id`,
    );
    const { committers } = await demoFiles();
    const gitCommits = [...committers.values()].reduce((sum, byName) => sum + (byName.get('Ross Girshick') ?? 0), 0);
    expect(people).toEqual([
      { id: kept?.id, name: 'Ross B. Girshick', otherNames: [], works: kept?.works, commits: 0, years: kept?.years },
      { id: expect.any(Number), name: 'Ross Girshick', otherNames: [], works: 0, commits: gitCommits, years: 0 },
    ]);
    expect(kept?.commits).toBe(gitCommits);

    const events = await app.db.prisma.identityEvent.findMany({
      where: { reason: 'MANUAL_SPLIT', personId: { in: people.map((person) => person.id) } },
      select: { personId: true, keptApartFrom: true },
      orderBy: { personId: 'asc' },
    });
    expect(events).toEqual([
      { personId: people[0]?.id, keptApartFrom: people[1]?.id },
      { personId: people[1]?.id, keptApartFrom: people[0]?.id },
    ]);

    const again = await cli(app.db, ['people', 'link']);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/Girshick/);
    const twice = await cli(app.db, ['people', 'split', ross.id, '--link', String(link.eventId)]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/not a link that can be given back, or was given back already/);
  });
});

describe('names that fit several people', () => {
  /** A name key two stored people share, from the database itself. */
  async function sharedName() {
    const [row] = await app.db.prisma.$queryRawUnsafe<{ name: string; ids: number[] }[]>(
      `SELECT min(name) AS name, array_agg(id ORDER BY id) AS ids FROM person
       GROUP BY name_key HAVING count(*) = 2 ORDER BY name_key LIMIT 1`,
    );
    if (!row) throw new Error('no two people share a name key');
    return row;
  }

  it('person(name:) picks no one: AMBIGUOUS with the candidates', async () => {
    const { name, ids } = await sharedName();
    const { body } = await app.post({
      query: `query ($name: String!) { person(name: $name) { id } }`,
      variables: { name },
    });
    expect(body.data.person).toBeNull();
    const [error] = body.errors;
    expect(error.extensions.code).toBe('AMBIGUOUS');
    expect(error.message).toMatch(/people\(search:\)/);
    expect(error.extensions.count).toBe(2);
    const stored = await app.db.prisma.person.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
    expect(error.extensions.candidates).toEqual(
      stored.map((person) => ({ id: Buffer.from(`Person:${person.id}`).toString('base64url'), name: person.name })),
    );
  });

  it('the command line lists the candidates instead of failing bare', async () => {
    const { name, ids } = await sharedName();
    const result = await cli(app.db, ['export', 'bibtex', '--person', name]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^2 people match ${JSON.stringify(name)}; give one of their ids:`));
    for (const id of ids) expect(result.stderr).toMatch(new RegExp(`^  ${id}  `, 'm'));
  });
});
