import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { createTestApp, type TestApp } from './kit.js';

let app: TestApp;
beforeAll(async () => {
  // Writes: some people get ORCID iDs and a work a Semantic Scholar paperId, whatever the demo holds.
  app = await createTestApp({ ownDatabase: 'lookups' });
  const people = await app.db.prisma.person.findMany({
    where: { orcid: null },
    select: { id: true },
    orderBy: { id: 'desc' },
    take: 8,
  });
  for (const [index, person] of people.entries()) {
    const serial = String(index + 1).padStart(2, '0');
    await app.db.prisma.person.update({
      where: { id: person.id },
      data: { orcid: withCheckDigit(`0000-0002-8888-7${serial}`) },
    });
  }
  const work = await app.db.prisma.work.findFirstOrThrow({
    where: { s2Id: null },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  await app.db.prisma.work.update({
    where: { id: work.id },
    data: { s2Id: '649def34f8be52c8b66281af98ae884c09aef38b' },
  });
});
afterAll(() => app?.close());

const PeopleByOrcid = graphql(`
  query PeopleByOrcid($orcids: [String!], $first: Int, $after: String, $last: Int, $before: String) {
    people(orcids: $orcids, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      unresolved
      nodes { id name orcid }
      pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
    }
  }
`);

const WorkByIds = graphql(`
  query WorkByIds($openalexId: String, $semanticScholarId: String) {
    work(openalexId: $openalexId, semanticScholarId: $semanticScholarId) {
      id
      title
      openalexId
      semanticScholarId
    }
  }
`);

const globalId = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64url');

/** ISO 7064 MOD 11-2, as orcid.org computes an iD's last character. */
function withCheckDigit(base: string): string {
  let total = 0;
  for (const digit of base.replace(/-/g, '')) total = (total + Number(digit)) * 2;
  const check = (12 - (total % 11)) % 11;
  return `${base}${check === 10 ? 'X' : check}`;
}

/** Valid ORCID iDs that nobody holds, made from a serial number. */
function unheldOrcids(count: number, held: Set<string>): string[] {
  const made: string[] = [];
  for (let serial = 1; made.length < count; serial += 1) {
    const digits = String(serial).padStart(15, '0');
    const orcid = withCheckDigit(`9999-${digits.slice(4, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 15)}`);
    if (!held.has(orcid)) made.push(orcid);
  }
  return made;
}

async function heldOrcids() {
  return app.db.prisma.person.findMany({
    where: { orcid: { not: null } },
    select: { id: true, name: true, orcid: true },
    orderBy: { id: 'asc' },
  });
}

describe('people(orcids:)', () => {
  it('lists the people holding the iDs in the order asked, once each, and the iDs nobody holds', async () => {
    const held = await heldOrcids();
    expect(held.length).toBeGreaterThanOrEqual(4);
    type Held = { id: number; name: string; orcid: string };
    const [a, b, c, d] = held.slice(-4) as [Held, Held, Held, Held];
    const [nobody] = unheldOrcids(1, new Set(held.map((person) => person.orcid as string)));
    const orcids = [
      `https://orcid.org/${c.orcid}`,
      a.orcid,
      nobody as string,
      c.orcid.replace(/-/g, ''),
      d.orcid.toLowerCase(),
      b.orcid,
      nobody as string,
    ];
    const data = await app.execute(PeopleByOrcid, { orcids, first: 10 });
    expect(data.people.nodes).toEqual(
      [c, a, d, b].map((person) => ({ id: globalId('Person', person.id), name: person.name, orcid: person.orcid })),
    );
    expect(data.people.totalCount).toBe(4);
    expect(data.people.unresolved).toEqual([nobody]);
    expect(data.people.pageInfo.hasNextPage).toBe(false);
  });

  it('pages through the order asked, forwards and backwards', async () => {
    const held = (await heldOrcids()).slice(0, 7).reverse();
    const orcids = held.map((person) => person.orcid as string);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await app.execute(PeopleByOrcid, { orcids, first: 3, after });
      seen.push(...page.people.nodes.map((person) => person.orcid as string));
      if (!page.people.pageInfo.hasNextPage) break;
      after = page.people.pageInfo.endCursor ?? undefined;
    }
    expect(seen).toEqual(orcids);
    const last = await app.execute(PeopleByOrcid, { orcids, last: 2 });
    expect(last.people.nodes.map((person) => person.orcid)).toEqual(orcids.slice(-2));
    const before = await app.execute(PeopleByOrcid, { orcids, last: 2, before: last.people.pageInfo.startCursor });
    expect(before.people.nodes.map((person) => person.orcid)).toEqual(orcids.slice(-4, -2));
    expect(before.people.pageInfo.hasPreviousPage).toBe(true);
  });

  it('sends the same statements for 3 iDs as for 100', async () => {
    const held = await heldOrcids();
    const known = new Set(held.map((person) => person.orcid as string));
    const counts: number[] = [];
    for (const size of [3, 100]) {
      const orcids = [...held.slice(0, 2).map((person) => person.orcid as string), ...unheldOrcids(size - 2, known)];
      const data = await app.execute(PeopleByOrcid, { orcids, first: 100 });
      expect(data.people.nodes).toHaveLength(2);
      expect(data.people.unresolved).toHaveLength(size - 2);
      counts.push(app.statements());
    }
    // The people, their count, and the iDs held.
    expect(counts).toEqual([3, 3]);
  });

  it('charges one row per iD beside the page', async () => {
    const orcids = (await heldOrcids()).slice(0, 5).map((person) => person.orcid);
    const response = await app.post({
      query: 'query ($o: [String!]) { people(orcids: $o, first: 10) { nodes { name } } }',
      variables: { o: orcids },
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.extensions.cost.nodes).toBe(5 + 1 + 10);
  });

  it('answers a malformed iD, too many iDs, or orcids with search with BAD_USER_INPUT', async () => {
    const [first] = await heldOrcids();
    const valid = first?.orcid as string;
    const badCheckDigit = `${valid.slice(0, -1)}${valid.endsWith('0') ? '1' : '0'}`;
    for (const [variables, message] of [
      [{ o: [valid, 'not-an-orcid'] }, /orcids\[1\]: "not-an-orcid" is not an ORCID iD/],
      [{ o: [valid, valid, badCheckDigit] }, /orcids\[2\]/],
      [{ o: Array.from({ length: 101 }, () => valid) }, /at most 100/],
      [{ o: [valid], s: 'jia' }, /at most one of search and orcids/],
    ] as const) {
      const response = await app.post({
        query: 'query ($o: [String!], $s: String) { people(orcids: $o, search: $s, first: 5) { nodes { name } } }',
        variables,
      });
      expect(response.body.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
      expect(response.body.errors[0].message).toMatch(message);
    }
  });

  it('keeps people(search:) and people() as they were, with nothing unresolved', async () => {
    const response = await app.post({
      query: '{ people(first: 3, search: "jia") { totalCount unresolved nodes { name } } }',
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.people.unresolved).toEqual([]);
    expect(response.body.data.people.nodes.length).toBeGreaterThan(0);
  });
});

describe('work(openalexId:) and work(semanticScholarId:)', () => {
  it('finds a work by its OpenAlex id in any common form', async () => {
    const work = await app.db.prisma.work.findFirstOrThrow({
      where: { openalexId: { not: null } },
      select: { id: true, openalexId: true },
      orderBy: { id: 'asc' },
    });
    const openalexId = work.openalexId as string;
    for (const form of [
      openalexId,
      `https://openalex.org/${openalexId}`,
      openalexId.toLowerCase(),
      ` ${openalexId} `,
    ]) {
      const data = await app.execute(WorkByIds, { openalexId: form });
      expect(data.work, form).toMatchObject({ id: globalId('Work', work.id), openalexId });
    }
    expect((await app.execute(WorkByIds, { openalexId: 'W1' })).work).toBeNull();
  });

  it('finds a work by its Semantic Scholar paperId in either case', async () => {
    const work = await app.db.prisma.work.findFirstOrThrow({
      where: { s2Id: { not: null } },
      select: { id: true, s2Id: true },
      orderBy: { id: 'asc' },
    });
    const s2Id = work.s2Id as string;
    for (const form of [s2Id, s2Id.toUpperCase()]) {
      const data = await app.execute(WorkByIds, { semanticScholarId: form });
      expect(data.work, form).toMatchObject({ id: globalId('Work', work.id), semanticScholarId: s2Id });
    }
    expect((await app.execute(WorkByIds, { semanticScholarId: '0'.repeat(40) })).work).toBeNull();
  });

  it('answers malformed ids and ambiguous arguments with BAD_USER_INPUT', async () => {
    for (const [query, message] of [
      ['{ work(openalexId: "A5110220840") { id } }', /not an OpenAlex work id/],
      ['{ work(openalexId: "https://openalex.org/") { id } }', /not an OpenAlex work id/],
      ['{ work(semanticScholarId: "649def34") { id } }', /not a Semantic Scholar paperId/],
      [`{ work(semanticScholarId: "${'g'.repeat(40)}") { id } }`, /not a Semantic Scholar paperId/],
      ['{ work(openalexId: "W1", doi: "10.1/x") { id } }', /exactly one of id, doi, openalexId and semanticScholarId/],
      ['{ work { id } }', /exactly one of/],
    ] as const) {
      const response = await app.post({ query });
      expect(response.body.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
      expect(response.body.errors[0].message).toMatch(message);
    }
  });
});

describe('nodes(ids:)', () => {
  it('answers a malformed id with an error at its index and the other ids as usual', async () => {
    const work = await app.db.prisma.work.findFirstOrThrow({
      select: { id: true, title: true },
      orderBy: { id: 'asc' },
    });
    const person = await app.db.prisma.person.findFirstOrThrow({
      select: { id: true, name: true },
      orderBy: { id: 'asc' },
    });
    const ids = [
      globalId('Work', work.id),
      'garbage',
      globalId('Work', 2_000_000_000),
      globalId('Person', person.id),
      globalId('Authorship', 1),
      globalId('Work', 99_999_999_999),
    ];
    const response = await app.post({
      query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Work { title } ... on Person { name } } }',
      variables: { ids },
    });
    expect(response.status).toBe(200);
    expect(response.body.data.nodes).toEqual([
      { __typename: 'Work', id: ids[0], title: work.title },
      null,
      null,
      { __typename: 'Person', id: ids[3], name: person.name },
      null,
      null,
    ]);
    const errors = response.body.errors as {
      path: (string | number)[];
      message: string;
      extensions: { code: string };
    }[];
    expect(errors.map((error) => error.path)).toEqual([
      ['nodes', 1],
      ['nodes', 4],
      ['nodes', 5],
    ]);
    for (const error of errors) {
      expect(error.extensions.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(/is not a citegraph id/);
    }
  });

  it('loads the valid ids of a type in one statement, however many', async () => {
    const works = await app.db.prisma.work.findMany({ select: { id: true }, orderBy: { id: 'asc' }, take: 50 });
    const counts: number[] = [];
    for (const size of [2, 50]) {
      const ids = [...works.slice(0, size).map((work) => globalId('Work', work.id)), 'garbage'];
      const response = await app.post({
        query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }',
        variables: { ids },
      });
      expect(response.body.data.nodes.filter(Boolean)).toHaveLength(size);
      counts.push(app.statements());
    }
    expect(counts).toEqual([1, 1]);
  });
});
