import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GraphQLNamedType, getNamedType, isInputObjectType, isObjectType } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultLimits } from '../src/config.js';
import type { Db } from '../src/db.js';
import type { PrismaClient } from '../src/generated/prisma/client.js';
import { createLogger } from '../src/logger.js';
import { schema } from '../src/schema/index.js';
import { createKey } from '../src/services/keys.js';
import { buildYoga } from '../src/yoga.js';
import { cli, emptyDatabase } from './ingest-kit.js';
import { createTestApp, type TestApp } from './kit.js';

/**
 * The adversarial checklist of the reliability research (case ids A1–E5), for the cases no other
 * file covers: query abuse, forged cursors, bad text and scalars, transport, and odd import files.
 * Every request is refused with its HTTP status and code, before any SQL where the check allows;
 * after each test the data reads as before and the server still answers `{ __typename }`.
 */

let app: TestApp;
let baseline: unknown;

/** Totals and the first page of each top-level list: what "nothing was lost" compares. */
const INTACT = `{
  works(first: 5) { totalCount nodes { id title citationCount } }
  people(first: 5) { totalCount nodes { id name } }
  projects(first: 5) { totalCount nodes { id slug } }
}`;

beforeAll(async () => {
  app = await createTestApp({ introspection: false, corsOrigins: ['https://dashboard.example.org'] });
  baseline = (await app.post({ query: INTACT })).body.data;
});
afterAll(() => app?.close());

afterEach(async () => {
  const alive = await app.post({ query: '{ __typename }' });
  expect(alive.status).toBe(200);
  expect(alive.body.data).toEqual({ __typename: 'Query' });
  const intact = await app.post({ query: INTACT });
  expect(intact.status).toBe(200);
  expect(intact.body.data).toEqual(baseline);
});

type BodyError = { message: string; extensions?: { code?: string; limit?: number; found?: number } };
const codeOf = (body: { errors?: BodyError[] }) => body.errors?.[0]?.extensions?.code;

/** A request refused whole: its status, its first error's code, no data, and no SQL sent. */
async function refused(body: unknown, status: number, code: string) {
  const response = await app.post(body);
  const shown = `${JSON.stringify(body).slice(0, 300)} → ${JSON.stringify(response.body).slice(0, 500)}`;
  expect(response.status, shown).toBe(status);
  expect(codeOf(response.body), shown).toBe(code);
  expect(response.body.data, shown).toBeUndefined();
  expect(app.statements(), shown).toBe(0);
  return response.body as { errors: [BodyError, ...BodyError[]] };
}

const TENSORFLOW = '10.48550/arxiv.1603.04467';

