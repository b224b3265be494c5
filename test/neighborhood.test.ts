import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCAN_BOUND } from '../src/services/neighborhood.js';
import { graphql } from './gql/index.js';
import { cli, fixture } from './ingest-kit.js';
import { createTestApp, type TestApp } from './kit.js';

/**
 * A work's citation neighbourhood on the demo data with the real OpenAlex fixture imported: the
 * counts against a recomputation from the fixture's `referenced_works`, and against plain
 * recounts of the citation table (including the bounded subset a large neighbourhood is counted
 * over), paging, the SQL a request costs and what it is charged.
 */

let app: TestApp;
/** Every citation edge, as the database holds it. */
let edges: { citing: number; cited: number }[];
/** citationCount by work id. */
let citationCounts: Map<number, number>;

beforeAll(async () => {
  app = await createTestApp({ ownDatabase: 'neighborhood' });
  const { code } = await cli(app.db, ['import', 'openalex', fixture('openalex/works.jsonl'), '--json']);
  expect(code).toBe(0);
  edges = (await app.db.prisma.citation.findMany({ select: { citingId: true, citedId: true } })).map((edge) => ({
    citing: edge.citingId,
    cited: edge.citedId,
  }));
  const works = await app.db.prisma.work.findMany({ select: { id: true, citationCount: true } });
  citationCounts = new Map(works.map((work) => [work.id, work.citationCount]));
});
afterAll(() => app?.close());

const workGid = (id: number) => Buffer.from(`Work:${id}`).toString('base64url');
const dbId = (gid: string) => Number(Buffer.from(gid, 'base64url').toString().split(':')[1]);

const CoCited = graphql(`
  query CoCited($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    node(id: $id) {
      ... on Work {
        coCitedWith(first: $first, after: $after, last: $last, before: $before) {
          totalCount
          exact
          scannedWorks
          edges { count cursor node { id openalexId citationCount } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        }
      }
    }
  }
`);

const Coupled = graphql(`
  query Coupled($id: ID!, $first: Int, $after: String) {
    node(id: $id) {
      ... on Work {
        bibliographicCoupling(first: $first, after: $after) {
          totalCount
          exact
          scannedWorks
          edges { count node { id openalexId citationCount } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`);

const Neighbors = graphql(`
  query Neighbors($id: ID!, $depth: Int, $first: Int, $after: String) {
    node(id: $id) {
      ... on Work {
        neighborhood(depth: $depth, first: $first, after: $after) {
          totalCount
          exact
          scannedWorks
          edges { distance count node { id citationCount } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`);

type Kind = 'coCitedWith' | 'bibliographicCoupling' | 'neighborhood';
interface Listed {
  id: number;
  count: number;
  distance: number;
  openalexId?: string | null;
}
interface Whole {
  totalCount: number;
  exact: boolean;
  scannedWorks: number;
  list: Listed[];
}

/** A connection's whole list, page after page of `size`, following endCursor. */
async function everyPage(kind: Kind, id: number, size: number, depth = 1): Promise<Whole> {
  const list: Listed[] = [];
  let after: string | null = null;
  for (;;) {
    const variables = { id: workGid(id), first: size, after };
    // biome-ignore lint/suspicious/noExplicitAny: the three documents share the connection's shape.
    let connection: any;
    if (kind === 'coCitedWith') connection = (await app.execute(CoCited, variables)).node;
    else if (kind === 'bibliographicCoupling') connection = (await app.execute(Coupled, variables)).node;
    else connection = (await app.execute(Neighbors, { ...variables, depth })).node;
    connection = connection?.[kind];
    for (const edge of connection.edges)
      list.push({
        id: dbId(edge.node.id),
        count: edge.count,
        distance: edge.distance ?? 1,
        openalexId: edge.node.openalexId,
      });
    if (!connection.pageInfo.hasNextPage) {
      return {
        totalCount: connection.totalCount,
        exact: connection.exact,
        scannedWorks: connection.scannedWorks,
        list,
      };
    }
    after = connection.pageInfo.endCursor;
  }
}

