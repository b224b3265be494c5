import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../src/services/keys.js';
import { counts, organizationRollups } from './ingest-kit.js';
import { createTestApp, type TestApp } from './kit.js';

/**
 * The API's writes: scopes, input checks with typed errors that write nothing, idempotent
 * replays, and counters and rollups that stay exact (equal to a recount) after each write.
 */

let app: TestApp;
let keys: { write: string; admin: string };
/** Demo records, by their database ids and global ids. */
let jia: { id: number; gid: string };
let caffe: { id: number; gid: string };
let berkeley: { gid: string };
/** A work counted from its citation edges (no source reported a count). */
let edgeCounted: { gid: string };
let someoneElse: string;

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64url');
const bearer = (key: string, more: Record<string, string> = {}) => ({ authorization: `Bearer ${key}`, ...more });

beforeAll(async () => {
  app = await createTestApp({ ownDatabase: 'mutations' });
  keys = {
    write: (await createKey(app.db.prisma, 'curation', 'WRITE')).key,
    admin: (await createKey(app.db.prisma, 'admin', 'ADMIN')).key,
  };
  const one = async <T>(sql: string) => (await app.db.prisma.$queryRawUnsafe<T[]>(sql))[0] as T;
  const person = await one<{ id: number }>(`SELECT id FROM person WHERE name = 'Yangqing Jia'`);
  const project = await one<{ id: number }>(`SELECT id FROM project WHERE slug = 'caffe'`);
  const organization = await one<{ id: number }>(`SELECT id FROM organization ORDER BY id LIMIT 1`);
  const other = await one<{ id: number }>(`SELECT id FROM person WHERE name <> 'Yangqing Jia' ORDER BY id LIMIT 1`);
  jia = { id: person.id, gid: gid('Person', person.id) };
  caffe = { id: project.id, gid: gid('Project', project.id) };
  berkeley = { gid: gid('Organization', organization.id) };
  someoneElse = gid('Person', other.id);
  // A work no source reported a count for: its figures are counted from citation edges.
  const created = await app.post(
    {
      query: UPSERT,
      variables: { input: { title: 'A cited paper', publicationYear: 2025, authors: [{ personId: jia.gid }] } },
    },
    bearer(keys.write),
  );
  if (!created.body.data) throw new Error(JSON.stringify(created.body));
  edgeCounted = { gid: created.body.data.upsertWork.work.id };
});
afterAll(() => app?.close());

async function mutate(query: string, variables: Record<string, unknown> = {}, key = keys.write, headers = {}) {
  const response = await app.post({ query, variables }, bearer(key, headers));
  return response;
}

async function succeeds(query: string, variables: Record<string, unknown> = {}, key = keys.write) {
  const response = await mutate(query, variables, key);
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  expect(response.status).toBe(200);
  return response.body.data;
}

/** A write refused with `code`, the field named where there is one, and nothing written. */
async function refused(
  query: string,
  variables: Record<string, unknown>,
  code: string,
  field?: string,
  key = keys.write,
) {
  const before = await counts(app.db.prisma);
  const response = await mutate(query, variables, key);
  expect(response.body.errors?.[0]?.extensions?.code, JSON.stringify(response.body)).toBe(code);
  if (field) expect(response.body.errors[0].extensions.field, JSON.stringify(response.body)).toBe(field);
  expect(await counts(app.db.prisma)).toEqual(before);
  expect((await app.post({ query: '{ __typename }' })).body.data).toEqual({ __typename: 'Query' });
  return response;
}