describe('A1, A2, A3, A5: documents built to exhaust the server', () => {
  it('refuses nesting hidden in inline fragments and in a fragment named __schema past the depth limit', async () => {
    let inline = 'title';
    for (let level = 0; level < 7; level += 1) {
      inline = `... on Work { ${level % 2 ? 'citedBy' : 'references'}(first: 1) { nodes { ${inline} } } }`;
    }
    const viaInline = await refused({ query: `{ works(first: 1) { nodes { ${inline} } } }` }, 400, 'QUERY_DEPTH_LIMIT');
    // works, nodes, then a connection and its nodes per level, then title.
    expect(viaInline.errors[0].extensions).toMatchObject({ limit: defaultLimits.depth, found: 17 });
    // The introspection exemption is for the __schema field, not for anything so named.
    const named = `{ works(first: 1) { nodes { ...__schema } } }
      fragment __schema on Work { references(first: 1) { nodes { ...__type } } }
      fragment __type on Work { citedBy(first: 1) { nodes { references(first: 1) { nodes {
        citedBy(first: 1) { nodes { references(first: 1) { nodes { title } } } } } } } } }`;
    expect((await refused({ query: named }, 400, 'QUERY_DEPTH_LIMIT')).errors[0].extensions).toMatchObject({
      found: 13,
    });
    const aliased = `{ __schema: works(first: 1) { nodes { ${inline} } } }`;
    await refused({ query: aliased }, 400, 'QUERY_DEPTH_LIMIT');
  });

  it('refuses introspection nested past its own depth limit, before any SQL', async () => {
    const open = await createTestApp();
    try {
      let inner = 'name';
      for (let level = 0; level < 4; level += 1) inner = `name fields { type { ofType { ofType { ${inner} } } } }`;
      const response = await open.post({ query: `{ __schema { types { ${inner} } } }` });
      expect(response.status).toBe(400);
      expect(codeOf(response.body)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.body.errors[0].message).toBe('Maximum introspection depth exceeded');
      expect(open.statements()).toBe(0);
      const shallow = await open.post({ query: '{ __schema { queryType { name } } }' });
      expect(shallow.body.data.__schema.queryType.name).toBe('Query');
    } finally {
      await open.close();
    }
  });

  it('refuses fragments that spread themselves, directly or through a cycle of 50, without overflowing a rule', async () => {
    const cycle = Array.from(
      { length: 50 },
      (_, index) => `fragment F${index} on Work { title ...F${(index + 1) % 50} }`,
    ).join(' ');
    for (const query of [
      '{ works(first: 1) { nodes { ...A } } } fragment A on Work { ...B } fragment B on Work { ...A }',
      '{ works(first: 1) { nodes { ...A } } } fragment A on Work { title ...A }',
      `{ works(first: 1) { nodes { ...F0 } } } ${cycle}`,
    ]) {
      const { errors } = await refused({ query }, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(errors[0].message).toMatch(/^Cannot spread fragment "\w+" within itself/);
    }
  });

  it('counts the aliases inside fragments against the alias limit', async () => {
    const found = defaultLimits.aliases + 1;
    const fields = Array.from({ length: found }, (_, index) => `t${index}: title`);
    const query = `{ works(first: 1) { nodes { ...A ...B } } }
      fragment A on Work { ${fields.slice(0, 10).join(' ')} }
      fragment B on Work { ${fields.slice(10).join(' ')} }`;
    const { errors } = await refused({ query }, 400, 'QUERY_ALIAS_LIMIT');
    expect(errors[0].extensions).toMatchObject({ limit: defaultLimits.aliases, found });
  });

  it('refuses a flood of unknown directives as invalid and over the limit, and a longer one at the token limit', async () => {
    const unknown = (count: number) => `{ works(first: 1) { nodes { title ${'@foo '.repeat(count)} } } }`;
    const { errors } = await refused(
      { query: unknown(defaultLimits.directives + 10) },
      400,
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect(errors[0].message).toBe('Unknown directive "@foo".');
    expect(errors.map((error) => error.extensions?.code)).toContain('QUERY_DIRECTIVE_LIMIT');
    await refused({ query: unknown(1_000) }, 400, 'QUERY_TOKEN_LIMIT');
  });
});

/** Every connection, each with the cursor variable $c after (or before) its rows. */
const CONNECTIONS = {
  works: { shape: 'id', query: 'query ($c: String) { works(first: 2, after: $c) { nodes { id } } }' },
  worksBefore: { shape: 'id', query: 'query ($c: String) { works(last: 2, before: $c) { nodes { id } } }' },
  worksByYear: {
    shape: 'id',
    query:
      'query ($c: String) { works(first: 2, after: $c, orderBy: { field: PUBLICATION_YEAR, direction: ASC }) { nodes { id } } }',
  },
  people: { shape: 'id', query: 'query ($c: String) { people(first: 2, after: $c) { nodes { id } } }' },
  projects: { shape: 'id', query: 'query ($c: String) { projects(first: 2, after: $c) { nodes { id } } }' },
  citedBy: {
    shape: 'id',
    query: `query ($c: String) { work(doi: "${TENSORFLOW}") { citedBy(first: 2, after: $c) { nodes { id } } } }`,
  },
  references: {
    shape: 'id',
    query: `query ($c: String) { work(doi: "${TENSORFLOW}") { references(last: 2, before: $c) { nodes { id } } } }`,
  },
  personWorks: {
    shape: 'pair',
    query: 'query ($c: String) { person(name: "Yangqing Jia") { works(first: 2, after: $c) { nodes { id } } } }',
  },
  contributors: {
    shape: 'id',
    query:
      'query ($c: String) { project(slug: "caffe") { contributors(first: 2, after: $c) { nodes { person { id } } } } }',
  },
} as const;

const cursor = (payload: string) => Buffer.from(`GPC:${payload}`).toString('base64');

describe('A8, A9, A10: page arguments, cursors and orderings a client made up', () => {
  /** An end cursor each connection issued, by connection. */
  let issued: Record<
    'works' | 'people' | 'projects' | 'citedBy' | 'references' | 'personWorks' | 'contributors',
    string
  >;
  beforeAll(async () => {
    const endCursor = async (query: string, path: string[]) => {
      let value = (await app.post({ query })).body.data;
      for (const key of path) value = value[key];
      return value.pageInfo.endCursor as string;
    };
    issued = {
      works: await endCursor('{ works(first: 1) { pageInfo { endCursor } } }', ['works']),
      people: await endCursor('{ people(first: 1) { pageInfo { endCursor } } }', ['people']),
      projects: await endCursor('{ projects(first: 1) { pageInfo { endCursor } } }', ['projects']),
      citedBy: await endCursor(`{ work(doi: "${TENSORFLOW}") { citedBy(first: 1) { pageInfo { endCursor } } } }`, [
        'work',
        'citedBy',
      ]),
      references: await endCursor(
        `{ work(doi: "${TENSORFLOW}") { references(first: 1) { pageInfo { endCursor } } } }`,
        ['work', 'references'],
      ),
      personWorks: await endCursor('{ person(name: "Yangqing Jia") { works(first: 1) { pageInfo { endCursor } } } }', [
        'person',
        'works',
      ]),
      contributors: await endCursor(
        '{ project(slug: "caffe") { contributors(first: 1) { pageInfo { endCursor } } } }',
        ['project', 'contributors'],
      ),
    };
  });

  it('refuses page sizes out of bounds on every connection before any SQL', async () => {
    for (const [name, { query }] of Object.entries(CONNECTIONS)) {
      const sized = query.replace(/\((first|last): 2, (after|before): \$c/, '($1: $n');
      const withN = sized.replace('query ($c: String)', 'query ($n: Int)');
      for (const n of [101, -1, 2_147_483_647]) {
        const { errors } = await refused({ query: withN, variables: { n } }, 200, 'BAD_USER_INPUT');
        expect(errors[0].message, `${name} ${n}`).toMatch(/limit of 0 to 100 records/);
      }
      const both = sized.replace(/(first|last): \$n/, 'first: 1, last: 1').replace('query ($c: String) ', '');
      await refused({ query: both }, 200, 'BAD_USER_INPUT');
    }
    // Lists that are no connections check their own bounds.
    for (const query of [
      '{ topCitedWorks(first: 101) { id } }',
      '{ person(name: "Yangqing Jia") { coAuthors(first: 0) { worksTogether } } }',
    ]) {
      const response = await app.post({ query });
      expect(response.status).toBe(200);
      expect(codeOf(response.body)).toBe('BAD_USER_INPUT');
    }
  });

  it('gives 20 rows when no page size is given', async () => {
    const response = await app.post({ query: '{ works { nodes { id } } people { nodes { id } } }' });
    expect(response.status).toBe(200);
    expect(response.body.data.works.nodes).toHaveLength(20);
    expect(response.body.data.people.nodes).toHaveLength(20);
  });

  it("accepts each connection's own cursor", async () => {
    const own: Record<string, string> = { ...issued, worksBefore: issued.works, worksByYear: issued.works };
    for (const [name, { query }] of Object.entries(CONNECTIONS)) {
      const response = await app.post({ query, variables: { c: own[name] } });
      expect(response.status, name).toBe(200);
      expect(response.body.errors, name).toBeUndefined();
    }
  });

  it('refuses a cursor of another shape on every connection with BAD_USER_INPUT, before any SQL', async () => {
    // Each with the shape of connection that takes it; `none` fits no connection.
    const forged = [
      ['a work id', issued.works, 'id'],
      ["an authorship's (work, person) pair", issued.personWorks, 'pair'],
      ['a legacy pair', cursor('J:[1,2]'), 'pair'],
      ['a one-part tuple', cursor('T:["N:1"]'), 'none'],
      ['a three-part tuple', cursor('T:["N:1","N:2","N:3"]'), 'none'],
      ['a tuple with a string', cursor('T:["N:1","S:x"]'), 'none'],
      ['a fraction', cursor('N:1.5'), 'none'],
      ['a string', cursor('S:1'), 'none'],
      ['an id past the integer range', cursor('N:2147483648'), 'none'],
      ['a zero id', cursor('N:0'), 'none'],
      ['no base64 at all', '!!notbase64', 'none'],
      ['an empty string', '', 'none'],
      ['a cursor of another library', Buffer.from('arrayconnection:1').toString('base64'), 'none'],
    ] as const;
    for (const [connection, { shape, query }] of Object.entries(CONNECTIONS)) {
      for (const [name, c, fits] of forged) {
        if (fits === shape) continue;
        const { errors } = await refused({ query, variables: { c } }, 200, 'BAD_USER_INPUT');
        expect(errors[0].message, `${name} on ${connection}`).toMatch(/is not a cursor this API returned/);
      }
    }
  });

  it('reads a cursor of the same shape from another connection or order as a position, never an error', async () => {
    for (const [from, c] of Object.entries(issued)) {
      for (const [connection, { shape, query }] of Object.entries(CONNECTIONS)) {
        if ((from === 'personWorks') !== (shape === 'pair')) continue;
        const response = await app.post({ query, variables: { c } });
        expect(response.status, `${from} on ${connection}`).toBe(200);
        expect(response.body.errors, `${from} on ${connection}`).toBeUndefined();
      }
    }
    // A cursor from the citation-count order, used in the year order, is the row it names there:
    // the page before the row that follows it is that row.
    const byYear = '{ field: PUBLICATION_YEAR, direction: ASC }';
    const after = await app.post({
      query: `query ($c: String) { works(first: 1, after: $c, orderBy: ${byYear}) { pageInfo { endCursor } } }`,
      variables: { c: issued.works },
    });
    const back = await app.post({
      query: `query ($c: String) { works(last: 1, before: $c, orderBy: ${byYear}) { pageInfo { endCursor } } }`,
      variables: { c: after.body.data.works.pageInfo.endCursor },
    });
    expect(back.body.data.works.pageInfo.endCursor).toBe(issued.works);
    // A row that does not exist starts an empty page.
    const missing = await app.post({
      query: 'query ($c: String) { works(first: 2, after: $c) { nodes { id } pageInfo { hasNextPage } } }',
      variables: { c: cursor('N:2147483647') },
    });
    expect(missing.body.data.works).toEqual({ nodes: [], pageInfo: { hasNextPage: false } });
  });

  it('refuses an ordering the schema does not offer, written out or in variables', async () => {
    const literal = await refused(
      { query: '{ works(first: 1, orderBy: { field: ABSTRACT, direction: ASC }) { totalCount } }' },
      400,
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect(literal.errors[0].message).toBe('Value "ABSTRACT" does not exist in "WorkOrderField" enum.');
    const variable = await refused(
      {
        query: 'query ($o: WorkOrder) { works(first: 1, orderBy: $o) { totalCount } }',
        variables: { o: { field: 'CITATION_COUNTS', direction: 'ASC' } },
      },
      400,
      'BAD_USER_INPUT',
    );
    // Introspection is off here: no suggestion names the value meant.
    expect(variable.errors[0].message).toBe(
      'Variable "$o" got invalid value "CITATION_COUNTS" at "o.field"; Value "CITATION_COUNTS" does not exist in "WorkOrderField" enum.',
    );
  });
});

/** Every kind of text argument, each taking the variable $s. */
const TEXT_ARGUMENTS = {
  'work doi': 'query ($s: String!) { work(doi: $s) { id } }',
  'work id': 'query ($s: ID!) { work(id: $s) { id } }',
  'node id': 'query ($s: ID!) { node(id: $s) { id } }',
  'nodes ids': 'query ($s: ID!) { nodes(ids: [$s]) { id } }',
  'person id': 'query ($s: ID!) { person(id: $s) { id } }',
  'person name': 'query ($s: String!) { person(name: $s) { id } }',
  'person orcid': 'query ($s: String!) { person(orcid: $s) { id } }',
  'people search': 'query ($s: String!) { people(first: 1, search: $s) { totalCount } }',
  'project slug': 'query ($s: String!) { project(slug: $s) { id } }',
  'organization slug': 'query ($s: String!) { organization(slug: $s) { id } }',
  'involvement person id': 'query ($s: ID!) { frameworkInvolvement(personId: $s) { year } }',
  'filter venue': 'query ($s: String!) { works(first: 1, filter: { venue: $s }) { totalCount } }',
  'filter author id': 'query ($s: ID!) { works(first: 1, filter: { authorId: $s }) { totalCount } }',
  'top cited project id': 'query ($s: ID!) { topCitedWorks(filter: { projectId: $s }) { id } }',
  cursor: 'query ($s: String!) { works(first: 1, after: $s) { totalCount } }',
  'nested cursor': `query ($s: String!) { work(doi: "${TENSORFLOW}") { citedBy(first: 1, after: $s) { totalCount } } }`,
} as const;

describe('B1, B2, B4, B5, B6: text and numbers built to break a lookup', () => {
  it('answers SQL written into every text argument literally: no match or BAD_USER_INPUT, nothing dropped', async () => {
    for (const s of [`x' OR 1=1 --`, `10.1/x'); DROP TABLE work;--`, `caffe' OR '1'='1`, `"; DELETE FROM person; --`]) {
      for (const [name, query] of Object.entries(TEXT_ARGUMENTS)) {
        const response = await app.post({ query, variables: { s } });
        const shown = `${name} ${s} → ${JSON.stringify(response.body)}`;
        expect(response.status, shown).toBe(200);
        expect([undefined, 'BAD_USER_INPUT'], shown).toContain(codeOf(response.body));
        const found = JSON.stringify(response.body.data ?? null).match(/"id":"/g) ?? [];
        expect(found, shown).toEqual([]);
        expect(JSON.stringify(response.body.data ?? null), shown).not.toMatch(/"totalCount":[1-9]/);
      }
    }
  });

  it('finds a DOI, slug or venue only by its exact text, never as a LIKE pattern', async () => {
    const known = await app.post({ query: '{ works(first: 50) { nodes { venue } } }' });
    const venue = (known.body.data.works.nodes as { venue: string | null }[]).find((work) => work.venue)?.venue;
    expect(venue).toBeTruthy();
    const like = (text: string) => [`${text.slice(0, -1)}_`, `${text.slice(0, -2)}%`, '%'];
    const lookups = [
      ['work(doi: $s) { id }', TENSORFLOW],
      ['project(slug: $s) { id }', 'caffe'],
      ['organization(slug: $s) { id }', 'uc-berkeley'],
      ['works(first: 1, filter: { venue: $s }) { totalCount }', venue as string],
    ] as const;
    for (const [field, exact] of lookups) {
      const query = `query ($s: String!) { ${field} }`;
      const found = await app.post({ query, variables: { s: exact } });
      expect(JSON.stringify(found.body.data), field).toMatch(/"id":"|"totalCount":[1-9]/);
      for (const s of like(exact)) {
        const response = await app.post({ query, variables: { s } });
        expect(response.status, `${field} ${s}`).toBe(200);
        expect([undefined, 'BAD_USER_INPUT'], `${field} ${s}`).toContain(codeOf(response.body));
        expect(JSON.stringify(response.body.data), `${field} ${s}`).toMatch(/^\{"\w+":(null|\{"totalCount":0\})\}$/);
      }
    }
    // ORCIDs are looked up whole too (the demo data holds none to match).
    const orcid = await app.post({ query: '{ person(orcid: "%") { id } }' });
    expect(orcid.body).toMatchObject({ data: { person: null } });
  });

  it('exposes no generic filter: no JSON argument, no api keys, no unknown filter field', async () => {
    const problems: string[] = [];
    const check = (where: string, type: GraphQLNamedType) => {
      if (type.name === 'JSON') problems.push(`${where} takes JSON`);
    };
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (/api_?key/i.test(type.name)) problems.push(`type ${type.name}`);
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields()))
          check(`${type.name}.${field.name}`, getNamedType(field.type));
      }
      if (isObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (/hash|secret|password/i.test(field.name)) problems.push(`${type.name}.${field.name}`);
          for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, getNamedType(arg.type));
        }
      }
    }
    expect(problems).toEqual([]);
    await refused(
      { query: '{ works(first: 1, filter: { title_contains: "a" }) { totalCount } }' },
      400,
      'GRAPHQL_VALIDATION_FAILED',
    );
    const variable = await refused(
      {
        query: 'query ($f: WorkFilter) { works(first: 1, filter: $f) { totalCount } }',
        variables: { f: { venu: 'x' } },
      },
      400,
      'BAD_USER_INPUT',
    );
    expect(variable.errors[0].message).not.toMatch(/Did you mean/);
  });

  it('refuses numbers that do not fit their type, written out or in variables, before any SQL', async () => {
    for (const query of [
      '{ topCitedWorks(since: 99999999999) { id } }',
      '{ topCitedWorks(since: "2020") { id } }',
      '{ work(id: 1e309) { id } }',
      '{ works(first: 1.5) { totalCount } }',
    ]) {
      await refused({ query }, 400, 'GRAPHQL_VALIDATION_FAILED');
    }
    for (const [query, variables] of [
      ['query ($n: Int) { topCitedWorks(since: $n) { id } }', '{"n": 99999999999}'],
      ['query ($n: Int) { topCitedWorks(since: $n) { id } }', '{"n": "2020"}'],
      ['query ($i: ID) { work(id: $i) { id } }', '{"i": 1e309}'],
      ['query ($n: Int) { works(first: $n) { totalCount } }', '{"n": 1.5}'],
      ['query ($i: ID!) { work(id: $i) { id } }', '{}'],
    ] as const) {
      // Sent as written: JSON.stringify would turn 1e309 into null.
      await refused(`{"query": ${JSON.stringify(query)}, "variables": ${variables}}`, 400, 'BAD_USER_INPUT');
    }
  });

  it('answers 900 KB of text in every text argument without an error of its own', async () => {
    const s = 'a'.repeat(900_000);
    for (const [name, query] of Object.entries(TEXT_ARGUMENTS)) {
      const response = await app.post({ query, variables: { s } });
      expect(response.status, name).toBe(200);
      expect([undefined, 'BAD_USER_INPUT'], name).toContain(codeOf(response.body));
      expect(JSON.stringify(response.body.data ?? null), name).not.toMatch(/"id":"|"totalCount":[1-9]/);
    }
  });

  it('refuses the NUL character in every kind of text argument before any SQL', async () => {
    for (const [name, query] of Object.entries(TEXT_ARGUMENTS)) {
      for (const s of ['\u0000', 'caffe\u0000', `${Buffer.from('Work:1').toString('base64url')}\u0000`]) {
        const { errors } = await refused({ query, variables: { s } }, 400, 'BAD_USER_INPUT');
        expect(errors[0].message, name).toBe('Text arguments must not contain the NUL character (U+0000).');
      }
      const literal = query.replace(/^query \(\$s: \w+!\) /, '').replace('$s', '"caffe\\u0000"');
      await refused({ query: literal }, 400, 'BAD_USER_INPUT');
    }
  });

  it('refuses a lone UTF-16 surrogate in every kind of text argument before any SQL, and keeps real characters', async () => {
    for (const [name, query] of Object.entries(TEXT_ARGUMENTS)) {
      for (const s of [
        '\ud800',
        'caffe\udfff',
        `${Buffer.from('Work:1').toString('base64url')}\ud83d`,
        '\ude00\ud83d',
      ]) {
        const { errors } = await refused({ query, variables: { s } }, 400, 'BAD_USER_INPUT');
        expect(errors[0].message, name).toMatch(/lone UTF-16 surrogate/);
      }
      // GraphQL itself has no lone surrogates: written into the query, one fails parsing.
      const escaped = query.replace(/^query \(\$s: \w+!\) /, '').replace('$s', '"caffe\\ud800"');
      await refused({ query: escaped }, 400, 'GRAPHQL_PARSE_FAILED');
      const raw = query.replace(/^query \(\$s: \w+!\) /, '').replace('$s', '"caffe\ud800"');
      await refused({ query: raw }, 400, 'GRAPHQL_PARSE_FAILED');
    }
    // A surrogate pair is a character like any other; a byte order mark or a direction mark is ignored in a name.
    const pair = await app.post({ query: '{ project(slug: "caffe😀") { id } }' });
    expect(pair.status).toBe(200);
    expect(pair.body).toMatchObject({ data: { project: null } });
    expect(pair.body.errors).toBeUndefined();
    for (const name of ['\ufeffYangqing Jia', 'Yangqing\u202e Jia']) {
      const response = await app.post({
        query: 'query ($s: String!) { person(name: $s) { name } }',
        variables: { s: name },
      });
      expect(response.body.data).toEqual({ person: { name: 'Yangqing Jia' } });
    }
  });
});

describe('B7: failures of the server itself', () => {
  it('masks an unexpected error as Unexpected error. and logs its cause, which the answer never shows', async () => {
    const logged: unknown[][] = [];
    const capture = (...args: unknown[]) => logged.push(args);
    const failing = app.db.prisma.$extends({
      query: {
        work: {
          findMany: () => {
            throw new Error('replica db-7.internal refused token s3cr3t-hunter2');
          },
        },
      },
    }) as unknown as PrismaClient;
    const server = buildYoga({
      prisma: failing,
      logger: { debug: () => {}, info: () => {}, warn: capture, error: capture },
    });
    const response = await server.fetch('http://citegraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: '{ works(first: 1) { nodes { title } } projects(first: 1) { nodes { slug } } }' }),
    });
    const body = await response.json();
    // The error of a non-null root field nulls the whole answer, as the error model says.
    expect(response.status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([
      {
        message: 'Unexpected error.',
        locations: [{ line: 1, column: 3 }],
        path: ['works'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/s3cr3t|db-7|replica|findMany|prisma|\bat \w|\.ts:\d/i);
    expect(JSON.stringify(logged.flat().map((arg) => (arg instanceof Error ? arg.message : arg)))).toContain(
      's3cr3t-hunter2',
    );
    const alive = await server.fetch('http://citegraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename projects(first: 1) { nodes { slug } } }' }),
    });
    expect(alive.status).toBe(200);
    expect((await alive.json()).data.projects.nodes).toHaveLength(1);
  });
});

describe('A12, E4: transport', () => {
  // A database of its own, for the API key these tests create.
  let db: Db;
  let writeKey: string;
  beforeAll(async () => {
    db = await emptyDatabase('adversarial_transport');
    writeKey = (await createKey(db.prisma, 'adversarial', 'WRITE')).key;
  });
  afterAll(() => db?.close());

  const yoga = () =>
    buildYoga({
      prisma: db.prisma,
      logger: createLogger('silent'),
      introspection: false,
      corsOrigins: ['https://dashboard.example.org'],
    });

  it('refuses a batch of operations with 400 BAD_REQUEST before any SQL', async () => {
    const { errors } = await refused([{ query: '{ __typename }' }, INTACT], 400, 'BAD_REQUEST');
    expect(errors[0].message).toBe('Batching is not supported.');
  });

  it('refuses a mutation sent in a GET with 405, or 401 without a key, and answers a query in a GET', async () => {
    const server = yoga();
    const get = async (query: string, headers: Record<string, string> = {}) => {
      const response = await server.fetch(`http://citegraph.test/graphql?query=${encodeURIComponent(query)}`, {
        headers: { accept: 'application/graphql-response+json', ...headers },
      });
      return { status: response.status, allow: response.headers.get('allow'), body: await response.json() };
    };
    const mutation = 'mutation { upsertWork(input: { title: "Sent in a GET, so never written" }) { __typename } }';
    const anonymous = await get(mutation);
    expect(anonymous.status).toBe(401);
    expect(codeOf(anonymous.body)).toBe('UNAUTHENTICATED');
    expect(anonymous.body.data).toBeUndefined();
    const keyed = await get(mutation, { authorization: `Bearer ${writeKey}` });
    expect(keyed.status).toBe(405);
    expect(keyed.allow).toBe('POST');
    expect(keyed.body.data).toBeUndefined();
    expect(await db.prisma.work.count()).toBe(0);
    const query = await get('{ works(first: 1) { totalCount } }');
    expect(query.status).toBe(200);
    expect(query.body.data).toEqual({ works: { totalCount: 0 } });
  });

  it("answers a browser's preflight from a listed origin, and names no other origin", async () => {
    const server = yoga();
    const preflight = (origin: string) =>
      server.fetch('http://citegraph.test/graphql', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      });
    const listed = await preflight('https://dashboard.example.org');
    expect(listed.status).toBe(204);
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://dashboard.example.org');
    expect(listed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(listed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('C1, C3, C4: import files with duplicate identifiers, odd dates and undefined macros', () => {
  let db: Db;
  let dir: string;
  beforeAll(async () => {
    db = await emptyDatabase('adversarial');
    dir = await mkdtemp(join(tmpdir(), 'citegraph-adversarial-'));
  });
  afterAll(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The imported works, as the API serves them. */
  async function served(query: string) {
    const yoga = buildYoga({ prisma: db.prisma, logger: createLogger('silent') });
    const response = await yoga.fetch('http://citegraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  it('keeps one work for the spellings of one DOI and two for DOIs that differ in a letter outside ASCII', async () => {
    const item = (id: string, DOI: string, title: string) => ({
      id,
      type: 'article-journal',
      title,
      DOI,
      issued: { 'date-parts': [[2020]] },
    });
    const file = join(dir, 'dois.json');
    await writeFile(
      file,
      JSON.stringify([
        item('upper', '10.1000/ABC', 'A paper whose DOI is written in capitals'),
        item('resolver', 'https://doi.org/10.1000/abc', 'A paper whose DOI is written as a link'),
        item('prefixed', 'doi:10.1000/abc ', 'A paper whose DOI is written with a prefix'),
        item('ring-upper', '10.1000/Å', 'A paper whose DOI ends in a capital A with a ring'),
        item('ring-lower', '10.1000/å', 'A paper whose DOI ends in a small a with a ring'),
      ]),
    );
    const { code, summary } = await cli(db, ['import', 'csl', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 5, inserted: 3, skipped: 2, failed: 0 });
    const data = await served(`{
      a: work(doi: "https://doi.org/10.1000/ABC") { citationKey }
      b: work(doi: "10.1000/abc") { citationKey }
      upper: work(doi: "10.1000/Å") { citationKey }
      lower: work(doi: "10.1000/å") { citationKey }
      works(first: 10) { totalCount }
    }`);
    expect(data).toEqual({
      a: { citationKey: 'upper' },
      b: { citationKey: 'upper' },
      upper: { citationKey: 'ring-upper' },
      lower: { citationKey: 'ring-lower' },
      works: { totalCount: 3 },
    });
  });

  it('stores no year for missing, unreadable or impossible years, keeps a month, and warns at each impossible one', async () => {
    const file = join(dir, 'odd-years.bib');
    await writeFile(
      file,
      [
        '@article{none, title = {An entry without any year}, author = {Doe, Jane}}',
        '@article{nd, title = {An entry whose year is n.d.}, author = {Doe, Jane}, year = {n.d.}}',
        '@article{forthcoming, title = {An entry still forthcoming}, author = {Doe, Jane}, year = {forthcoming}}',
        '@article{month, title = {An entry dated to a month}, author = {Doe, Jane}, date = {2020-05}}',
        '@article{future, title = {An entry from the year 3025}, author = {Doe, Jane}, year = {3025}}',
        '@article{zero, title = {An entry from the year zero}, author = {Doe, Jane}, year = {0}}',
        '@comment{ junk { with braces } }',
        '',
      ].join('\n'),
    );
    const { code, summary } = await cli(db, ['import', 'bibtex', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 6, inserted: 6, failed: 0 });
    expect(summary.problems.map((problem) => [problem.kind, problem.line])).toEqual([
      ['repaired', 5],
      ['repaired', 6],
    ]);
    const data = await served(`{ works(first: 20, orderBy: { field: PUBLICATION_YEAR, direction: DESC }) {
      nodes { citationKey publicationYear publicationDate }
    } dated: works(first: 20, filter: { yearFrom: 1000 }) { totalCount } }`);
    const byKey = Object.fromEntries(
      (data.works.nodes as { citationKey: string }[]).map((work) => [work.citationKey, work]),
    );
    for (const key of ['none', 'nd', 'forthcoming', 'future', 'zero']) {
      expect(byKey[key], key).toEqual({ citationKey: key, publicationYear: null, publicationDate: null });
    }
    expect(byKey.month).toEqual({ citationKey: 'month', publicationYear: 2020, publicationDate: '2020-05-01' });
    // A year filter leaves out exactly the works without a year.
    const nodes = data.works.nodes as { publicationYear: number | null }[];
    expect(data.dated.totalCount).toBe(nodes.filter((work) => work.publicationYear !== null).length);
    expect(data.dated.totalCount).toBeLessThan(nodes.length);
  });

  it('imports an entry whose journal is an undefined macro, warning at its line', async () => {
    const file = join(dir, 'macro.bib');
    await writeFile(
      file,
      [
        '@article{defined, title = {An entry with a journal in braces}, author = {Doe, Jane}, journal = {J}, year = {2020}}',
        '@article{undefined, title = {An entry whose journal is a macro never defined}, author = {Doe, Jane},',
        '  journal = undefmacro, year = {2020}}',
        '',
      ].join('\n'),
    );
    const { code, summary } = await cli(db, ['import', 'bibtex', file, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'finished', read: 2, inserted: 2, failed: 0 });
    expect(summary.problems).toEqual([
      { kind: 'repaired', file, line: 2, reason: expect.stringContaining('Unresolved @string reference "undefmacro"') },
    ]);
    const data = await served(
      '{ works(first: 20, filter: { yearFrom: 2020, yearTo: 2020 }) { nodes { citationKey } } }',
    );
    const keys = (data.works.nodes as { citationKey: string }[]).map((work) => work.citationKey);
    expect(keys).toEqual(expect.arrayContaining(['defined', 'undefined']));
  });
});
