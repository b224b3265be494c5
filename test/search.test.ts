import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchType } from '../src/services/search.js';
import { SEARCH_TYPES, searchStatement, workSearchCondition } from '../src/services/search.js';
import { graphql } from './gql/index.js';
import { createTestApp, type TestApp } from './kit.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

const Search = graphql(`
  query Search($query: String!, $types: [SearchType!], $first: Int, $after: String) {
    search(query: $query, types: $types, first: $first, after: $after) {
      edges {
        score
        cursor
        node {
          __typename
          ... on Work { id title authors { name } }
          ... on Person { id name works(first: 3) { totalCount } }
          ... on Project { id name slug }
          ... on Organization { id name }
        }
      }
      nodes { __typename }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);

type Hit = { type: SearchType; id: number; score: number };

const typeOf: Record<string, SearchType> = {
  Work: 'WORK',
  Person: 'PERSON',
  Project: 'PROJECT',
  Organization: 'ORGANIZATION',
};

const idOf = (globalId: string) => Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);

async function search(query: string, options: { types?: SearchType[]; first?: number; after?: string } = {}) {
  const data = await app.execute(Search, { query, ...options });
  return data.search;
}

function hitsOf(page: Awaited<ReturnType<typeof search>>): Hit[] {
  return page.edges.map((edge) => ({
    type: typeOf[edge.node.__typename] as SearchType,
    id: idOf((edge.node as { id: string }).id),
    score: edge.score,
  }));
}

/**
 * The ranking computed the long way: every row of every table scored in a plain scan (no
 * index, no union, no paging), matched and ordered in JavaScript.
 */
async function expectedHits(query: string, types: readonly SearchType[] = SEARCH_TYPES): Promise<Hit[]> {
  const prisma = app.db.prisma;
  const hits: Hit[] = [];
  const round = (score: number) => Math.max(1, Math.round(score * 1_000_000)) / 1_000_000;
  if (types.includes('WORK')) {
    // Cover density divided by ln(1 + words in the title), then rank / (rank + 1).
    const works = await prisma.$queryRawUnsafe<{ id: number; matches: boolean; density: number; words: number }[]>(
      `SELECT id, coalesce(to_tsvector('english', title) @@ websearch_to_tsquery('english', $1), false) AS matches,
              ts_rank_cd('{1,1,1,1}', to_tsvector('english', coalesce(title, '')), websearch_to_tsquery('english', $1)) AS density,
              (SELECT coalesce(sum(coalesce(array_length(positions, 1), 1)), 0)::int
               FROM unnest(to_tsvector('english', coalesce(title, '')))) AS words
       FROM work`,
      query,
    );
    for (const work of works) {
      if (!work.matches) continue;
      const rank = work.density / Math.log(1 + work.words);
      hits.push({ type: 'WORK', id: work.id, score: round(rank / (rank + 1)) });
    }
  }
  for (const [type, table] of [
    ['PERSON', 'person'],
    ['PROJECT', 'project'],
    ['ORGANIZATION', 'organization'],
  ] as const) {
    if (!types.includes(type)) continue;
    const rows = await prisma.$queryRawUnsafe<{ id: number; similarity: number; word: number }[]>(
      `SELECT id, similarity(name, $1) AS similarity, word_similarity($1, name) AS word FROM ${table}`,
      query,
    );
    for (const row of rows) {
      if (row.similarity >= 0.3 || row.word >= 0.6) {
        hits.push({ type, id: row.id, score: round((row.similarity + row.word) / 2) });
      }
    }
  }
  const rank = (type: SearchType) => SEARCH_TYPES.indexOf(type);
  return hits.sort((a, b) => b.score - a.score || rank(a.type) - rank(b.type) || a.id - b.id);
}

/**
 * The same hits in the same order; scores agree to 2 millionths (the database ranks titles in
 * single precision, the expectation is computed in double).
 */
function expectHits(actual: Hit[], expected: Hit[], message?: string) {
  expect(
    actual.map(({ type, id }) => ({ type, id })),
    message,
  ).toEqual(expected.map(({ type, id }) => ({ type, id })));
  for (const [index, hit] of actual.entries()) {
    expect(Math.abs(hit.score - (expected[index]?.score ?? Number.NaN)), message).toBeLessThanOrEqual(2e-6);
  }
}

describe('search', () => {
  it('ranks works, people, projects and organizations together as a full scan scores them', async () => {
    for (const query of ['caffe', 'deep learning', 'Berkeley', 'convolutional networks', 'jia']) {
      const expected = await expectedHits(query);
      expect(expected.length, query).toBeGreaterThan(0);
      const page = await search(query, { first: 100 });
      expectHits(hitsOf(page), expected.slice(0, 100), query);
      expect(page.pageInfo.hasNextPage).toBe(expected.length > 100);
      expect(page.nodes.map((node) => node.__typename)).toEqual(page.edges.map((edge) => edge.node.__typename));
    }
  });

  it('finds a misspelled name: "Yangqin Jai" is Yangqing Jia', async () => {
    const page = await search('Yangqin Jai', { types: ['PERSON'], first: 5 });
    expect(page.edges[0]?.node).toMatchObject({ __typename: 'Person', name: 'Yangqing Jia' });
    expectHits(hitsOf(page), (await expectedHits('Yangqin Jai', ['PERSON'])).slice(0, 5));
    // The exact name scores 1; a misspelling less, but still first.
    expect(page.edges[0]?.score).toBeLessThan(1);
    const exact = await search('Yangqing Jia', { types: ['PERSON'], first: 1 });
    expect(exact.edges[0]?.score).toBe(1);
  });

  it('matches titles by stem and reads the query as a web search', async () => {
    const caffe = await search('caffe', { types: ['WORK'], first: 100 });
    const titles = caffe.edges.map((edge) => (edge.node as { title: string }).title);
    expect(titles.some((title) => /^Caffe\W+Convolutional Architecture/.test(title))).toBe(true);
    const stemmed = await search('networks', { types: ['WORK'], first: 100 });
    const stems = stemmed.edges.map((edge) => (edge.node as { title: string }).title);
    expect(stems.some((title) => /\bnetwork\b/i.test(title))).toBe(true);
    const without = await search('caffe -convolutional', { types: ['WORK'], first: 100 });
    const left = without.edges.map((edge) => (edge.node as { title: string }).title);
    expect(left.length).toBeLessThan(titles.length);
    expect(left.every((title) => !/convolutional/i.test(title))).toBe(true);
    // Stop words alone match no title.
    expect((await search('the of', { types: ['WORK'] })).edges).toEqual([]);
  });

  it('searches only the types asked for', async () => {
    const all = await expectedHits('caffe');
    for (const types of [['PROJECT'], ['WORK', 'ORGANIZATION'], ['PERSON']] as SearchType[][]) {
      const page = await search('caffe', { types, first: 100 });
      expectHits(hitsOf(page), all.filter((hit) => types.includes(hit.type)).slice(0, 100));
    }
    expect((await search('caffe', { types: ['PROJECT'] })).edges[0]?.node).toMatchObject({ slug: 'caffe' });
    const none = await search('caffe', { types: [] });
    expect(none.edges).toEqual([]);
    expect(none.pageInfo.hasNextPage).toBe(false);
  });

  it('pages with after through the same ranking, one statement for the hits', async () => {
    const query = 'learning';
    const expected = await expectedHits(query);
    expect(expected.length).toBeGreaterThan(7);
    const seen: Hit[] = [];
    let after: string | undefined;
    for (let page = 0; page < 100; page += 1) {
      const result = await search(query, { first: 3, after });
      seen.push(...hitsOf(result));
      expect(result.pageInfo.hasPreviousPage).toBe(after !== undefined);
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor ?? undefined;
    }
    expectHits(seen, expected);
    // An empty page still tells whether there is a first hit.
    const empty = await search(query, { first: 0 });
    expect(empty.edges).toEqual([]);
    expect(empty.pageInfo).toMatchObject({ hasNextPage: true, endCursor: null });
  });

  it('sends one statement for the hits and one per kind of record found, whatever the page size', async () => {
    // Beside the hits: one statement per kind of record on the page, with its planned relations
    // (a work's authors, a person's works), and one for all the people's works counts.
    const perKind: Record<string, number> = { Work: 1, Person: 2, Project: 1, Organization: 1 };
    const counts: number[] = [];
    for (const first of [1, 5, 50, 100]) {
      const page = await search('jia', { first });
      const kinds = new Set(page.edges.map((edge) => edge.node.__typename));
      counts.push(app.statements());
      expect(app.statements(), `first: ${first}`).toBe(
        1 + [...kinds].reduce((sum, kind) => sum + (perKind[kind] ?? 0), 0),
      );
    }
    expect(Math.max(...counts)).toBeLessThanOrEqual(6);
  });

  it('answers from the indexes the migrations create', async () => {
    // The demo's projects and organizations are few enough to read whole; with thousands more
    // (added and rolled back here) and the tables analyzed, each branch reads its index.
    const plans: string[] = [];
    await app.db.prisma
      .$transaction(async (tx) => {
        await tx.$executeRawUnsafe(
          `INSERT INTO project (slug, name, source) SELECT 'search-test-' || i, md5(i::text), 'test' FROM generate_series(1, 5000) i`,
        );
        await tx.$executeRawUnsafe(
          `INSERT INTO organization (slug, name) SELECT 'search-test-' || i, md5(i::text) FROM generate_series(1, 5000) i`,
        );
        await tx.$executeRawUnsafe('ANALYZE work, person, project, organization');
        await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
        for (const withAfter of [false, true]) {
          const params = withAfter ? ['caffe', 21, 500_000, 2, 1] : ['caffe', 21];
          const rows = await tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
            `EXPLAIN ${searchStatement(SEARCH_TYPES, withAfter)}`,
            ...params,
          );
          plans.push(rows.map((row) => row['QUERY PLAN']).join('\n'));
        }
        throw new Error('rolled back');
      })
      .catch((error: Error) => expect(error.message).toBe('rolled back'));
    expect(plans).toHaveLength(2);
    for (const plan of plans) {
      for (const index of [
        'work_title_search_idx',
        'person_name_trgm_idx',
        'project_name_trgm_idx',
        'organization_name_trgm_idx',
      ]) {
        expect(plan).toContain(`Bitmap Index Scan on ${index}`);
      }
    }
    expect(await app.db.prisma.project.count({ where: { source: 'test' } })).toBe(0);
  });

  it('offers the works condition the works filter uses, matching what search finds', async () => {
    for (const query of ['caffe', 'deep learning', '"neural networks"', 'the']) {
      const params: unknown[] = [];
      const param = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      const rows = await app.db.prisma.$queryRawUnsafe<{ id: number }[]>(
        `SELECT w.id FROM work w WHERE ${workSearchCondition(query, param)} ORDER BY w.id`,
        ...params,
      );
      const expected = (await expectedHits(query, ['WORK'])).map((hit) => hit.id).sort((a, b) => a - b);
      expect(
        rows.map((row) => Number(row.id)),
        query,
      ).toEqual(expected);
    }
  });

  it('charges (first + 1) rows per type searched, beside the page', async () => {
    const response = await app.post({
      query:
        '{ search(query: "caffe", types: [WORK, PERSON], first: 10) { edges { score node { ... on Work { title } } } } }',
    });
    expect(response.body.errors).toBeUndefined();
    // 2 × 11 rows searched, the connection, and 10 edges.
    expect(response.body.extensions.cost.nodes).toBe(2 * 11 + 1 + 10);
    const all = await app.post({ query: '{ search(query: "caffe") { edges { score } } }' });
    expect(all.body.extensions.cost.nodes).toBe(4 * 21 + 1 + 20);
    const none = await app.post({ query: '{ search(query: "caffe", types: []) { edges { score } } }' });
    expect(none.body.extensions.cost.nodes).toBe(0 + 1 + 20);
  });

  it('answers bad queries, page sizes and cursors with BAD_USER_INPUT', async () => {
    const worksCursor = (await app.post({ query: '{ works(first: 1) { pageInfo { endCursor } } }' })).body.data.works
      .pageInfo.endCursor;
    const forged = Buffer.from(`GPC:T:${JSON.stringify(['N:1', 'N:9', 'N:1'])}`).toString('base64');
    for (const [variables, message] of [
      [{ q: '' }, /needs a query/],
      [{ q: '   \t ' }, /needs a query/],
      [{ q: 'x'.repeat(201) }, /at most 200 characters/],
      [{ q: 'caffe\u0000' }, /NUL/],
      [{ q: 'caffe', first: 101 }, /limit of 0 to 100/],
      [{ q: 'caffe', first: -1 }, /limit of 0 to 100/],
      [{ q: 'caffe', after: 'garbage' }, /not a cursor/],
      [{ q: 'caffe', after: worksCursor }, /not a cursor/],
      [{ q: 'caffe', after: forged }, /not a cursor/],
    ] as const) {
      const response = await app.post({
        query:
          'query ($q: String!, $first: Int, $after: String) { search(query: $q, first: $first, after: $after) { edges { score } } }',
        variables,
      });
      expect(response.body.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
      expect(response.body.errors[0].message).toMatch(message);
    }
    // 200 characters after trimming are fine.
    const long = await app.post({
      query: 'query ($q: String!) { search(query: $q) { edges { score } } }',
      variables: { q: `  ${'caffe '.repeat(33)}xy  ` },
    });
    expect(long.body.errors).toBeUndefined();
  });
});
