import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLimits } from '../src/config.js';
import { createTestApp, type TestApp } from './kit.js';

/**
 * Query limits (src/limits.ts): each abusive request is refused with a 400, its code, the limit
 * and what was found, before any SQL runs; the server answers normally afterwards.
 */

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

async function refused(body: unknown, code: string) {
  const response = await app.post(body);
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.body.errors?.[0]?.extensions?.code).toBe(code);
  expect(app.statements()).toBe(0);
  // And the server still answers.
  const after = await app.post({ query: '{ works(first: 1) { nodes { title } } }' });
  expect(after.status).toBe(200);
  expect(after.body.data.works.nodes).toHaveLength(1);
  return response.body.errors[0];
}

/** `works(first: 10) { nodes { references(first: 100) { nodes { citedBy … } } } }`, nested `levels` deep. */
const fanOut = (levels: number, page = '100') => {
  let inner = 'title authors { name }';
  for (let level = levels; level > 0; level -= 1) {
    const field = level % 2 ? 'references' : 'citedBy';
    inner = `${field}(first: ${page}) { nodes { ${inner} } }`;
  }
  return `works(first: 10) { nodes { ${inner} } }`;
};

describe('the node budget', () => {
  it('refuses the fan-out query that once exhausted the heap, before any SQL runs', async () => {
    const error = await refused({ query: `{ ${fanOut(3)} }` }, 'QUERY_COST_LIMIT');
    expect(error.extensions.limit).toBe(defaultLimits.nodes);
    expect(error.extensions.found).toBeGreaterThan(10_000_000);
  });

  it('counts a page size given in variables exactly as a literal one', async () => {
    const literal = await refused(
      { query: '{ works(first: 100) { nodes { citedBy(first: 100) { nodes { title } } } } }' },
      'QUERY_COST_LIMIT',
    );
    const variable = await refused(
      {
        query: 'query ($n: Int) { works(first: $n) { nodes { citedBy(first: $n) { nodes { title } } } } }',
        variables: { n: 100 },
      },
      'QUERY_COST_LIMIT',
    );
    expect(variable.extensions.found).toBe(literal.extensions.found);
    // 1 connection + 100 works, each with 1 connection + 100 citing works.
    expect(literal.extensions.found).toBe(1 + 100 * (1 + 1 + 100));
  });

  it('judges the same document anew for each set of variables', async () => {
    const query = 'query ($n: Int) { works(first: 100) { nodes { citedBy(first: $n) { nodes { title } } } } }';
    const small = await app.post({ query, variables: { n: 5 } });
    expect(small.status).toBe(200);
    expect(small.body.extensions.cost).toEqual({ nodes: 1 + 100 * (1 + 1 + 5), limit: defaultLimits.nodes });
    await refused({ query, variables: { n: 100 } }, 'QUERY_COST_LIMIT');
  });

  it('follows fragments and inline fragments, and walks a fragment spread many times once', async () => {
    const cited =
      'fragment Cited on Work { citedBy(first: 100) { nodes { ...Titled } } } fragment Titled on Work { title }';
    await refused({ query: `{ works(first: 100) { nodes { ...Cited } } } ${cited}` }, 'QUERY_COST_LIMIT');
    await refused(
      { query: '{ works(first: 100) { nodes { ... on Work { citedBy(first: 100) { nodes { title } } } } } }' },
      'QUERY_COST_LIMIT',
    );
    // 40 fragments each spreading the next twice: 2^40 spreads, walked once per fragment.
    const chain = Array.from({ length: 40 }, (_, index) =>
      index === 39
        ? `fragment F${index} on Work { title }`
        : `fragment F${index} on Work { ...F${index + 1} a${index}: citedBy(first: 1) { nodes { ...F${index + 1} } } }`,
    ).join(' ');
    const started = performance.now();
    const response = await app.post({ query: `{ works(first: 1) { nodes { ...F0 } } } ${chain}` });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(response.status).toBe(400);
    expect(['QUERY_COST_LIMIT', 'QUERY_ALIAS_LIMIT', 'QUERY_DEPTH_LIMIT']).toContain(
      response.body.errors[0].extensions.code,
    );
  });

  it('counts lists without a page size as ten rows each, and `nodes` by its ids', async () => {
    const response = await app.post({ query: '{ works(first: 20) { nodes { title authors { name } } } }' });
    expect(response.body.extensions.cost.nodes).toBe(1 + 20 * (1 + 10));
    const ids = await app.post({ query: '{ nodes(ids: ["V29yazox", "V29yazoy"]) { id } }' });
    expect(ids.body.extensions.cost.nodes).toBe(2);
  });

  it('returns the estimate on every answer that executed', async () => {
    const response = await app.post({ query: '{ works(first: 3) { nodes { title } } }' });
    expect(response.status).toBe(200);
    expect(response.body.extensions.cost).toEqual({ nodes: 4, limit: defaultLimits.nodes });
  });
});

