import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
