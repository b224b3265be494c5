import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRange, type WorkFigures } from './figures.js';
import type { SetWorksQuery } from './gql/graphql.js';
import { graphql } from './gql/index.js';
import { createTestApp, type TestApp } from './kit.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

const SetWorks = graphql(`
  query SetWorks($filter: WorkFilter, $after: String) {
    works(filter: $filter, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        title
        publicationYear
        type
        venue
        citationCount
        countBasis { kind hasYearlyCounts citationsWithoutYear }
        citationsByYear { year count }
        authors { id }
      }
    }
  }
`);

const SetFigures = graphql(`
  query SetFigures($filter: WorkFilter, $first: Int) {
    works(filter: $filter, first: $first) {
      totalCount
      citationCount
      citationsWithoutYear
      citationsByYear(from: 1990) { year count }
      allTime: metrics { citationCount hIndex i10Index worksCount }
      window: metrics(since: 2015, asOf: 2020) {
        since asOf worksCount worksWithUnknownWindow
        citationCount citationCountLowerBound citationCountUpperBound
        hIndex hIndexLowerBound hIndexUpperBound i10IndexLowerBound i10IndexUpperBound
      }
      hIndexByYear(from: 2012, to: 2024) { year hIndex lowerBound upperBound }
      years: groupBy(field: YEAR, first: 100) { key worksCount citationCount }
      types: groupBy(field: TYPE, first: 100) { key worksCount citationCount }
      venues: groupBy(field: VENUE, first: 100) { key worksCount citationCount }
      authors: groupBy(field: AUTHOR, first: 3) { key label worksCount citationCount }
      nodes { title }
    }
  }
`);

type SetWork = SetWorksQuery['works']['nodes'][number];