/** Counters and rollups equal a recount from scratch. */
async function expectExact() {
  const query = <T>(sql: string) => app.db.prisma.$queryRawUnsafe<T[]>(sql);
  for (const table of ['person_year', 'project_year']) {
    const key = table === 'person_year' ? 'person_id' : 'project_id';
    const rows = (source: string) => query(`SELECT ${key} AS id, year, works, citations FROM ${source} ORDER BY 1, 2`);
    expect(await rows(table)).toEqual(await rows(`${table}_recount`));
  }
  // The cohort rollups keep rows that fell to zero; the recount has none.
  const nonZero = (source: string, where: string) => query(`SELECT * FROM ${source} WHERE ${where} ORDER BY 1, 2`);
  expect(await nonZero('cohort', 'works <> 0 OR citations <> 0 OR works_without_yearly_counts <> 0')).toEqual(
    await nonZero('cohort_recount', 'true'),
  );
  expect(await nonZero('cohort_year', 'citations <> 0')).toEqual(await nonZero('cohort_year_recount', 'true'));
  const organizations = await organizationRollups(app.db.prisma);
  expect(organizations.kept).toEqual(organizations.recounted);
  const wrongTotals = await query<{ id: number }>(
    `SELECT w.id FROM work w WHERE w.count_basis_id IS NULL
       AND w.citation_count <> (SELECT count(*) FROM citation c WHERE c.cited_id = w.id)`,
  );
  expect(wrongTotals).toEqual([]);
  // One pass over the edges (a subquery per work takes minutes on the demo's 18,000 minimal works).
  const wrongYears = await query<{ id: number }>(
    `SELECT DISTINCT e.id FROM (
       SELECT c.cited_id AS id, citing.publication_year AS year, count(*)::int AS n FROM citation c
       JOIN work citing ON citing.id = c.citing_id JOIN work w ON w.id = c.cited_id
       WHERE w.count_basis_id IS NULL AND citing.publication_year IS NOT NULL GROUP BY 1, 2
       EXCEPT SELECT y.work_id, y.year, y.count FROM work_yearly_count y) e`,
  );
  expect(wrongYears).toEqual([]);
}

const UPSERT = `mutation ($input: UpsertWorkInput!) {
  upsertWork(input: $input) { created work { id title doi publicationYear citationCount authors { id name } } }
}`;
const CITE = `mutation ($citing: ID!, $cited: ID!) {
  addCitation(input: { citingId: $citing, citedId: $cited }) { created cited { citationCount citationsByYear(from: 2027, to: 2027) { year count } } }
}`;