describe('document limits', () => {
  it('refuses nesting past the depth limit, fragments included', async () => {
    const deep = `{ ${fanOut(5, '1')} }`;
    const error = await refused({ query: deep }, 'QUERY_DEPTH_LIMIT');
    expect(error.extensions).toMatchObject({ limit: defaultLimits.depth, found: 14 });
    const viaFragments = `{ works(first: 1) { nodes { ...A } } }
      fragment A on Work { references(first: 1) { nodes { ...B } } }
      fragment B on Work { citedBy(first: 1) { nodes { ...C } } }
      fragment C on Work { references(first: 1) { nodes { ...D } } }
      fragment D on Work { citedBy(first: 1) { nodes { ...E } } }
      fragment E on Work { references(first: 1) { nodes { title } } }`;
    expect((await refused({ query: viaFragments }, 'QUERY_DEPTH_LIMIT')).extensions.found).toBe(13);
    // Two hops with authors pass.
    const twoHops = await app.post({ query: `{ ${fanOut(2, '2')} }` });
    expect(twoHops.status).toBe(200);
  });

  it('refuses too many aliases but lets __typename be aliased', async () => {
    const aliases = Array.from({ length: 100 }, (_, index) => `w${index}: works(first: 1) { nodes { title } }`).join(
      ' ',
    );
    const error = await refused({ query: `{ ${aliases} }` }, 'QUERY_ALIAS_LIMIT');
    expect(error.extensions).toMatchObject({ limit: defaultLimits.aliases, found: 100 });
    const typenames = Array.from({ length: 100 }, (_, index) => `t${index}: __typename`).join(' ');
    expect((await app.post({ query: `{ ${typenames} }` })).status).toBe(200);
  });

  it('refuses a directive flood', async () => {
    const query = `{ works(first: 1) { nodes { title ${'@include(if: true) '.repeat(100)} } } }`;
    const response = await app.post({ query });
    expect(response.status).toBe(400);
    // graphql-js reports a repeated non-repeatable directive too; the limit is the one that names a code.
    expect(response.body.errors.map((error: { extensions?: { code?: string } }) => error.extensions?.code)).toContain(
      'QUERY_DIRECTIVE_LIMIT',
    );
  });

  it('stops parsing at the token limit', async () => {
    const started = performance.now();
    const error = await refused(
      // 2,500 names in 5,000 characters: within the length limit, past the token limit.
      { query: `{ works(first: 1) { nodes { ${'a '.repeat(2_500)} } } }` },
      'QUERY_TOKEN_LIMIT',
    );
    expect(error.extensions.limit).toBe(defaultLimits.tokens);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses a query longer than the length limit before parsing it', async () => {
    const padded = `{ works(first: 1) { nodes { title } } ${' '.repeat(defaultLimits.length)} }`;
    const error = await refused({ query: padded }, 'QUERY_LENGTH_LIMIT');
    expect(error.extensions.found).toBe(padded.length);
  });
});

describe('request bodies', () => {
  it('refuses a body over 1 MB with 413, whether its length is declared or streamed', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1_100_000) } });
    const declared = await app.post(body);
    expect(declared.status).toBe(413);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < body.length; offset += 64_000) {
          controller.enqueue(new TextEncoder().encode(body.slice(offset, offset + 64_000)));
        }
        controller.close();
      },
    });
    const streamed = await app.post(chunks);
    expect(streamed.status).toBe(413);
    expect((await app.post({ query: '{ __typename }' })).status).toBe(200);
  });
});