async function allWorks(filter: object): Promise<SetWork[]> {
  const works: SetWork[] = [];
  let after: string | null | undefined;
  do {
    const page: SetWorksQuery = await app.execute(SetWorks, { filter, after });
    works.push(...page.works.nodes.flatMap((work) => (work ? [work] : [])));
    after = page.works.pageInfo.hasNextPage ? page.works.pageInfo.endCursor : undefined;
  } while (after);
  return works;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const decodeId = (id: string) => Buffer.from(id, 'base64url').toString().split(':')[1];

describe('figures over a filtered set of works', () => {
  const filter = { yearFrom: 2012, yearTo: 2017 };

  it('sum, per-year and metrics agree with the works of the set, counted one by one', async () => {
    const works = await allWorks(filter);
    expect(works.length).toBeGreaterThan(20);
    const { works: set } = await app.execute(SetFigures, { filter, first: 5 });
    expect(set.totalCount).toBe(works.length);
    expect(set.citationCount).toBe(sum(works.map((work) => work.citationCount ?? 0)));
    const perYear = new Map<number, number>();
    for (const work of works) {
      for (const row of work.citationsByYear ?? []) perYear.set(row.year, (perYear.get(row.year) ?? 0) + row.count);
    }
    for (const row of set.citationsByYear) expect(row.count).toBe(perYear.get(row.year) ?? 0);
    expect(set.citationsByYear[0]?.year).toBe(1990);
    expect(set.citationsByYear.at(-1)?.year).toBe(new Date().getUTCFullYear());
    // The series and what it cannot place add up to the total.
    expect(sum(set.citationsByYear.map((row) => row.count)) + set.citationsWithoutYear).toBe(set.citationCount);

    const counts = works.map((work) => work.citationCount ?? 0);
    const allTime = setRange(works as WorkFigures[], {});
    expect(set.allTime).toEqual({
      citationCount: sum(counts),
      hIndex: allTime.hIndex[0],
      i10Index: allTime.i10Index[0],
      worksCount: works.length,
    });

    const window = setRange(works as WorkFigures[], { since: 2015, asOf: 2020 });
    expect(set.window).toMatchObject({
      since: 2015,
      asOf: 2020,
      worksCount: works.filter((work) => (work.publicationYear ?? 9999) <= 2020).length,
      worksWithUnknownWindow: window.unknown,
      citationCountLowerBound: window.citationCount[0],
      citationCountUpperBound: window.citationCount[1],
      hIndexLowerBound: window.hIndex[0],
      hIndexUpperBound: window.hIndex[1],
      i10IndexLowerBound: window.i10Index[0],
      i10IndexUpperBound: window.i10Index[1],
    });
    expect(set.window.hIndex).toBe(window.hIndex[0] === window.hIndex[1] ? window.hIndex[0] : null);
  });

  it('gives the h-index at the end of each year, with bounds where the data leaves it open', async () => {
    const works = (await allWorks(filter)) as WorkFigures[];
    const { works: set } = await app.execute(SetFigures, { filter, first: 1 });
    expect(set.hIndexByYear.map((row) => row.year)).toEqual(Array.from({ length: 13 }, (_, index) => 2012 + index));
    for (const row of set.hIndexByYear) {
      const [low, high] = setRange(works, { asOf: row.year }).hIndex;
      expect([row.year, row.lowerBound, row.upperBound]).toEqual([row.year, low, high]);
      expect(row.hIndex).toBe(low === high ? low : null);
    }
  });

  it('groups by year, type and venue into groups that add up to the set, and counts authors per work', async () => {
    const works = await allWorks(filter);
    const { works: set } = await app.execute(SetFigures, { filter, first: 1 });
    for (const groups of [set.years, set.types, set.venues]) {
      expect(sum(groups.map((group) => group.worksCount))).toBe(set.totalCount);
      expect(sum(groups.map((group) => group.citationCount))).toBe(set.citationCount);
    }
    const byYear = new Map<string | null, number>();
    for (const work of works) {
      const key =
        work.publicationYear === null || work.publicationYear === undefined ? null : String(work.publicationYear);
      byYear.set(key, (byYear.get(key) ?? 0) + 1);
    }
    for (const group of set.years) expect(group.worksCount).toBe(byYear.get(group.key ?? null));
    const byAuthor = new Map<string, number>();
    for (const work of works)
      for (const author of work.authors) {
        const key = decodeId(author?.id ?? '') as string;
        byAuthor.set(key, (byAuthor.get(key) ?? 0) + 1);
      }
    const top = [...byAuthor.values()].sort((a, b) => b - a).slice(0, 3);
    expect(set.authors.map((group) => group.worksCount)).toEqual(top);
    for (const group of set.authors) expect(byAuthor.get(group.key ?? '')).toBe(group.worksCount);
  });

  it('answers every figure in the same number of statements whatever the page size', async () => {
    await app.execute(SetFigures, { filter, first: 1 });
    const small = app.statements();
    const smallCost = (await app.post({ query: printed(SetFigures), variables: { filter, first: 1 } })).body.extensions
      .cost.nodes;
    await app.execute(SetFigures, { filter, first: 100 });
    expect(app.statements()).toBe(small);
    const bigCost = (await app.post({ query: printed(SetFigures), variables: { filter, first: 100 } })).body.extensions
      .cost.nodes;
    // Each figure is charged; the page adds its rows.
    expect(smallCost).toBeGreaterThan(8 * 10);
    expect(bigCost - smallCost).toBe(99);
  });
});

const CohortFigures = graphql(`
  query CohortFigures($filter: WorkFilter) {
    works(filter: $filter, first: 1) {
      totalCount
      citationCount
      citationsWithoutYear
      citationsByYear { year count }
      years: groupBy(field: YEAR, first: 100) { key label worksCount citationCount }
    }
  }
`);

describe('figures over publication years alone', () => {
  // citationCountMin: 0 keeps every work but is not a year: the set is then read through its works.
  it('read from the cohort rollups, equal the same set read through its works', async () => {
    for (const years of [{ yearFrom: 2012, yearTo: 2017 }, { yearFrom: 2015 }, { yearTo: 2009 }, {}]) {
      const fromCohorts = await app.execute(CohortFigures, { filter: years });
      const fromWorks = await app.execute(CohortFigures, { filter: { ...years, citationCountMin: 0 } });
      expect(fromCohorts, JSON.stringify(years)).toEqual(fromWorks);
      expect(fromCohorts.works.totalCount).toBeGreaterThan(0);
    }
    // Every work, those without a publication year included (they are in no cohort).
    const all = await app.execute(CohortFigures, {});
    const undated = all.works.years.find((group) => group.key === null);
    expect(undated?.worksCount).toBeGreaterThan(0);
    expect(all.works.totalCount).toBe(await app.db.prisma.work.count());
  });
});

const printed = (document: Parameters<typeof print>[0]) => print(document);

const Count = graphql(`
  query CountWorks($filter: WorkFilter) {
    works(filter: $filter, first: 100) { totalCount nodes { id publicationYear citationCount } }
  }
`);

const Jia = graphql(`
  query JiaAndCoAuthor {
    jia: person(name: "Yangqing Jia") { id coAuthors(first: 1) { person { id } } }
  }
`);

describe('work filters', () => {
  it('combine with and/or: a union of two authors, narrowed by year', async () => {
    const { jia } = await app.execute(Jia);
    const jiaId = jia?.id as string;
    const otherId = jia?.coAuthors[0]?.person?.id as string;
    const mine = await allWorks({ authorId: jiaId });
    const theirs = await allWorks({ authorId: otherId });
    const union = new Set([...mine, ...theirs].map((work) => work.id));
    const either = await app.execute(Count, { filter: { or: [{ authorId: jiaId }, { authorId: otherId }] } });
    expect(either.works.totalCount).toBe(union.size);
    expect(new Set(either.works.nodes.map((work) => work?.id))).toEqual(union);
    const recent = await app.execute(Count, {
      filter: { or: [{ authorId: jiaId }, { authorId: otherId }], and: [{ yearFrom: 2015 }] },
    });
    const expected = [...mine, ...theirs].filter((work) => (work.publicationYear ?? 0) >= 2015);
    expect(recent.works.totalCount).toBe(new Set(expected.map((work) => work.id)).size);
  });

  it('filter by title words as search matches them, with the same figures over the set', async () => {
    const hits = await app.post({
      query:
        'query { search(query: "convolutional", types: [WORK], first: 100) { edges { node { ... on Work { id } } } } }',
    });
    const expected = new Set(hits.body.data.search.edges.map((edge: { node: { id: string } }) => edge.node.id));
    expect(expected.size).toBeGreaterThan(0);
    const works = await allWorks({ search: 'convolutional' });
    expect(new Set(works.map((work) => work.id))).toEqual(expected);
    const counts = works.map((work) => work.citationCount ?? 0);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const { works: set } = await app.execute(SetFigures, {
      filter: { search: 'convolutional', and: [{ yearFrom: 1900 }] },
      first: 2,
    });
    expect(set.totalCount).toBe(expected.size);
    expect(set.citationCount).toBe(sum(counts));
    const blank = await app.post({ query: printed(Count), variables: { filter: { search: '   ' } } });
    expect(blank.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('filter by citation count range', async () => {
    const { works } = await app.execute(Count, { filter: { citationCountMin: 1000, citationCountMax: 5000 } });
    expect(works.totalCount).toBeGreaterThan(0);
    for (const work of works.nodes) {
      expect(work?.citationCount).toBeGreaterThanOrEqual(1000);
      expect(work?.citationCount).toBeLessThanOrEqual(5000);
    }
  });

  it('refuse empty ranges and filters nested too deep', async () => {
    const deep = { and: [{ and: [{ and: [{ and: [{ yearFrom: 2000 }] }] }] }] };
    const cases: [object, RegExp][] = [
      [{ citationCountMin: 10, citationCountMax: 5 }, /citation range 10..5 is empty/],
      [{ citationCountMin: -1 }, /never negative/],
      [deep, /at most 3 levels deep/],
    ];
    for (const [filter, message] of cases) {
      const { body } = await app.post({ query: printed(Count), variables: { filter } });
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toMatch(message);
    }
  });
});

const Organization = graphql(`
  query OrganizationFigures($slug: String!, $after: String) {
    organization(slug: $slug) {
      id
      metrics { worksCount citationCount hIndex i10Index worksWithoutYearlyCounts }
      citationsByYear(from: 2010, to: 2020) { year count }
      citationsWithoutYear
      affiliations(first: 100) { totalCount nodes { person { id } startDate endDate ended } }
    }
    works(first: 100, after: $after, filter: { yearFrom: 1900 }) {
      pageInfo { hasNextPage endCursor }
      nodes { id publicationYear citationCount citationsByYear { year count } authors { id } }
    }
  }
`);

const OrganizationWorks = graphql(`
  query OrganizationWorks($id: ID!, $first: Int, $after: String) {
    works(filter: { organizationId: $id }, first: $first, after: $after) {
      totalCount citationCount citationsWithoutYear
      citationsByYear(from: 2010, to: 2020) { year count }
      metrics { worksWithoutYearlyCounts }
      pageInfo { hasNextPage endCursor }
      nodes { id citationCount }
    }
  }
`);

describe("an organization's works", () => {
  it('are the works its people published during their affiliation, with the same figures on both fields', async () => {
    const { organization } = await app.execute(Organization, { slug: 'google' });
    const id = organization?.id as string;
    // Independently: works whose author was affiliated with Google in the year the work appeared.
    const people = new Map<string, { from: number; to: number }[]>();
    // Every affiliation is on the one page.
    expect(organization?.affiliations.nodes.length).toBe(organization?.affiliations.totalCount);
    for (const affiliation of organization?.affiliations.nodes ?? []) {
      if (!affiliation.startDate) continue;
      const from = Number(String(affiliation.startDate).slice(0, 4));
      const to = affiliation.endDate
        ? Number(String(affiliation.endDate).slice(0, 4))
        : affiliation.ended
          ? from
          : 9999;
      people.set(affiliation.person.id, [...(people.get(affiliation.person.id) ?? []), { from, to }]);
    }
    const expected = new Set<string>();
    let after: string | null | undefined;
    do {
      const page = await app.execute(Organization, { slug: 'google', after });
      for (const work of page.works.nodes) {
        const year = work?.publicationYear;
        if (!work || !year) continue;
        const inside = work.authors.some((author) =>
          (people.get(author?.id ?? '') ?? []).some((period) => year >= period.from && year <= period.to),
        );
        if (inside) expected.add(work.id);
      }
      after = page.works.pageInfo.hasNextPage ? page.works.pageInfo.endCursor : undefined;
    } while (after);
    expect(expected.size).toBeGreaterThan(0);
    const first = await app.execute(OrganizationWorks, { id, first: 1 });
    expect(first.works.totalCount).toBe(expected.size);
    expect(organization?.metrics.worksCount).toBe(expected.size);
    expect(organization?.metrics.citationCount).toBe(first.works.citationCount);
    // The organization's figures come from its rollups, the filtered set's from its works' own rows.
    expect(organization?.citationsByYear).toEqual(first.works.citationsByYear);
    expect(organization?.citationsWithoutYear).toBe(first.works.citationsWithoutYear);
    expect(organization?.metrics.worksWithoutYearlyCounts).toBe(first.works.metrics.worksWithoutYearlyCounts);
    // Paged one at a time: every work once, most cited first.
    const seen: { id: string; citationCount: number | null | undefined }[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await app.execute(OrganizationWorks, { id, first: 1, after: cursor });
      seen.push(...page.works.nodes.flatMap((work) => (work ? [work] : [])));
      cursor = page.works.pageInfo.hasNextPage ? page.works.pageInfo.endCursor : undefined;
    } while (cursor);
    expect(new Set(seen.map((work) => work.id))).toEqual(expected);
    const counts = seen.map((work) => work.citationCount ?? 0);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    // The all-time h-index and i10-index (read from the organization's rollup) of the same works.
    expect(organization?.metrics.hIndex).toBe(counts.filter((count, rank) => count >= rank + 1).length);
    expect(organization?.metrics.i10Index).toBe(counts.filter((count) => count >= 10).length);
  });
});

const Lookup = graphql(`
  query LookupWorks($dois: [String!], $openalexIds: [String!], $first: Int) {
    works(dois: $dois, openalexIds: $openalexIds, first: $first) {
      unresolved
      totalCount
      nodes { doi openalexId title }
    }
  }
`);

describe('batch lookup of works', () => {
  it('lists the works named by DOI in the order given, and the DOIs that match none', async () => {
    const empty = await app.execute(Lookup, { dois: [], first: 1 });
    expect(empty.works.nodes).toEqual([]);
    const known = await app.post({
      query: 'query { works(first: 100) { nodes { doi } } }',
    });
    const dois: string[] = known.body.data.works.nodes.flatMap((work: { doi: string | null }) =>
      work.doi ? [work.doi] : [],
    );
    expect(dois.length).toBeGreaterThanOrEqual(2);
    const asked = [`https://doi.org/${dois[1]?.toUpperCase()}`, '10.9999/not-in-citegraph', dois[0] as string];
    const { works: found } = await app.execute(Lookup, { dois: asked, first: 3 });
    expect(found.nodes.map((work) => work?.doi)).toEqual([dois[1], dois[0]]);
    expect(found.unresolved).toEqual(['10.9999/not-in-citegraph']);
    expect(found.totalCount).toBe(2);
  });

  it('names the malformed entry, and asks for a page that can hold every work', async () => {
    const bad = await app.post({ query: printed(Lookup), variables: { dois: ['10.1234/x', 'not a doi'], first: 5 } });
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors[0].message).toMatch(/dois\[1\]: "not a doi" is not a DOI/);
    const small = await app.post({ query: printed(Lookup), variables: { dois: ['10.1234/x', '10.1234/y'], first: 1 } });
    expect(small.body.errors[0].message).toMatch(/Pass first: 2 or more/);
    const both = await app.post({ query: printed(Lookup), variables: { dois: ['10.1234/x'], openalexIds: ['W1'] } });
    expect(both.body.errors[0].message).toMatch(/not both/);
  });
});

const Owners = graphql(`
  query OwnerFigures($slug: String!) {
    project(slug: $slug) {
      metrics(since: 2016) { citationCountLowerBound citationCountUpperBound worksCount }
      hIndexByYear(from: 2012) { year lowerBound upperBound }
      citationsByYear(from: 2014, to: 2022) { year count }
      citationsWithoutYear
      works { citationCount countBasis { kind hasYearlyCounts citationsWithoutYear } citationsByYear { year count } }
    }
  }
`);

describe('projects and organizations', () => {
  it("answer metrics, h-index by year and citations per year over a project's works", async () => {
    const { project } = await app.execute(Owners, { slug: 'tensorflow' });
    const works = (project?.works ?? []) as WorkFigures[];
    expect(works.length).toBeGreaterThan(0);
    const window = setRange(works, { since: 2016 });
    expect([project?.metrics.citationCountLowerBound, project?.metrics.citationCountUpperBound]).toEqual(
      window.citationCount,
    );
    expect(project?.metrics.worksCount).toBe(works.length);
    // Up to the current year, the default end: there the h-index counts every citation.
    expect(project?.hIndexByYear.at(-1)?.year).toBe(new Date().getUTCFullYear());
    for (const row of project?.hIndexByYear ?? []) {
      expect([row.lowerBound, row.upperBound]).toEqual(setRange(works, { asOf: row.year }).hIndex);
    }
    for (const row of project?.citationsByYear ?? []) {
      expect(row.count).toBe(
        sum(works.map((work) => work.citationsByYear?.find((y) => y.year === row.year)?.count ?? 0)),
      );
    }
    const total = sum(works.map((work) => work.citationCount ?? 0));
    const placed = sum(works.flatMap((work) => (work.citationsByYear ?? []).map((row) => row.count)));
    expect(project?.citationsWithoutYear).toBe(total - placed);
  });

  it('refuse a window that ends before it starts and a series over 100 years', async () => {
    const window = await app.post({
      query: 'query { project(slug: "caffe") { metrics(since: 2018, asOf: 2015) { hIndex } } }',
    });
    expect(window.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(window.body.errors[0].message).toMatch(/asOf is before since/);
    const long = await app.post({
      query: 'query { project(slug: "caffe") { hIndexByYear(from: 1900, to: 2020) { year } } }',
    });
    expect(long.body.errors[0].message).toMatch(/at most 100 years/);
  });
});