/** The documented order: distance up, then count, citationCount and id down. */
function inOrder(list: Listed[]): Listed[] {
  const key = (item: Listed) => [-item.distance, item.count, citationCounts.get(item.id) ?? 0, item.id];
  return [...list].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let index = 0; index < x.length; index++) if (x[index] !== y[index]) return (y[index] ?? 0) - (x[index] ?? 0);
    return 0;
  });
}

const asCounts = (list: Listed[]) => Object.fromEntries(list.map((item) => [item.id, item.count]));

/** Works ranked as the scan reads them: most cited first, then highest id; for coupling, the other way round. */
const ranked = (ids: Iterable<number>, leastCitedFirst = false) => {
  const order = [...ids].sort((a, b) => (citationCounts.get(b) ?? 0) - (citationCounts.get(a) ?? 0) || b - a);
  return leastCitedFirst ? order.reverse() : order;
};

/**
 * The bounded count, written from the descriptions: the works one hop away, most cited first,
 * whole works while their links total at most SCAN_BOUND; each link read counts once for the
 * work at its other end.
 */
function boundedCount(
  hop: number[],
  linksOf: (via: number) => number[],
  skip: (other: number) => boolean,
  leastCitedFirst = false,
) {
  const counts = new Map<number, number>();
  let read = 0;
  let scanned = 0;
  for (const via of ranked(hop, leastCitedFirst)) {
    const links = linksOf(via);
    if (read + links.length > SCAN_BOUND) return { counts, scanned, exact: false };
    read += links.length;
    scanned += 1;
    for (const other of links) if (!skip(other)) counts.set(other, (counts.get(other) ?? 0) + 1);
  }
  return { counts, scanned, exact: true };
}

const citersOf = (id: number) => edges.filter((edge) => edge.cited === id).map((edge) => edge.citing);
const referencesOf = (id: number) => edges.filter((edge) => edge.citing === id).map((edge) => edge.cited);
const linksOf = (id: number) => [...referencesOf(id), ...citersOf(id)];