describe('upsertWork', () => {
  it('creates a work from a title alone, and the answer is readable at once', async () => {
    const data = await succeeds(UPSERT, { input: { title: '  A title alone  ' } });
    expect(data.upsertWork.created).toBe(true);
    expect(data.upsertWork.work).toMatchObject({ title: 'A title alone', doi: null, citationCount: 0, authors: [] });
    const read = await app.post({ query: `{ node(id: "${data.upsertWork.work.id}") { ... on Work { title } } }` });
    expect(read.body.data.node.title).toBe('A title alone');
  });

  it('finds the work to update by DOI, in any common form', async () => {
    const first = await succeeds(UPSERT, {
      input: { title: 'Found by DOI', doi: 'https://doi.org/10.5555/CG.Test.1' },
    });
    const second = await succeeds(UPSERT, {
      input: { doi: 'doi:10.5555/cg.test.1', publicationYear: 2021, venue: 'Tests' },
    });
    expect(first.upsertWork.work.doi).toBe('10.5555/cg.test.1');
    expect(second.upsertWork.created).toBe(false);
    expect(second.upsertWork.work).toMatchObject({
      id: first.upsertWork.work.id,
      title: 'Found by DOI',
      publicationYear: 2021,
    });
  });

  it('refuses a DOI that belongs to another work with CONFLICT', async () => {
    const other = await succeeds(UPSERT, { input: { title: 'Another', doi: '10.5555/cg.test.2' } });
    const mine = await succeeds(UPSERT, { input: { title: 'Mine' } });
    await refused(UPSERT, { input: { id: mine.upsertWork.work.id, doi: '10.5555/CG.TEST.2' } }, 'CONFLICT');
    expect(other.upsertWork.work.doi).toBe('10.5555/cg.test.2');
  });

  it.each([
    [{ title: 'x'.repeat(2001) }, 'input.title'],
    [{ title: '   ' }, 'input.title'],
    [{ title: 'a\u0000b' }, undefined],
    [{ title: 'lone \ud800 surrogate' }, undefined],
    [{ title: 'Bad DOI', doi: '10.1/x' }, 'input.doi'],
    [{ title: 'Bad year', publicationYear: 999 }, 'input.publicationYear'],
    [{ title: 'Far future', publicationYear: 3025 }, 'input.publicationYear'],
    [{ title: 'Bad URL', url: 'javascript:alert(1)' }, 'input.url'],
    [{ title: 'Bad ORCID', authors: [{ name: 'A. Person', orcid: '0000-0002-1825-0098' }] }, 'input.authors[0].orcid'],
    [{ title: 'Nameless', authors: [{ orcid: '0000-0002-1825-0097' }] }, 'input.authors[0]'],
    [{ title: 'Too many', authors: Array.from({ length: 101 }, (_, i) => ({ name: `P${i}` })) }, 'input.authors'],
  ])('refuses bad input %# with BAD_USER_INPUT naming the field, writing nothing', async (input, field) => {
    await refused(UPSERT, { input }, 'BAD_USER_INPUT', field);
  });

  it('refuses an unknown work, and ids of the wrong type', async () => {
    await refused(UPSERT, { input: { id: gid('Work', 2_000_000_000), title: 'x' } }, 'NOT_FOUND');
    await refused(UPSERT, { input: { id: jia.gid, title: 'x' } }, 'BAD_USER_INPUT');
    await refused(
      UPSERT,
      { input: { title: 'x', authors: [{ personId: gid('Person', 2_000_000_000) }] } },
      'NOT_FOUND',
    );
  });

  it("keeps each author's yearly figures exact as the author list and year change", async () => {
    const created = await succeeds(UPSERT, {
      input: {
        title: 'A paper with authors',
        publicationYear: 2019,
        authors: [{ personId: jia.gid }, { name: 'Josiah Carberry', orcid: 'https://orcid.org/0000-0002-1825-0097' }],
      },
    });
    const work = created.upsertWork.work;
    expect(work.authors.map((author: { name: string }) => author.name)).toEqual(['Yangqing Jia', 'Josiah Carberry']);
    await expectExact();
    // The same ORCID again is the same person; the same name at the same place keeps its person.
    const again = await succeeds(UPSERT, {
      input: {
        id: work.id,
        publicationYear: 2020,
        authors: [{ name: 'Josiah Carberry', orcid: '0000-0002-1825-0097' }, { name: 'Yangqing Jia' }],
      },
    });
    expect(again.upsertWork.work.authors[0].id).toBe(work.authors[1].id);
    await expectExact();
    const swapped = await succeeds(UPSERT, {
      input: {
        id: work.id,
        authors: [{ name: 'Josiah Carberry', orcid: '0000-0002-1825-0097' }, { name: 'Yangqing Jia' }],
      },
    });
    expect(swapped.upsertWork.work.authors).toEqual(again.upsertWork.work.authors);
  });
});

describe('addCitation', () => {
  it("raises an edge-counted work's total and its count in the citing work's year, once", async () => {
    const citing = await succeeds(UPSERT, { input: { title: 'A citing paper', publicationYear: 2027 } });
    const before = (await app.post({ query: `{ node(id: "${edgeCounted.gid}") { ... on Work { citationCount } } }` }))
      .body.data.node.citationCount;
    const variables = { citing: citing.upsertWork.work.id, cited: edgeCounted.gid };
    const added = await succeeds(CITE, variables);
    expect(added.addCitation).toEqual({
      created: true,
      cited: { citationCount: before + 1, citationsByYear: [{ year: 2027, count: 1 }] },
    });
    const again = await succeeds(CITE, variables);
    expect(again.addCitation.created).toBe(false);
    expect(again.addCitation.cited.citationCount).toBe(before + 1);
    await expectExact();
    // The citing work's year moves the citation to that year.
    await succeeds(UPSERT, { input: { id: citing.upsertWork.work.id, publicationYear: 2026 } });
    const moved = await app.post({
      query: `{ node(id: "${edgeCounted.gid}") { ... on Work { citationsByYear(from: 2026, to: 2027) { year count } } } }`,
    });
    expect(moved.body.data.node.citationsByYear).toEqual([
      { year: 2026, count: 1 },
      { year: 2027, count: 0 },
    ]);
    await expectExact();
  });

  it('refuses a self-citation and unknown works', async () => {
    await refused(CITE, { citing: edgeCounted.gid, cited: edgeCounted.gid }, 'BAD_USER_INPUT', 'input.citedId');
    await refused(CITE, { citing: gid('Work', 2_000_000_000), cited: edgeCounted.gid }, 'NOT_FOUND');
  });
});

