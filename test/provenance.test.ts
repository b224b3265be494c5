import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourcesPageQuery } from './gql/graphql.js';
import { graphql } from './gql/index.js';
import { createTestApp, type TestApp } from './kit.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

const Sources = graphql(`
  query CountSources($doi: String!) {
    work(doi: $doi) {
      citationCount
      countBasis { kind reported { source retrievedOn total } }
      reportedCounts { source total retrievedOn }
      citedBy(first: 1) { totalCount }
      citationCountSources { source value retrievedOn isBasis }
      loose: citationCountDiscrepancy(ratio: 1.01)
      strict: citationCountDiscrepancy(ratio: 1000)
    }
  }
`);

const SourcesPage = graphql(`
  query SourcesPage($after: String, $filter: WorkFilter) {
    works(first: 100, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id citationCountDiscrepancy(ratio: 1.01) citationCountSources { source value retrievedOn } }
    }
  }
`);

describe('provenance of citation counts', () => {
  it("lists each source's latest figure and the edges counted here, and says which one is used", async () => {
    const { work } = await app.execute(Sources, { doi: '10.48550/arXiv.1603.04467' });
    const sources = work?.citationCountSources ?? [];
    const reported = sources.filter((source) => source.retrievedOn !== null);
    // One figure per source: its latest report.
    expect(new Set(reported.map((source) => source.source))).toEqual(
      new Set(work?.reportedCounts.map((count) => count.source)),
    );
    for (const source of reported) {
      const latest = (work?.reportedCounts ?? [])
        .filter((count) => count.source === source.source)
        .sort((a, b) => String(b.retrievedOn).localeCompare(String(a.retrievedOn)))[0];
      expect(source.value).toBe(latest?.total);
    }
    expect(sources.at(-1)).toEqual({
      source: 'citegraph-edges',
      value: work?.citedBy.totalCount,
      retrievedOn: null,
      isBasis: false,
    });
    const basis = sources.filter((source) => source.isBasis);
    expect(basis).toHaveLength(1);
    expect(basis[0]?.source).toBe(work?.countBasis.reported?.source);
    expect(basis[0]?.value).toBe(work?.citationCount);
    const values = reported.map((source) => source.value);
    expect(reported.length).toBeGreaterThanOrEqual(2);
    expect(work?.loose).toBe(Math.max(...values) / Math.max(Math.min(...values), 1) >= 1.01);
    expect(work?.strict).toBe(false);
  });

  it('finds the works whose sources disagree by more than a chosen ratio', async () => {
    const all: SourcesPageQuery['works']['nodes'] = [];
    let after: string | null | undefined;
    do {
      const page: SourcesPageQuery = await app.execute(SourcesPage, { after });
      all.push(...page.works.nodes);
      after = page.works.pageInfo.hasNextPage ? page.works.pageInfo.endCursor : undefined;
    } while (after);
    // Independently of the flag: the latest figure per source, compared.
    const disagreeing = all.filter((work) => {
      const values = (work?.citationCountSources ?? []).filter((s) => s.retrievedOn !== null).map((s) => s.value);
      return values.length >= 2 && Math.max(...values) / Math.max(Math.min(...values), 1) >= 1.01;
    });
    expect(disagreeing.length).toBeGreaterThan(0);
    expect(all.filter((work) => work?.citationCountDiscrepancy).map((work) => work?.id)).toEqual(
      disagreeing.map((work) => work?.id),
    );
    const { works } = await app.execute(SourcesPage, { filter: { sourcesDisagreeBy: 1.01 } });
    expect(works.totalCount).toBe(disagreeing.length);
    expect(new Set(works.nodes.map((work) => work?.id))).toEqual(new Set(disagreeing.map((work) => work?.id)));
  });

  it('refuses a ratio below 1', async () => {
    const { body } = await app.post({
      query: print(SourcesPage),
      variables: { filter: { sourcesDisagreeBy: 0.5 } },
    });
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toMatch(/sourcesDisagreeBy must be a ratio of 1 or more/);
  });
});

const Exports = graphql(`
  query PageExports($first: Int!) {
    works(first: $first, filter: { yearFrom: 2014 }) {
      bibtex
      ris
      cslJson
      nodes { title bibtex ris }
    }
  }
`);

const PersonExports = graphql(`
  query PersonExports {
    person(name: "Yangqing Jia") {
      works(first: 3) { bibtex nodes { title } }
    }
    work(doi: "10.48550/arXiv.1603.04467") {
      references(first: 2) { ris nodes { title } }
      citedBy(first: 2) { cslJson nodes { title } }
    }
  }
`);

describe('exports of a page of works', () => {
  it("print the page's works in page order, as each work prints itself", async () => {
    const { works } = await app.execute(Exports, { first: 5 });
    expect(works.nodes).toHaveLength(5);
    // Keys are unique within the page; the entries are the works' own where keys do not clash.
    const bodies = (text: string) =>
      text
        .split(/^@/m)
        .filter(Boolean)
        .map((entry) => entry.replace(/^[^{]*\{[^,]*,/, '').trim());
    expect(bodies(works.bibtex)).toEqual(works.nodes.flatMap((work) => bodies(work?.bibtex ?? '')));
    expect(works.ris.match(/^TY {2}- /gm)).toHaveLength(5);
    // Record by record, as each work prints itself (ids aside: they are unique within the page).
    const records = (text: string) => text.replace(/^ID {2}- .*\n/gm, '').replace(/\n{2,}/g, '\n');
    expect(records(works.ris)).toBe(records(works.nodes.map((work) => work?.ris).join('')));
    expect((works.cslJson as { title: string }[]).map((item) => item.title)).toEqual(
      works.nodes.map((work) => work?.title),
    );
  });

  it('are on every works connection, in one statement for all of them whatever the page size', async () => {
    const data = await app.execute(PersonExports);
    expect(data.person?.works.bibtex.match(/^@/gm)).toHaveLength(data.person?.works.nodes.length ?? -1);
    expect(data.work?.references.ris.match(/^TY {2}- /gm)?.length ?? 0).toBe(data.work?.references.nodes.length);
    expect((data.work?.citedBy.cslJson as unknown[] | undefined)?.length).toBe(data.work?.citedBy.nodes.length);
    await app.execute(Exports, { first: 2 });
    const small = app.statements();
    await app.execute(Exports, { first: 40 });
    expect(app.statements()).toBe(small);
  });
});
