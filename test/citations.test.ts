import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CitationDirection, citationPageIds } from '../src/services/citations.js';
import { createTestApp, type TestApp } from './kit.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

/** Works with the most citing (or cited) works in the demo data, and each one's full ranked list from plain SQL. */
async function ranked(direction: CitationDirection, parents: number) {
  const [listed, parent] = direction === 'citedBy' ? ['citing_id', 'cited_id'] : ['cited_id', 'citing_id'];
  const top = await app.db.prisma.$queryRawUnsafe<{ id: number }[]>(
    `SELECT ${parent} AS id FROM citation GROUP BY ${parent} ORDER BY count(*) DESC, ${parent} LIMIT ${parents}`,
  );
  const ids = top.map((row) => Number(row.id));
  const lists = await Promise.all(
    ids.map(async (id) =>
      (
        await app.db.prisma.$queryRawUnsafe<{ id: number }[]>(
          `SELECT w.id FROM citation c JOIN work w ON w.id = c.${listed} WHERE c.${parent} = $1
           ORDER BY w.citation_count DESC, w.id DESC`,
          id,
        )
      ).map((row) => Number(row.id)),
    ),
  );
  return { ids, lists };
}

/** Every page of `size` for each parent, following the cursor forward from the top, then backward from the bottom. */
async function pages(direction: CitationDirection, parentIds: number[], size: number, walkFrom: number) {
  const prisma = app.db.prisma;
  const forward = parentIds.map(() => [] as number[]);
  const backward = parentIds.map(() => [] as number[]);
  for (const [index, parentId] of parentIds.entries()) {
    let cursorId: number | null = null;
    for (;;) {
      const [page = []] = await citationPageIds(prisma, direction, [parentId], { take: size, cursorId }, walkFrom);
      forward[index]?.push(...page);
      if (page.length < size) break;
      cursorId = page.at(-1) ?? null;
    }
    cursorId = null;
    for (;;) {
      const [page = []] = await citationPageIds(prisma, direction, [parentId], { take: -size, cursorId }, walkFrom);
      backward[index]?.unshift(...page);
      if (page.length < size) break;
      cursorId = page[0] ?? null;
    }
  }
  return { forward, backward };
}

describe('pages of the citation graph', () => {
  it("rank a work's citing works like the works list, page after page, forward and backward, by either plan", async () => {
    const { ids, lists } = await ranked('citedBy', 3);
    expect(lists[0]?.length).toBeGreaterThan(10);
    for (const walkFrom of [1, 1_000_000]) {
      const { forward, backward } = await pages('citedBy', ids, 4, walkFrom);
      expect(forward).toEqual(lists);
      expect(backward).toEqual(lists);
    }
  });

  it("rank a work's references the same way", async () => {
    const { ids, lists } = await ranked('references', 3);
    expect(lists[0]?.length).toBeGreaterThan(10);
    const { forward, backward } = await pages('references', ids, 5, 1);
    expect(forward).toEqual(lists);
    expect(backward).toEqual(lists);
  });

  it('answer the pages of several works in one statement, each work its own page', async () => {
    const { ids, lists } = await ranked('citedBy', 4);
    for (const walkFrom of [1, 1_000_000]) {
      const together = await citationPageIds(app.db.prisma, 'citedBy', ids, { take: 3, cursorId: null }, walkFrom);
      expect(together).toEqual(lists.map((list) => list.slice(0, 3)));
    }
  });

  it('page through citedBy in the API with cursors, as one large page would list them', async () => {
    const { ids, lists } = await ranked('citedBy', 1);
    const id = Buffer.from(`Work:${ids[0]}`).toString('base64url');
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await app.post({
        query:
          'query ($id: ID!, $after: String) { node(id: $id) { ... on Work { citedBy(first: 5, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } } }',
        variables: { id, after },
      });
      const connection = body.data.node.citedBy;
      seen.push(...connection.nodes.map((node: { id: string }) => node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual((lists[0] ?? []).map((work) => Buffer.from(`Work:${work}`).toString('base64url')));
  });
});