describe('recordContribution, recordAffiliation, linkWorkToProject', () => {
  const CONTRIBUTE = `mutation ($input: RecordContributionInput!) {
    recordContribution(input: $input) { created contribution { role startDate endDate ended isCurrent evidence person { name } project { slug } } }
  }`;
  const AFFILIATE = `mutation ($input: RecordAffiliationInput!) {
    recordAffiliation(input: $input) { created affiliation { kind title startDate endDate ended organization { id } } }
  }`;
  const LINK = `mutation ($work: ID!, $project: ID!) {
    linkWorkToProject(input: { workId: $work, projectId: $project }) { created project { slug } }
  }`;

  it('records a role, and recording it again updates its end', async () => {
    const input = {
      personId: jia.gid,
      projectId: caffe.gid,
      role: 'MAINTAINER',
      startDate: '2015-01-01',
      evidence: 'A test record',
    };
    const first = await succeeds(CONTRIBUTE, { input });
    expect(first.recordContribution).toMatchObject({
      created: true,
      contribution: {
        role: 'MAINTAINER',
        isCurrent: true,
        person: { name: 'Yangqing Jia' },
        project: { slug: 'caffe' },
      },
    });
    const second = await succeeds(CONTRIBUTE, { input: { ...input, endDate: '2016-02-01', evidence: 'Updated' } });
    expect(second.recordContribution).toMatchObject({
      created: false,
      contribution: { endDate: '2016-02-01', ended: true, isCurrent: false, evidence: 'Updated' },
    });
    await refused(CONTRIBUTE, { input: { ...input, endDate: '2014-01-01' } }, 'BAD_USER_INPUT', 'input.endDate');
    await refused(CONTRIBUTE, { input: { ...input, evidence: '' } }, 'BAD_USER_INPUT', 'input.evidence');
    await refused(CONTRIBUTE, { input: { ...input, startDate: '0999-01-01' } }, 'BAD_USER_INPUT', 'input.startDate');
  });

  it('records an affiliation, open-ended or dated', async () => {
    const input = {
      personId: jia.gid,
      organizationId: berkeley.gid,
      kind: 'OTHER',
      title: 'Visitor',
      evidence: 'A test record',
    };
    const first = await succeeds(AFFILIATE, { input });
    expect(first.recordAffiliation).toMatchObject({
      created: true,
      affiliation: { kind: 'OTHER', title: 'Visitor', startDate: null },
    });
    const second = await succeeds(AFFILIATE, { input: { ...input, ended: true } });
    expect(second.recordAffiliation).toMatchObject({ created: false, affiliation: { ended: true } });
    await refused(AFFILIATE, { input: { ...input, title: 'x'.repeat(501) } }, 'BAD_USER_INPUT', 'input.title');
  });

  it("links a work to a project once, and the project's yearly figures follow", async () => {
    const paper = await succeeds(UPSERT, { input: { title: 'A Caffe paper', publicationYear: 1999 } });
    const linked = await succeeds(LINK, { work: paper.upsertWork.work.id, project: caffe.gid });
    expect(linked.linkWorkToProject).toEqual({ created: true, project: { slug: 'caffe' } });
    expect(
      (await succeeds(LINK, { work: paper.upsertWork.work.id, project: caffe.gid })).linkWorkToProject.created,
    ).toBe(false);
    const [row] = await app.db.prisma.$queryRawUnsafe<{ works: number }[]>(
      `SELECT works FROM project_year WHERE project_id = $1 AND year = 1999`,
      caffe.id,
    );
    expect(row?.works).toBe(1);
    await expectExact();
  });
});

