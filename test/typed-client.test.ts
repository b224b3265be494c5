import { spawnSync } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '../src/builder.js';
import type { WorkListPageFragment } from './gql/graphql.js';
import { graphql } from './gql/index.js';
import { createTestApp, type TestApp } from './kit.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

graphql(`
  fragment WorkListPage on WorkListConnection {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id title } }
    nodes { id citationCount }
  }
`);

const EveryWorkList = graphql(`
  query EveryWorkList($id: ID!) {
    works(first: 3) { ...WorkListPage }
    work(id: $id) {
      citedBy(first: 3) { ...WorkListPage }
      references(first: 3) { ...WorkListPage }
      coCitedWith(first: 3) { ...WorkListPage }
      bibliographicCoupling(first: 3) { ...WorkListPage }
      neighborhood(first: 3) { ...WorkListPage }
      authors { works(first: 3) { ...WorkListPage } }
    }
  }
`);

const MostCited = graphql(`
  query MostCited {
    topCitedWorks(first: 1) { id }
  }
`);

/** The same selections written out on each connection type, as a client without the interface writes them. */
const page =
  'totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id title } } nodes { id citationCount }';
const everyWorkListSpelledOut = `query ($id: ID!) {
  works(first: 3) { ${page} }
  work(id: $id) {
    citedBy(first: 3) { ${page} }
    references(first: 3) { ${page} }
    coCitedWith(first: 3) { ${page} }
    bibliographicCoupling(first: 3) { ${page} }
    neighborhood(first: 3) { ${page} }
    authors { works(first: 3) { ${page} } }
  }
}`;

/** Reads any page of works through the one fragment type. */
function summary(list: WorkListPageFragment) {
  return {
    count: list.totalCount,
    more: list.pageInfo.hasNextPage,
    ids: list.edges.map((edge) => edge.node.id),
    same: list.nodes.every((node, index) => node.id === list.edges[index]?.node.id),
  };
}

describe('one fragment on WorkListConnection', () => {
  it('reads every connection of works, as the same selections on each type read them, for the same SQL and cost', async () => {
    const [mostCited] = (await app.execute(MostCited)).topCitedWorks;
    const variables = { id: mostCited?.id ?? '' };
    const data = await app.execute(EveryWorkList, variables);
    const operations = [...app.operations].sort();
    const statements = app.statements();
    const top = data.work;
    if (!top) throw new Error('the most cited work is found by its id');
    const lists = [
      data.works,
      top.citedBy,
      top.references,
      top.coCitedWith,
      top.bibliographicCoupling,
      top.neighborhood,
      ...top.authors.map((author) => author.works),
    ];
    const summaries = lists.map(summary);
    expect(summaries.length).toBeGreaterThan(6);
    for (const list of summaries) {
      expect(list.same).toBe(true);
      expect(list.ids.length).toBe(Math.min(3, list.count));
    }
    expect(summaries.filter((list) => list.count > 0).length).toBeGreaterThan(5);

    app.operations.length = 0;
    const spelledOut = await app.post({ query: everyWorkListSpelledOut, variables });
    expect(spelledOut.body.errors).toBeUndefined();
    expect(spelledOut.body.data).toEqual(data);
    expect([...app.operations].sort()).toEqual(operations);
    expect(app.statements()).toBe(statements);
    const viaFragment = await app.post({ query: print(EveryWorkList), variables });
    expect(viaFragment.body.extensions.cost).toEqual(spelledOut.body.extensions.cost);
  });

  it('charges the bibliography exports read through the fragment as on the connection itself', async () => {
    const through = await app.post({
      query: '{ works(first: 5) { ... on WorkListConnection { bibtex ris } } }',
    });
    const direct = await app.post({ query: '{ works(first: 5) { bibtex ris } }' });
    expect(through.body.errors).toBeUndefined();
    expect(through.body.data).toEqual(direct.body.data);
    expect(through.body.data.works.bibtex).toContain('@');
    expect(through.body.extensions.cost).toEqual(direct.body.extensions.cost);
  });
});

/**
 * examples/typed-client, as a frontend team copies it: its codegen config generates a client from
 * the committed SDL, strict NodeNext tsc accepts it, and its functions read citegraph through fetch.
 * It runs in a copy (beside a copy of the SDL, where its config looks for it, and a link to the
 * repository's node_modules), so test runs never share its generated files.
 */
const example = fileURLToPath(new URL('../examples/typed-client/', import.meta.url));
const require = createRequire(import.meta.url);
const codegenBin = join(dirname(require.resolve('@graphql-codegen/cli/package.json')), 'esm', 'bin.js');
const tscBin = require.resolve('typescript/bin/tsc');

