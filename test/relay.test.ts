import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '../src/builder.js';
import { createTestApp, type TestApp } from './kit.js';

/**
 * A Relay project on the committed SDL: relay-compiler must accept the schema and a client's
 * usual documents (a node query spreading a fragment on Work, a paginated @connection with
 * @refetchable, a fragment on the WorkListConnection interface), and the server must answer the
 * operations Relay generates from them.
 */

let app: TestApp;
let project: string;
let compiled: ReturnType<typeof spawnSync>;

const documents = `import { graphql } from 'relay-runtime';

export const workCard = graphql\`
  fragment WorkCard_work on Work {
    id
    title
    publicationYear
    publicationDate
    citationCount
    cslJson
  }
\`;

export const workCardQuery = graphql\`
  query WorkCardQuery($id: ID!) {
    node(id: $id) {
      ...WorkCard_work @alias(as: "work")
    }
  }
\`;

export const citedBy = graphql\`
  fragment WorkCard_citedBy on Work
  @argumentDefinitions(count: { type: "Int", defaultValue: 3 }, cursor: { type: "String" })
  @refetchable(queryName: "WorkCardCitedByPaginationQuery") {
    citedBy(first: $count, after: $cursor) @connection(key: "WorkCard_citedBy") {
      totalCount
      edges {
        node {
          ...WorkCard_work
        }
      }
    }
  }
\`;

export const workList = graphql\`
  fragment WorkCard_list on WorkListConnection {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { ...WorkCard_work }
  }
\`;

export const worksQuery = graphql\`
  query WorkCardWorksQuery($first: Int!) {
    works(first: $first) { ...WorkCard_list }
    person(name: "Yangqing Jia") { works(first: $first) { ...WorkCard_list } }
  }
\`;
`;

/** The operation text Relay compiled into a generated artifact. */
async function operationText(name: string): Promise<string> {
  const artifact = await readFile(join(project, 'src', '__generated__', `${name}.graphql.ts`), 'utf8');
  const text = /"text": ("(?:[^"\\]|\\.)*")/.exec(artifact)?.[1];
  if (!text) throw new Error(`${name} has no operation text`);
  return JSON.parse(text) as string;
}

beforeAll(async () => {
  app = await createTestApp();
  project = await mkdtemp(join(tmpdir(), 'citegraph-relay-'));
  await mkdir(join(project, 'src'));
  await copyFile(new URL('../schema/schema.graphql', import.meta.url), join(project, 'schema.graphql'));
  await writeFile(join(project, 'src', 'WorkCard.ts'), documents);
  await writeFile(
    join(project, 'relay.config.json'),
    JSON.stringify({
      src: './src',
      schema: './schema.graphql',
      language: 'typescript',
      eagerEsModules: true,
      customScalarTypes: { Date: 'string', DateTime: 'string', JSON: 'unknown' },
    }),
  );
  const compiler = createRequire(import.meta.url).resolve('relay-compiler/cli.js');
  compiled = spawnSync(process.execPath, [compiler], { cwd: project, encoding: 'utf8' });
});

afterAll(async () => {
  await app?.close();
  if (project) await rm(project, { recursive: true, force: true });
});

describe('a Relay client', () => {
  it('compiles against the committed schema', () => {
    expect(compiled.error).toBeUndefined();
    expect(`${compiled.stdout}${compiled.stderr}`).toContain('Compilation completed');
    expect(compiled.status).toBe(0);
  });

  it('types custom scalars as the config maps them', async () => {
    const fragment = await readFile(join(project, 'src', '__generated__', 'WorkCard_work.graphql.ts'), 'utf8');
    expect(fragment).toMatch(/readonly publicationDate: string \| null \| undefined;/);
    expect(fragment).toMatch(/readonly cslJson: unknown;/);
  });

  it('gets answers from citegraph to the operations it generates', async () => {
    const works = await app.post({ query: await operationText('WorkCardWorksQuery'), variables: { first: 2 } });
    expect(works.body.errors).toBeUndefined();
    expect(works.body.data.works.nodes).toHaveLength(2);
    expect(works.body.data.person.works.totalCount).toBeGreaterThan(2);
    const [first] = works.body.data.works.nodes;
    expect(first.publicationDate ?? '2000-01-01').toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const node = await app.post({ query: await operationText('WorkCardQuery'), variables: { id: first.id } });
    expect(node.body.errors).toBeUndefined();
    expect(node.body.data.node).toMatchObject({ __typename: 'Work', id: first.id, title: first.title });

    // The pagination query refetches a work through Query.node and reads the page after a cursor.
    const [cited] = await app.db.prisma.$queryRawUnsafe<{ id: number }[]>(
      'SELECT cited_id AS id FROM citation GROUP BY cited_id ORDER BY count(*) DESC, cited_id LIMIT 1',
    );
    const id = encodeGlobalID('Work', Number(cited?.id));
    const paginate = await operationText('WorkCardCitedByPaginationQuery');
    const page1 = await app.post({ query: paginate, variables: { id, count: 2 } });
    expect(page1.body.errors).toBeUndefined();
    const citedBy = page1.body.data.node.citedBy;
    expect(citedBy.edges).toHaveLength(2);
    expect(citedBy.pageInfo.hasNextPage).toBe(true);
    const page2 = await app.post({
      query: paginate,
      variables: { id, count: 2, cursor: citedBy.pageInfo.endCursor },
    });
    expect(page2.body.errors).toBeUndefined();
    const ids = [...citedBy.edges, ...page2.body.data.node.citedBy.edges].map(
      (edge: { node: { id: string } }) => edge.node.id,
    );
    expect(new Set(ids).size).toBe(4);
  });
});