describe('mergePeople and splitPerson', () => {
  const MERGE = `mutation ($keep: ID!, $other: ID!) { mergePeople(input: { keepId: $keep, otherId: $other }) { detail person { name otherNames } } }`;
  const SPLIT = `mutation ($person: ID!, $works: [ID!]) { splitPerson(input: { personId: $person, workIds: $works }) { detail newPerson { id name } } }`;

  it('need the ADMIN scope', async () => {
    await refused(MERGE, { keep: jia.gid, other: someoneElse }, 'FORBIDDEN');
  });

  it('merge two people and split them again, rollups exact after each', async () => {
    const twin = await succeeds(UPSERT, {
      input: { title: 'By a twin', publicationYear: 2018, authors: [{ name: 'Y. Jia' }] },
    });
    const twinId = twin.upsertWork.work.authors[0].id;
    const merged = await succeeds(MERGE, { keep: jia.gid, other: twinId }, keys.admin);
    expect(merged.mergePeople.person.otherNames).toContain('Y. Jia');
    expect(merged.mergePeople.detail).toMatch(/merged into/);
    await expectExact();
    const split = await succeeds(SPLIT, { person: jia.gid, works: [twin.upsertWork.work.id] }, keys.admin);
    expect(split.splitPerson.newPerson.name).toBe('Yangqing Jia');
    await expectExact();
    await refused(MERGE, { keep: jia.gid, other: jia.gid }, 'BAD_USER_INPUT', undefined, keys.admin);
    await refused(MERGE, { keep: jia.gid, other: gid('Person', 2_000_000_000) }, 'NOT_FOUND', undefined, keys.admin);
  });
});

describe('concurrent writes', () => {
  it('two creating the same new DOI at once leave one work; the other is CONFLICT, never an unexpected error', async () => {
    const input = { title: 'Raced', doi: '10.5555/cg.race.1' };
    const answers = await Promise.all([0, 1, 2].map(() => mutate(UPSERT, { input })));
    const codes = answers.map((answer) => answer.body.errors?.[0]?.extensions?.code ?? 'OK');
    expect(
      codes.every((code) => code === 'OK' || code === 'CONFLICT'),
      codes.join(),
    ).toBe(true);
    expect(codes).toContain('OK');
    const rows = await app.db.prisma.work.count({ where: { doi: '10.5555/cg.race.1' } });
    expect(rows).toBe(1);
  });

  it('twenty contributions recorded at once are twenty rows', async () => {
    const query = `mutation ($input: RecordContributionInput!) { recordContribution(input: $input) { created } }`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        mutate(query, {
          input: {
            personId: jia.gid,
            projectId: caffe.gid,
            role: 'CONTRIBUTOR',
            startDate: `2019-03-${String(i + 1).padStart(2, '0')}`,
            evidence: 'Parallel',
          },
        }),
      ),
    );
    expect(answers.map((answer) => answer.body.data?.recordContribution?.created)).toEqual(Array(20).fill(true));
    const [row] = await app.db.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM contribution WHERE evidence = 'Parallel'`,
    );
    expect(row?.n).toBe(20);
  });
});

describe('Idempotency-Key', () => {
  const body = (title: string) => ({ query: UPSERT, variables: { input: { title } } });

  it('answers a replayed write with the first answer and writes once', async () => {
    const headers = bearer(keys.write, { 'idempotency-key': 'test-replay-1' });
    const first = await app.post(body('Written once'), headers);
    const before = await counts(app.db.prisma);
    const second = await app.post(body('Written once'), headers);
    expect(second.status).toBe(200);
    expect(second.body.data).toEqual(first.body.data);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await counts(app.db.prisma)).toEqual(before);
  });

  it('replays a refused write as it was refused', async () => {
    const headers = bearer(keys.write, { 'idempotency-key': 'test-replay-2' });
    const first = await app.post(body(''), headers);
    const second = await app.post(body(''), headers);
    expect(second.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(second.body, JSON.stringify([first.body, second.body])).toEqual(first.body);
  });

  it('refuses the same key with another request', async () => {
    const headers = bearer(keys.write, { 'idempotency-key': 'test-replay-3' });
    await app.post(body('One write'), headers);
    const other = await app.post(body('Another write'), headers);
    expect(other.status).toBe(422);
    expect(other.body.errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('keeps keys apart per API key', async () => {
    const first = await app.post(body('Per key'), bearer(keys.write, { 'idempotency-key': 'shared' }));
    const second = await app.post(body('Per key'), bearer(keys.admin, { 'idempotency-key': 'shared' }));
    expect(second.body.data.upsertWork.work.id).not.toBe(first.body.data.upsertWork.work.id);
  });
});