describe('co-citation and bibliographic coupling', () => {
  /** OpenAlex ids of the fixture's works, with their referenced works. */
  let references: Map<string, Set<string>>;
  /** Database id by OpenAlex id, and back. */
  let byOpenalex: Map<string, number>;
  /** Works an edge the fixture does not hold (or a fixture edge the database lacks) touches. */
  let touched: Set<string>;

  beforeAll(async () => {
    const short = (url: string) => url.replace('https://openalex.org/', '');
    const lines = (await readFile(fixture('openalex/works.jsonl'), 'utf8')).split('\n').filter(Boolean);
    references = new Map();
    for (const line of lines) {
      const work = JSON.parse(line) as { id: string; referenced_works?: string[] };
      references.set(short(work.id), new Set((work.referenced_works ?? []).map(short)));
    }
    const works = await app.db.prisma.work.findMany({
      where: { openalexId: { not: null } },
      select: { id: true, openalexId: true },
    });
    byOpenalex = new Map(works.map((work) => [work.openalexId as string, work.id]));
    const openalexOf = new Map(works.map((work) => [work.id, work.openalexId as string]));
    const stored = new Set(edges.map((edge) => `${openalexOf.get(edge.citing)}>${openalexOf.get(edge.cited)}`));
    const given = new Set([...references].flatMap(([citing, cited]) => [...cited].map((id) => `${citing}>${id}`)));
    touched = new Set(
      [...[...stored].filter((edge) => !given.has(edge)), ...[...given].filter((edge) => !stored.has(edge))].flatMap(
        (edge) => edge.split('>'),
      ),
    );
  });

  /** The fixture's citing works of an OpenAlex id. */
  const fixtureCiters = (cited: string) => [...references].filter(([, refs]) => refs.has(cited)).map(([id]) => id);

  it("counts co-cited works as the fixture's referenced_works do, over every page", async () => {
    // Works the fixture cites three times or more whose neighbourhood only the fixture's edges make.
    const cited = new Map<string, number>();
    for (const refs of references.values()) for (const id of refs) cited.set(id, (cited.get(id) ?? 0) + 1);
    const targets = [...cited]
      .filter(([id, n]) => n >= 3 && !touched.has(id) && fixtureCiters(id).every((citer) => !touched.has(citer)))
      .map(([id]) => id)
      .sort()
      .slice(0, 6);
    expect(targets.length).toBeGreaterThanOrEqual(4);
    let compared = 0;
    for (const target of targets) {
      const expected = new Map<string, number>();
      for (const citer of fixtureCiters(target))
        for (const other of references.get(citer) ?? [])
          if (other !== target) expected.set(other, (expected.get(other) ?? 0) + 1);
      const whole = await everyPage('coCitedWith', byOpenalex.get(target) as number, 37);
      if (!whole.exact) continue;
      compared += 1;
      expect(whole.scannedWorks).toBe(fixtureCiters(target).length);
      expect(Object.fromEntries(whole.list.map((item) => [item.openalexId, item.count]))).toEqual(
        Object.fromEntries(expected),
      );
      expect(whole.totalCount).toBe(expected.size);
      expect(whole.list).toEqual(inOrder(whole.list));
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  });

  it("counts coupled works as the fixture's referenced_works do", async () => {
    const targets = [...references]
      .filter(([id, refs]) => refs.size > 0 && !touched.has(id) && [...refs].every((ref) => !touched.has(ref)))
      .map(([id]) => id)
      .sort()
      .slice(0, 8);
    expect(targets.length).toBeGreaterThanOrEqual(4);
    let compared = 0;
    for (const target of targets) {
      const mine = references.get(target) ?? new Set();
      const expected = new Map<string, number>();
      for (const [other, refs] of references) {
        if (other === target) continue;
        const shared = [...refs].filter((ref) => mine.has(ref)).length;
        if (shared > 0) expected.set(other, shared);
      }
      const whole = await everyPage('bibliographicCoupling', byOpenalex.get(target) as number, 50);
      if (!whole.exact) continue;
      compared += 1;
      expect(Object.fromEntries(whole.list.map((item) => [item.openalexId, item.count]))).toEqual(
        Object.fromEntries(expected),
      );
      expect(whole.totalCount).toBe(expected.size);
      expect(whole.list).toEqual(inOrder(whole.list));
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  });

  it('agree with a self-join of the citation table where the scan is exact', async () => {
    const pairs = (kind: 'co' | 'coupling', id: number) =>
      app.db.prisma.$queryRawUnsafe<{ other: number; n: number }[]>(
        kind === 'co'
          ? `SELECT b.cited_id AS other, count(*)::int AS n FROM citation a JOIN citation b USING (citing_id)
             WHERE a.cited_id = $1 AND b.cited_id <> $1 GROUP BY b.cited_id`
          : `SELECT b.citing_id AS other, count(*)::int AS n FROM citation a JOIN citation b USING (cited_id)
             WHERE a.citing_id = $1 AND b.citing_id <> $1 GROUP BY b.citing_id`,
        id,
      );
    const busiest = await app.db.prisma.$queryRawUnsafe<{ id: number }[]>(
      'SELECT cited_id AS id FROM citation GROUP BY cited_id ORDER BY count(*) DESC, cited_id LIMIT 12',
    );
    let exact = 0;
    for (const { id } of busiest) {
      const co = await everyPage('coCitedWith', Number(id), 100);
      if (!co.exact) continue;
      exact += 1;
      const expected = await pairs('co', Number(id));
      expect(asCounts(co.list)).toEqual(Object.fromEntries(expected.map((row) => [row.other, row.n])));
    }
    expect(exact).toBeGreaterThanOrEqual(5);
    const citing = await app.db.prisma.$queryRawUnsafe<{ id: number }[]>(
      'SELECT citing_id AS id FROM citation GROUP BY citing_id ORDER BY count(*) DESC, citing_id LIMIT 8',
    );
    for (const { id } of citing) {
      const coupled = await everyPage('bibliographicCoupling', Number(id), 100);
      if (!coupled.exact) continue;
      const expected = await pairs('coupling', Number(id));
      expect(asCounts(coupled.list)).toEqual(Object.fromEntries(expected.map((row) => [row.other, row.n])));
    }
  });

  it('count a neighbourhood past the scan bound over the most cited whole works that fit, and say so', async () => {
    // The work whose citing works have the most references between them: past the bound.
    const [largest] = await app.db.prisma.$queryRawUnsafe<{ id: number; rows: number }[]>(
      `SELECT a.cited_id AS id, count(*)::int AS rows FROM citation a JOIN citation b USING (citing_id)
       GROUP BY a.cited_id ORDER BY count(*) DESC LIMIT 1`,
    );
    expect(largest?.rows).toBeGreaterThan(SCAN_BOUND);
    const id = Number(largest?.id);
    const expected = boundedCount(citersOf(id), referencesOf, (other) => other === id);
    const co = await everyPage('coCitedWith', id, 100);
    expect(co.exact).toBe(false);
    expect(co.scannedWorks).toBe(expected.scanned);
    expect(co.scannedWorks).toBeLessThan(citersOf(id).length);
    expect(asCounts(co.list)).toEqual(Object.fromEntries(expected.counts));
    expect(co.totalCount).toBe(expected.counts.size);
    expect(co.list).toEqual(inOrder(co.list));

    // Coupling of the work citing most: its references' citing works, the same way.
    const [citing] = await app.db.prisma.$queryRawUnsafe<{ id: number }[]>(
      'SELECT citing_id AS id FROM citation GROUP BY citing_id ORDER BY count(*) DESC, citing_id LIMIT 1',
    );
    const source = Number(citing?.id);
    const coupling = boundedCount(referencesOf(source), citersOf, (other) => other === source, true);
    const coupled = await everyPage('bibliographicCoupling', source, 100);
    expect(coupled.exact).toBe(coupling.exact);
    expect(coupled.scannedWorks).toBe(coupling.scanned);
    expect(asCounts(coupled.list)).toEqual(Object.fromEntries(coupling.counts));
  });
});

describe('the neighbourhood', () => {
  /** Distance-1 works with their links to the work, then distance-2 works over the bounded scan. */
  function expectedNeighborhood(id: number, depth: number) {
    const near = new Map<number, number>();
    for (const other of linksOf(id)) if (other !== id) near.set(other, (near.get(other) ?? 0) + 1);
    const list: Listed[] = [...near].map(([other, count]) => ({ id: other, count, distance: 1 }));
    if (depth === 1) return { list, scanned: 0, exact: true };
    const far = boundedCount([...near.keys()], linksOf, (other) => other === id || near.has(other));
    for (const [other, count] of far.counts) list.push({ id: other, count, distance: 2 });
    return { list, scanned: far.scanned, exact: far.exact };
  }

  const key = (list: Listed[]) => list.map((item) => `${item.distance}:${item.id}:${item.count}`).sort();

  it('lists the works one and two links away, with the links joining each to the nearer ring', async () => {
    // Works with both references and citing works, a few of them small enough for an exact depth 2.
    const candidates = await app.db.prisma.$queryRawUnsafe<{ id: number }[]>(
      `SELECT cited_id AS id FROM citation WHERE cited_id IN (SELECT citing_id FROM citation)
       GROUP BY cited_id ORDER BY count(*) DESC, cited_id LIMIT 6`,
    );
    // And the work whose distance-1 works have the most links between them: past the scan bound.
    const [widest] = await app.db.prisma.$queryRawUnsafe<{ id: number; rows: number }[]>(
      `WITH link AS (SELECT citing_id AS a, cited_id AS b FROM citation UNION SELECT cited_id, citing_id FROM citation),
            end_of AS (SELECT citing_id AS id FROM citation UNION ALL SELECT cited_id FROM citation),
            degree AS (SELECT id, count(*) AS links FROM end_of GROUP BY id)
       SELECT link.a AS id, sum(degree.links)::int AS rows FROM link JOIN degree ON degree.id = link.b
       WHERE link.a <> link.b GROUP BY link.a ORDER BY rows DESC, link.a LIMIT 1`,
    );
    expect(widest?.rows).toBeGreaterThan(SCAN_BOUND);
    candidates.push({ id: Number(widest?.id) });
    const seen = { exact: 0, bounded: 0 };
    for (const { id } of candidates) {
      for (const depth of [1, 2]) {
        const expected = expectedNeighborhood(Number(id), depth);
        const whole = await everyPage('neighborhood', Number(id), 100, depth);
        expect(key(whole.list)).toEqual(key(expected.list));
        expect(whole.list).toEqual(inOrder(whole.list));
        expect(whole.totalCount).toBe(expected.list.length);
        expect(whole.exact).toBe(expected.exact);
        expect(whole.scannedWorks).toBe(expected.scanned);
        if (depth === 2) seen[expected.exact ? 'exact' : 'bounded'] += 1;
      }
    }
    expect(seen.exact).toBeGreaterThanOrEqual(3);
    expect(seen.bounded).toBeGreaterThanOrEqual(1);
  });

  it('counts 2 for a work that both cites this one and is cited by it', async () => {
    const [mutual] = await app.db.prisma.$queryRawUnsafe<{ a: number; b: number }[]>(
      `SELECT x.citing_id AS a, x.cited_id AS b FROM citation x
       JOIN citation y ON y.citing_id = x.cited_id AND y.cited_id = x.citing_id WHERE x.citing_id <> x.cited_id LIMIT 1`,
    );
    expect(mutual).toBeDefined();
    const whole = await everyPage('neighborhood', Number(mutual?.a), 100);
    expect(whole.list.find((item) => item.id === Number(mutual?.b))?.count).toBe(2);
  });

  it('refuses a depth other than 1 or 2', async () => {
    const { body } = await app.post({
      query: 'query ($id: ID!) { node(id: $id) { ... on Work { neighborhood(depth: 3) { totalCount } } } }',
      variables: { id: workGid(1) },
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toMatch(/depth must be 1 or 2/);
  });
});

describe('paging', () => {
  it('pages backward from the end to the same list, and forward after any cursor', async () => {
    // A work cited together with 30 to 100 others: one page of 100 holds them all.
    const [top] = await app.db.prisma.$queryRawUnsafe<{ id: number }[]>(
      `SELECT a.cited_id AS id FROM citation a JOIN citation b USING (citing_id) WHERE b.cited_id <> a.cited_id
       GROUP BY a.cited_id HAVING count(DISTINCT b.cited_id) BETWEEN 30 AND 100 AND count(*) <= ${SCAN_BOUND}
       ORDER BY count(*) DESC, a.cited_id LIMIT 1`,
    );
    const id = workGid(Number(top?.id));
    const page = async (variables: {
      first?: number;
      last?: number;
      after?: string | null;
      before?: string | null;
    }) => {
      const node = (await app.execute(CoCited, { id, ...variables })).node;
      if (!node || !('coCitedWith' in node)) throw new Error('not a work');
      return node.coCitedWith;
    };
    const all = await page({ first: 100 });
    const full = all.edges.map((edge) => edge.node.id);
    expect(full.length).toBeGreaterThan(20);
    expect(all.pageInfo.hasNextPage).toBe(false);
    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const last = await page({ last: 9, before });
      backward.unshift(...last.edges.map((edge) => edge.node.id));
      if (!last.pageInfo.hasPreviousPage) break;
      before = last.pageInfo.startCursor ?? null;
    }
    expect(backward).toEqual(full);
    const after = await page({ first: 5, after: all.edges[10]?.cursor });
    expect(after.edges.map((edge) => edge.node.id)).toEqual(full.slice(11, 16));
    expect(after.pageInfo.hasPreviousPage).toBe(true);
  });

  it("refuses a cursor of another connection's shape before running anything", async () => {
    const citedBy = await app.post({
      query: 'query ($id: ID!) { node(id: $id) { ... on Work { citedBy(first: 1) { pageInfo { endCursor } } } } }',
      variables: { id: workGid(53) },
    });
    const foreign = citedBy.body.data.node.citedBy.pageInfo.endCursor;
    const coCited = await app.post({
      query: 'query ($id: ID!) { node(id: $id) { ... on Work { coCitedWith(first: 1) { pageInfo { endCursor } } } } }',
      variables: { id: workGid(53) },
    });
    const threeParts = coCited.body.data.node.coCitedWith.pageInfo.endCursor;
    for (const [field, after] of [
      ['coCitedWith', foreign],
      ['neighborhood', threeParts],
    ]) {
      const { body } = await app.post({
        query: `query ($id: ID!, $after: String) { node(id: $id) { ... on Work { ${field}(first: 2, after: $after) { totalCount } } } }`,
        variables: { id: workGid(53), after },
      });
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(app.statements()).toBe(0);
    }
  });
});

describe('cost', () => {
  const Batch = graphql(`
    query NeighborBatch($first: Int!) {
      works(first: 3) {
        nodes {
          coCitedWith(first: $first) { totalCount exact nodes { id doi } edges { count node { id title } } }
        }
      }
    }
  `);

  it('answers any page size, for several works at once, in the same few statements', async () => {
    const counts: number[] = [];
    for (const first of [1, 10, 40]) {
      const data = await app.execute(Batch, { first });
      expect(data.works.nodes.some((work) => work?.coCitedWith.edges.length === first)).toBe(true);
      // `nodes` and `edges` list the same works, each with the fields selected under it.
      for (const work of data.works.nodes)
        expect(work?.coCitedWith.nodes.map((node) => node.id)).toEqual(
          work?.coCitedWith.edges.map((edge) => edge.node.id),
        );
      const listed = data.works.nodes.flatMap((work) => work?.coCitedWith.edges ?? []);
      expect(listed.some((edge) => edge.node.title)).toBe(true);
      counts.push(app.statements());
    }
    // The works, the neighbours of all three with their figures, the neighbours' titles.
    expect(counts).toEqual([3, 3, 3]);
    for (const [kind, args] of [
      ['bibliographicCoupling', ''],
      ['neighborhood', '(depth: 2)'],
    ]) {
      for (const first of [1, 30]) {
        const field = args ? `${kind}${args.replace(')', `, first: ${first})`)}` : `${kind}(first: ${first})`;
        const { body } = await app.post({
          query: `{ works(first: 2) { nodes { ${field} { totalCount edges { count node { title } } } } } }`,
        });
        expect(body.errors).toBeUndefined();
        expect(app.statements()).toBe(3);
      }
    }
  });

  it('charges the scan bound beside the page, per work asked about', async () => {
    const charged = async (field: string) => {
      const { body } = await app.post({ query: `{ work(id: "${workGid(53)}") { ${field} { totalCount } } }` });
      expect(body.errors).toBeUndefined();
      return body.extensions.cost.nodes as number;
    };
    // The work, then the connection itself: its nodes and edges are not asked for.
    expect(await charged('coCitedWith(first: 5)')).toBe(1 + SCAN_BOUND + 1);
    expect(await charged('bibliographicCoupling(first: 5)')).toBe(1 + SCAN_BOUND + 1);
    expect(await charged('neighborhood(first: 5)')).toBe(1 + 1);
    expect(await charged('neighborhood(depth: 2, first: 5)')).toBe(1 + SCAN_BOUND + 1);
    const { body } = await app.post({
      query: '{ works(first: 4) { nodes { coCitedWith(first: 10) { totalCount } } } }',
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('QUERY_COST_LIMIT');
    expect(body.errors?.[0]?.extensions?.found).toBe(1 + 4 * (1 + SCAN_BOUND + 1));
  });
});
