import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorLogger, classifyError } from '../src/errors.js';
import { createTestApp, type TestApp } from './kit.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

const codeOf = (body: { errors?: { extensions?: { code?: string } }[] }) => body.errors?.[0]?.extensions?.code;

describe('bad queries', () => {
  it('answer a syntax error with 400 and a parse error code', async () => {
    const response = await app.post({ query: '{ works(first: 1 { totalCount } }' });
    expect(response.status).toBe(400);
    expect(codeOf(response.body)).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('answer an unknown field with a validation error code', async () => {
    const response = await app.post({ query: '{ works(first: 1) { nope } }' });
    expect(response.status).toBe(400);
    expect(codeOf(response.body)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answer a malformed global id with BAD_USER_INPUT and no stack trace', async () => {
    const response = await app.post({ query: '{ work(id: "not-an-id") { title } }' });
    expect(codeOf(response.body)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(response.body)).not.toMatch(/at \w+ \(|\.ts:\d+/);
  });

  it('answer an id of the wrong type with BAD_USER_INPUT', async () => {
    const people = await app.post({ query: '{ people(first: 1) { nodes { id } } }' });
    const personId = people.body.data.people.nodes[0].id;
    const response = await app.post({
      query: 'query ($id: ID!) { work(id: $id) { title } }',
      variables: { id: personId },
    });
    expect(codeOf(response.body)).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toMatch(/Expected a Work id/);
  });

  it('answer ambiguous or impossible arguments with BAD_USER_INPUT', async () => {
    for (const query of [
      '{ work(doi: "10.1/x", id: "V29yazox") { title } }',
      '{ work(doi: "not a doi") { title } }',
      '{ person { name } }',
      '{ topCitedWorks(first: 0) { title } }',
      '{ topCitedWorks(since: 99999) { title } }',
      '{ work(doi: "10.48550/arxiv.1603.04467") { citationsByYear(from: 2020, to: 2010) { year } } }',
      '{ people(first: 1, search: "%_") { totalCount } }',
    ]) {
      const response = await app.post({ query });
      expect(codeOf(response.body), query).toBe('BAD_USER_INPUT');
    }
  });

  it('answer ids of missing records with null, one by one, in a batch', async () => {
    const missing = Buffer.from('Work:999999').toString('base64url');
    const works = await app.post({ query: '{ works(first: 1) { nodes { id } } }' });
    const present = works.body.data.works.nodes[0].id;
    const response = await app.post({
      query: 'query ($a: ID!, $ids: [ID!]!) { node(id: $a) { id } nodes(ids: $ids) { id } work(id: $a) { id } }',
      variables: { a: missing, ids: [missing, present] },
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({ node: null, nodes: [null, { id: present }], work: null });
  });

  it('answer ids, cursors and page arguments a client made up with BAD_USER_INPUT', async () => {
    const huge = Buffer.from('Work:9999999999').toString('base64url');
    const unknownType = Buffer.from('Foo:1').toString('base64url');
    const authorship = Buffer.from('Authorship:1').toString('base64url');
    const stringCursor = Buffer.from('GPC:S:x').toString('base64');
    const hugeCursor = Buffer.from('GPC:N:99999999999').toString('base64');
    for (const [query, variables] of [
      ['query ($id: ID!) { work(id: $id) { title } }', { id: huge }],
      ['query ($id: ID!) { node(id: $id) { id } }', { id: huge }],
      ['query ($id: ID!) { node(id: $id) { id } }', { id: unknownType }],
      ['query ($id: ID!) { node(id: $id) { id } }', { id: authorship }],
      ['query ($id: ID!) { frameworkInvolvement(personId: $id) { year } }', { id: huge }],
      ['query ($c: String) { works(first: 2, after: $c) { totalCount } }', { c: 'garbage' }],
      ['query ($c: String) { works(first: 2, after: $c) { totalCount } }', { c: stringCursor }],
      ['query ($c: String) { works(first: 2, before: $c) { totalCount } }', { c: hugeCursor }],
      ['query ($c: String) { people(first: 1) { nodes { works(first: 1, after: $c) { totalCount } } } }', { c: 'x' }],
      ['{ works(first: 2, last: 2) { totalCount } }', {}],
      ['{ works(first: -1) { totalCount } }', {}],
      ['query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 101 }, () => 'V29yazox') }],
      ['{ works(first: 1, filter: { yearFrom: 2020, yearTo: 2000 }) { totalCount } }', {}],
      ['{ frameworkInvolvement(personId: "UGVyc29uOjE", from: 2020, to: 2000) { year } }', {}],
      ['{ frameworkInvolvement(personId: "UGVyc29uOjE", from: 1) { year } }', {}],
    ] as const) {
      const response = await app.post({ query, variables });
      expect(codeOf(response.body), `${query} ${JSON.stringify(variables)}`).toBe('BAD_USER_INPUT');
    }
  });

  it('reads LIKE wildcards in a name search literally', async () => {
    const response = await app.post({ query: '{ people(first: 1, search: "jia%") { totalCount } }' });
    const plain = await app.post({ query: '{ people(first: 1, search: "jia") { totalCount } }' });
    expect(response.body.data.people.totalCount).toBe(plain.body.data.people.totalCount);
  });

  it('answer a NUL character in any text argument with BAD_USER_INPUT, literal or variable', async () => {
    for (const [query, variables] of [
      ['{ person(name: "a\\u0000b") { name } }', undefined],
      ['query ($doi: String!) { work(doi: $doi) { title } }', { doi: '10.1/\u0000' }],
      ['query ($q: String) { people(first: 1, search: $q) { totalCount } }', { q: 'jia\u0000' }],
      ['{ project(slug: "caffe\\u0000") { name } }', undefined],
    ] as const) {
      const response = await app.post({ query, variables });
      expect(codeOf(response.body), query).toBe('BAD_USER_INPUT');
      expect(response.body.errors[0].message).toMatch(/NUL/);
      expect(response.status).toBe(400);
    }
  });

  it('keep the server answering afterwards, and echo the request id', async () => {
    const response = await app.post({ query: '{ __typename }' }, { 'x-request-id': 'dashboard-42' });
    expect(response.status).toBe(200);
    expect(response.body.data.__typename).toBe('Query');
    expect(response.headers.get('x-request-id')).toBe('dashboard-42');
    const generated = await app.post({ query: '{ __typename }' });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the playground', () => {
  it('serves GraphiQL with the example queries and no assets from a CDN', async () => {
    const { status, text } = await app.page('/graphql');
    expect(status).toBe(200);
    expect(text).toContain('<title>citegraph</title>');
    expect(text).toContain('JiaFrameworkInvolvement');
    expect(text).not.toMatch(/<script[^>]+src="https?:/);
    expect(text).not.toMatch(/unpkg\.com|jsdelivr/);
  });
});

describe('database failures as the client sees them', () => {
  it.each([
    [
      'Prisma cannot reach the server (P1001)',
      { code: 'P1001', message: "Can't reach database server at 127.0.0.1:5432" },
    ],
    ['the server closed the connection (P1017)', { code: 'P1017', message: 'Server has closed the connection.' }],
    [
      'the adapter lost the connection',
      { message: 'x', meta: { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } } },
    ],
    [
      'the server shutting down (57P01)',
      { message: 'x', meta: { driverAdapterError: { cause: { originalCode: '57P01' } } } },
    ],
  ])('%s is SERVICE_UNAVAILABLE with 503', (_what, error) => {
    expect(classifyError(Object.assign(new Error(error.message), error))).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
    });
  });

  it('a unique violation is CONFLICT, and a statement error of another kind is left to masking', () => {
    const failure = (originalCode: string) =>
      Object.assign(new Error('x'), { meta: { driverAdapterError: { cause: { originalCode } } } });
    expect(classifyError(failure('23505'))?.code).toBe('CONFLICT');
    expect(classifyError(failure('42P01'))).toBeUndefined();
  });
});

describe('the API error log', () => {
  it('logs unexpected errors as errors, classified ones as warnings, and an outage once per interval', () => {
    const lines: [string, unknown][] = [];
    const logger = apiErrorLogger(
      {
        debug: () => {},
        info: () => {},
        warn: (first: unknown) => lines.push(['warn', first]),
        error: (first: unknown) => lines.push(['error', first]),
      },
      60_000,
    );
    const bug = new Error('a bug');
    logger.error(bug);
    logger.error(Object.assign(new Error('x'), { meta: { driverAdapterError: { cause: { originalCode: '57014' } } } }));
    for (let i = 0; i < 100; i += 1) {
      logger.error(Object.assign(new Error("Can't reach database server at db:5432"), { code: 'P1001' }));
    }
    expect(lines.map(([level]) => level)).toEqual(['error', 'warn', 'warn']);
    expect(lines[0]?.[1]).toBe(bug);
    expect(lines[2]?.[1]).toMatch(/^The database is unavailable: Can't reach database server/);
  });
});
