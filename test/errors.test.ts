import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('reads LIKE wildcards in a name search literally', async () => {
    const response = await app.post({ query: '{ people(first: 1, search: "jia%") { totalCount } }' });
    const plain = await app.post({ query: '{ people(first: 1, search: "jia") { totalCount } }' });
    expect(response.body.data.people.totalCount).toBe(plain.body.data.people.totalCount);
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