/** What the test reads of the example's modules (imported by path, so the repository's tsc does not compile them). */
interface WorkPage {
  total: number;
  works: { id: string; title: string; type: string | null; published: string | null; citations: number | null }[];
  next: string | null;
}
interface ExampleWorks {
  mostCitedWorks(client: object, first: number, options?: { after?: string; yearFrom?: number }): Promise<WorkPage>;
  citingWorks(
    client: object,
    id: string,
    first: number,
  ): Promise<{ title: string | null; csl: unknown; citedBy: WorkPage } | null>;
}
interface ExampleRateLimit {
  rateLimit(client: object): Promise<{ remaining: number; resetAt: Date } | null>;
}

describe('the typed-client example', () => {
  let workspace: string;
  let copy: string;
  /** Runs a Node script in the example's folder, as `npx` there would. */
  const inExample = (script: string, args: string[]) => {
    const run = spawnSync(process.execPath, [script, ...args], { cwd: copy, encoding: 'utf8' });
    return { status: run.status, output: `${run.error ?? ''}${run.stdout}${run.stderr}` };
  };
  let generated: ReturnType<typeof inExample>;
  let typechecked: ReturnType<typeof inExample>;

  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'citegraph-typed-client-'));
    copy = join(workspace, 'examples', 'typed-client');
    await cp(example, copy, {
      recursive: true,
      filter: (source) => !relative(example, source).startsWith(join('src', 'generated')),
    });
    await mkdir(join(workspace, 'schema'));
    await copyFile(new URL('../schema/schema.graphql', import.meta.url), join(workspace, 'schema', 'schema.graphql'));
    await symlink(fileURLToPath(new URL('../node_modules', import.meta.url)), join(workspace, 'node_modules'), 'dir');
    generated = inExample(codegenBin, ['--config', 'codegen.ts']);
    typechecked = generated.status === 0 ? inExample(tscBin, ['--noEmit', '-p', '.']) : generated;
  });

  afterAll(async () => {
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  it('generates its client from the committed SDL, every custom scalar typed as its wire format', async () => {
    expect(generated.status, generated.output).toBe(0);
    const types = await readFile(join(copy, 'src/generated/graphql.ts'), 'utf8');
    expect(types).toContain('publicationDate: string | null');
    expect(types).toMatch(/resetAt: string\b/);
    expect(types).toContain('cslJson: JsonValue');
    expect(types).toContain("import type { JsonValue } from '../scalars.js';");
    expect(types).not.toMatch(/\b\w+\??: (unknown|any)\b/);
    // NodeNext resolves relative imports by their full file name.
    expect(await readFile(join(copy, 'src/generated/index.ts'), 'utf8')).toContain('export * from "./gql.js";');
  });

  it('typechecks with strict NodeNext settings', () => {
    expect(typechecked.status, typechecked.output).toBe(0);
  });

  it('reads pages of works, a work with who cites it, and the rate limit, through fetch', async () => {
    expect(generated.status, generated.output).toBe(0);
    const { mostCitedWorks, citingWorks } = (await import(join(copy, 'src/works.ts'))) as ExampleWorks;
    const { rateLimit } = (await import(join(copy, 'src/rate-limit.ts'))) as ExampleRateLimit;
    // The app answers in process: a fetch that hands the request body to it.
    const viaApp = (async (_url: string, init: RequestInit) => {
      const response = await app.post(JSON.parse(String(init.body)), init.headers as Record<string, string>);
      return new Response(JSON.stringify(response.body), {
        status: response.status,
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof fetch;
    const client = { endpoint: 'http://citegraph.test/graphql', fetch: viaApp };

    const first = await mostCitedWorks(client, 3);
    expect(first.works).toHaveLength(3);
    expect(first.total).toBeGreaterThan(3);
    const citations = first.works.map((work) => work.citations ?? 0);
    expect(citations).toEqual([...citations].sort((a, b) => b - a));
    for (const work of first.works) if (work.published) expect(work.published).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const second = await mostCitedWorks(client, 3, { after: first.next ?? '' });
    expect(second.works.map((work) => work.id)).not.toContain(first.works[0]?.id);

    const [cited] = await app.db.prisma.$queryRawUnsafe<{ id: number }[]>(
      'SELECT cited_id AS id FROM citation GROUP BY cited_id ORDER BY count(*) DESC, cited_id LIMIT 1',
    );
    const work = await citingWorks(client, encodeGlobalID('Work', Number(cited?.id)), 2);
    expect(work?.citedBy.works).toHaveLength(2);
    expect(work?.csl).toMatchObject({ type: expect.any(String) });

    // The test app runs without rate limits.
    expect(await rateLimit(client)).toBeNull();
  });
});
