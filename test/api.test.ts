import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { createTestApp, type TestApp } from './kit.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

const WorksPage = graphql(`
  query WorksPage($first: Int!, $after: String, $filter: WorkFilter, $orderBy: WorkOrder) {
    works(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        title
        publicationYear
        citationCount
      }
    }
  }
`);

const Dashboard = graphql(`
  query Dashboard($first: Int!) {
    works(first: $first) {
      totalCount
      nodes {
        title
        citationCount
        since2014: citationCount(since: 2014)
        citationsByYear(from: 2014, to: 2016) { year count }
        authors { name }
        projects { slug }
      }
    }
  }
`);

const People = graphql(`
  query People($first: Int!) {
    people(first: $first, search: "jia") {
      totalCount
      nodes {
        name
        metrics { hIndex i10Index citationCount }
        since2014: metrics(since: 2014) { hIndex }
      }
    }
  }
`);

const TopCited = graphql(`
  query TopCited($first: Int, $since: Int, $filter: WorkFilter) {
    topCitedWorks(first: $first, since: $since, filter: $filter) {
      title
      citationCount
      sinceCount: citationCount(since: $since)
    }
  }
`);

const NodeLookup = graphql(`
  query NodeLookup($id: ID!, $ids: [ID!]!) {
    node(id: $id) {
      __typename
      id
      ... on Work { title }
    }
    nodes(ids: $ids) {
      __typename
      id
    }
  }
`);

const ProjectContributors = graphql(`
  query ProjectContributors($slug: String!, $role: ContributionRole, $activeYear: Int, $first: Int) {
    project(slug: $slug) {
      name
      repositoryUrl
      contributors(first: $first, role: $role, activeYear: $activeYear) {
        totalCount
        nodes {
          roles
          firstActive
          lastActive
          commits
          person { name }
          periods { role startDate startPrecision endDate ended isCurrent commits source }
        }
      }
      activityByYear { year commits activeContributors }
      works { title }
    }
  }
`);

const WorkCitations = graphql(`
  query WorkCitations($doi: String!) {
    work(doi: $doi) {
      title
      references(first: 3) { totalCount nodes { title } }
    }
  }
`);

const GoogLeNetCitations = graphql(`
  query GoogLeNetCitations($first: Int!, $authorId: ID!) {
    topCitedWorks(first: 1, filter: { yearFrom: 2015, yearTo: 2015, authorId: $authorId }) {
      title
      citedBy(first: $first) {
        totalCount
        nodes { title publicationYear }
      }
    }
  }
`);

const PeopleDeep = graphql(`
  query PeopleDeep($first: Int!) {
    people(first: $first, search: "jia") {
      nodes {
        name
        works(first: 3) { totalCount nodes { title authors { name } } }
        coAuthors(first: 3) { person { name } worksTogether }
        frameworkInvolvement { year project { slug } roles commits }
        contributions { role commits }
      }
    }
  }
`);

const WorksDeep = graphql(`
  query WorksDeep($first: Int!) {
    works(first: $first) {
      totalCount
      nodes {
        title
        countBasis { kind reported { source total hasYearlyCounts } }
        citedBy(first: 3) { totalCount nodes { title } }
        references(first: 3) { totalCount edges { cursor node { title } } }
      }
    }
  }
`);

const ProjectsDeep = graphql(`
  query ProjectsDeep($first: Int!) {
    projects(first: $first) {
      nodes { slug activityByYear { year commits } works { title } }
    }
  }
`);

const PersonWorksPage = graphql(`
  query PersonWorksPage($first: Int!, $after: String, $orderBy: WorkOrder) {
    person(name: "Yangqing Jia") {
      works(first: $first, after: $after, orderBy: $orderBy) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { title publicationYear citationCount }
      }
    }
  }
`);

const PersonPage = graphql(`
  query PersonPage {
    person(name: "Yangqing Jia") {
      works(first: 5) { totalCount nodes { title citationCount authors { name } } }
      metrics { hIndex i10Index }
      since2014: metrics(since: 2014) { hIndex }
      coAuthors { person { name } worksTogether }
      affiliations { organization { name } startDate }
      contributions { project { name } role commits }
    }
  }
`);

const JiaProfile = graphql(`
  query JiaProfile {
    person(name: "Yangqing Jia") {
      otherNames
      affiliations {
        organization { name }
        kind
        title
        unit
        startDate
        startPrecision
        endDate
        endPrecision
        ended
        isCurrent
      }
      contributions { role project { slug } startDate ended }
      coAuthors(first: 3) { person { name } worksTogether }
    }
  }
`);

describe('works connection', () => {
  it('pages through works with keyset cursors, most cited first, without overlap', async () => {
    const first = await app.execute(WorksPage, { first: 10 });
    const second = await app.execute(WorksPage, { first: 10, after: first.works.pageInfo.endCursor });
    const all = await app.execute(WorksPage, { first: 20 });
    expect(first.works.pageInfo.hasNextPage).toBe(true);
    expect([...first.works.nodes, ...second.works.nodes].map((work) => work.id)).toEqual(
      all.works.nodes.map((work) => work.id),
    );
    const counts = all.works.nodes.map((work) => work.citationCount ?? 0);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    // The most cited stored work, read from the table itself.
    const [top] = await app.db.prisma.$queryRawUnsafe<{ title: string; citationCount: number }[]>(
      'SELECT title, citation_count AS "citationCount" FROM work ORDER BY citation_count DESC, id DESC LIMIT 1',
    );
    expect(all.works.nodes[0]?.citationCount).toBe(top?.citationCount);
    expect(all.works.nodes[0]?.title).toBe(top?.title);
    expect(first.works.totalCount).toBeGreaterThan(100);
  });

  it('pages through ties in citation counts both ways, each page after a cursor in two statements', async () => {
    const page = async (args: string) => {
      const { body } = await app.post({
        query: `{ works(${args}) { pageInfo { startCursor endCursor } nodes { id citationCount } } }`,
      });
      expect(body.errors).toBeUndefined();
      return body.data.works as {
        pageInfo: { startCursor: string; endCursor: string };
        nodes: { id: string; citationCount: number }[];
      };
    };
    for (const direction of ['DESC', 'ASC']) {
      const orderBy = `orderBy: { field: CITATION_COUNT, direction: ${direction} }`;
      const all = (await page(`first: 100, ${orderBy}`)).nodes.map((work) => work.id);
      // Some of the least cited demo works share a count: a page can end inside a run of ties.
      const counts = (await page(`first: 100, ${orderBy}`)).nodes.map((work) => work.citationCount);
      if (direction === 'ASC') expect(new Set(counts).size).toBeLessThan(counts.length);
      const forward: string[] = [];
      let cursor = '';
      while (forward.length < 100) {
        const next = await page(`first: 7, ${orderBy}${cursor ? `, after: "${cursor}"` : ''}`);
        if (cursor) expect(app.statements()).toBe(2);
        forward.push(...next.nodes.map((work) => work.id));
        cursor = next.pageInfo.endCursor;
      }
      expect(forward.slice(0, 100)).toEqual(all);
      // And back from the 100th work to the first.
      const backward: string[] = [];
      cursor = (await page(`first: 100, ${orderBy}`)).pageInfo.endCursor;
      while (backward.length < 99) {
        const previous = await page(`last: 9, before: "${cursor}", ${orderBy}`);
        backward.unshift(...previous.nodes.map((work) => work.id));
        cursor = previous.pageInfo.startCursor;
      }
      expect(backward.slice(-99)).toEqual(all.slice(0, 99));
    }
  });

  it("pages through a person's works, by citations or by year", async () => {
    const all = await app.execute(PersonWorksPage, { first: 5 });
    const first = await app.execute(PersonWorksPage, { first: 2 });
    const rest = await app.execute(PersonWorksPage, { first: 5, after: first.person?.works.pageInfo.endCursor });
    expect([...(first.person?.works.nodes ?? []), ...(rest.person?.works.nodes ?? [])]).toEqual(
      all.person?.works.nodes,
    );
    expect(rest.person?.works.pageInfo.hasNextPage).toBe(false);
    const byYear = await app.execute(PersonWorksPage, {
      first: 5,
      orderBy: { field: 'PUBLICATION_YEAR', direction: 'ASC' },
    });
    const years = byYear.person?.works.nodes.map((work) => work.publicationYear ?? 0) ?? [];
    expect(years).toEqual([...years].sort((a, b) => a - b));
  });

  it('filters by year range and orders by year', async () => {
    const data = await app.execute(WorksPage, {
      first: 100,
      filter: { yearFrom: 2014, yearTo: 2015 },
      orderBy: { field: 'PUBLICATION_YEAR', direction: 'ASC' },
    });
    const years = data.works.nodes.map((work) => work.publicationYear ?? 0);
    expect(years.every((year) => year >= 2014 && year <= 2015)).toBe(true);
    expect(years).toEqual([...years].sort((a, b) => a - b));
    expect(data.works.totalCount).toBe(data.works.nodes.length);
  });

  it('filters by author and by project', async () => {
    const { person } = await app.execute(graphql(`query JiaId { person(name: "Yangqing Jia") { id } }`));
    const byAuthor = await app.execute(WorksPage, { first: 100, filter: { authorId: person?.id } });
    expect(byAuthor.works.totalCount).toBe(5);
    const { project } = await app.execute(graphql(`query CaffeId { project(slug: "caffe") { id } }`));
    const byProject = await app.execute(WorksPage, { first: 100, filter: { projectId: project?.id } });
    expect(byProject.works.nodes.map((work) => work.title)).toEqual([
      'Caffe - Convolutional Architecture for Fast Feature Embedding',
    ]);
  });

  it('caps a page at 100 works', async () => {
    const literal = await app.post({ query: 'query { works(first: 101) { totalCount } }' });
    expect(literal.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(literal.body.errors?.[0]?.message).toMatch(/limit of 0 to 100/);
    const nested = await app.post({
      query: 'query ($n: Int) { people(first: 1) { nodes { works(first: $n) { totalCount } } } }',
      variables: { n: 1000 },
    });
    expect(nested.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const ok = await app.post({ query: 'query { works(first: 100) { totalCount } }' });
    expect(ok.body.errors).toBeUndefined();
  });
});

describe('SQL round trips', () => {
  it('stay the same whatever the page size for works with authors, counts and projects', async () => {
    await app.execute(Dashboard, { first: 30 });
    const small = [...app.operations].sort();
    await app.execute(Dashboard, { first: 100 });
    const large = [...app.operations].sort();
    expect(large).toEqual(small);
    // totalCount of every work is read from the cohort rollups.
    expect(large).toEqual(['$queryRawUnsafe', 'Work.findMany', 'WorkYearlyCount.findMany']);
  });

  it('are planned for a whole person page: works, metrics, co-authors, timelines', async () => {
    await app.execute(PersonPage);
    expect(app.statements()).toBe(7);
    expect(app.operations.filter((operation) => operation !== 'Person.findUniqueOrThrow').sort()).toEqual([
      '$queryRawUnsafe', // co-author ranking
      '$queryRawUnsafe', // metrics, all years
      '$queryRawUnsafe', // metrics since 2014
      '$queryRawUnsafe', // commits per contribution period
      '$queryRawUnsafe', // the works page's totalCount
      'Person.findMany', // the person with the works page, affiliations and contributions (two rows at most: a second is AMBIGUOUS)
    ]);
    // The co-authors, each planned as a person field, which Prisma answers with one statement.
    expect(app.operations.filter((operation) => operation === 'Person.findUniqueOrThrow')).toHaveLength(20);
  });

  it('stay the same whatever the page size for nested lists: people with their works, co-authors and involvement', async () => {
    await app.execute(PeopleDeep, { first: 6 });
    expect(app.statements()).toBe(9);
    await app.execute(PeopleDeep, { first: 22 });
    expect(app.statements()).toBe(9);
  });

  it('stay the same whatever the page size for works with who cites them and what they cite', async () => {
    await app.execute(WorksDeep, { first: 5 });
    const small = [...app.operations].sort();
    await app.execute(WorksDeep, { first: 60 });
    expect([...app.operations].sort()).toEqual(small);
    expect(app.operations.sort()).toEqual([
      '$queryRawUnsafe', // the cited-by pages of all the works: ids
      '$queryRawUnsafe', // the cited-by totalCounts
      '$queryRawUnsafe', // the reference pages: ids
      '$queryRawUnsafe', // the references' totalCounts
      '$queryRawUnsafe', // the page's totalCount (every work: the cohort rollups)
      'Work.findMany', // the page of works
      'Work.findMany', // the citing works' fields
      'Work.findMany', // the cited works' fields
    ]);
    expect(app.statements()).toBe(8);
  });

  it('count a connection only when the client asks for its totalCount', async () => {
    const query = (fields: string) =>
      `{ works(first: 5) { ${fields} nodes { citedBy(first: 3) { ${fields} nodes { title } } } } }`;
    // The works; the ids of their citing works; those works' fields.
    await app.post({ query: query('') });
    expect(app.statements()).toBe(3);
    await app.post({ query: query('totalCount') });
    expect(app.statements()).toBe(5);
  });

  it("read a page of people's citations per year in one statement after the page", async () => {
    const { body } = await app.post({
      query: '{ people(first: 20) { nodes { name citationsByYear { year count } } } }',
    });
    expect(body.errors).toBeUndefined();
    // The people; their years from the rollup with their works lacking per-year counts.
    expect(app.statements()).toBe(2);
    expect(
      body.data.people.nodes.some((person: { citationsByYear: unknown[] | null }) => person.citationsByYear === null),
    ).toBe(true);
  });

  it('stay the same whatever the page size for projects with their yearly activity', async () => {
    await app.execute(ProjectsDeep, { first: 1 });
    const small = [...app.operations].sort();
    await app.execute(ProjectsDeep, { first: 8 });
    expect([...app.operations].sort()).toEqual(small);
  });

  it('stay the same whatever the page size for people with their metrics', async () => {
    await app.execute(People, { first: 2 });
    const small = [...app.operations].sort();
    await app.execute(People, { first: 40 });
    expect([...app.operations].sort()).toEqual(small);
    expect(app.operations.sort()).toEqual(['$queryRawUnsafe', '$queryRawUnsafe', 'Person.count', 'Person.findMany']);
  });

  it('stay the same whatever the page size for project contributors with their commits', async () => {
    await app.execute(ProjectContributors, { slug: 'keras', first: 3 });
    const small = [...app.operations].sort();
    await app.execute(ProjectContributors, { slug: 'keras', first: 100 });
    expect([...app.operations].sort()).toEqual(small);
    // The project and its works in one query; the contributors page with their commits, yearly activity,
    // the page's people, their periods and the periods' commits in one each.
    expect(app.operations.sort()).toEqual([
      '$queryRawUnsafe',
      '$queryRawUnsafe',
      '$queryRawUnsafe',
      'Contribution.findMany',
      'Person.findMany',
      'Project.findUnique',
    ]);
  });
});

describe('operator metrics', () => {
  const counter = (text: string, name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);

  it('count the GraphQL requests and the SQL statements they sent, at GET /metrics', async () => {
    const before = (await app.page('/metrics')).text;
    await app.post({ query: '{ works(first: 3) { nodes { title authors { name } } } }' });
    const after = await app.page('/metrics');
    expect(after.status).toBe(200);
    expect(
      counter(after.text, 'citegraph_http_requests_total') - counter(before, 'citegraph_http_requests_total'),
    ).toBe(1);
    // One statement: the works with their authors joined in (Prisma's relationJoins).
    expect(
      counter(after.text, 'citegraph_sql_statements_total') - counter(before, 'citegraph_sql_statements_total'),
    ).toBe(1);
  });
});

describe('top cited works', () => {
  it('ranks by total citations by default', async () => {
    const data = await app.execute(TopCited, { first: 3 });
    const top = await app.db.prisma.$queryRawUnsafe<{ title: string }[]>(
      'SELECT title FROM work ORDER BY citation_count DESC, id DESC LIMIT 3',
    );
    expect(data.topCitedWorks.map((work) => work.title)).toEqual(top.map((work) => work.title));
    // The demo's real OpenAlex works rank with the papers, by the counts OpenAlex reported.
    expect(data.topCitedWorks.map((work) => work.title)).toContain('Deep Residual Learning for Image Recognition');
  });

  it('ranks by citations since a year, with works whose figure is unknown after the others', async () => {
    // Jia's works: the two TensorFlow papers have OpenAlex's per-year counts, the others only totals.
    const { person } = await app.execute(graphql(`query JiaIdForTopCited { person(name: "Yangqing Jia") { id } }`));
    const [jia] = await app.db.prisma.$queryRawUnsafe<{ known: number; unknown: number }[]>(
      `SELECT count(*) FILTER (WHERE w.has_yearly_counts)::int AS known, count(*) FILTER (WHERE NOT w.has_yearly_counts)::int AS unknown
       FROM work w JOIN authorship a ON a.work_id = w.id JOIN person p ON p.id = a.person_id WHERE p.name = 'Yangqing Jia'`,
    );
    const data = await app.execute(TopCited, { first: 10, since: 2020, filter: { authorId: person?.id } });
    const counts = data.topCitedWorks.map((work) => work.sinceCount);
    const known = counts.filter((count) => count !== null);
    expect(known.length).toBe(jia?.known);
    expect(known.length).toBeGreaterThan(0);
    expect(counts.slice(0, known.length)).toEqual(known);
    expect(known).toEqual([...known].sort((a, b) => (b ?? 0) - (a ?? 0)));
    const unknown = data.topCitedWorks.slice(known.length);
    expect(unknown.length).toBe(jia?.unknown);
    expect(unknown.length).toBeGreaterThan(0);
    const totals = unknown.map((work) => work.citationCount ?? 0);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
  });

  it("filters Jia's GoogLeNet year and follows who cites it", async () => {
    const { person } = await app.execute(graphql(`query JiaIdForCitations { person(name: "Yangqing Jia") { id } }`));
    const data = await app.execute(GoogLeNetCitations, { first: 5, authorId: person?.id ?? '' });
    const top = data.topCitedWorks[0];
    expect(top?.title).toBe('Going deeper with convolutions');
    expect(top?.citedBy.totalCount).toBeGreaterThan(5);
    const counts = top?.citedBy.nodes.map((node) => node.title) ?? [];
    expect(counts).toContain('Deep Residual Learning for Image Recognition');
    expect(top?.citedBy.nodes.length).toBe(Math.min(5, top?.citedBy.totalCount ?? 0));
  });
});

describe('lookups', () => {
  it('finds any entity by its global id, one at a time or in a batch', async () => {
    const page = await app.execute(WorksPage, { first: 2 });
    const [a, b] = page.works.nodes;
    const data = await app.execute(NodeLookup, { id: a?.id ?? '', ids: [a?.id ?? '', b?.id ?? ''] });
    expect(data.node).toMatchObject({ __typename: 'Work', id: a?.id, title: a?.title });
    expect(data.nodes.map((node) => node?.id)).toEqual([a?.id, b?.id]);
  });

  it('finds a work by DOI and shows its references', async () => {
    const data = await app.execute(WorkCitations, { doi: 'doi:10.48550/arxiv.1603.04467' });
    expect(data.work?.title).toMatch(/^TensorFlow/);
    expect(data.work?.references.totalCount).toBeGreaterThanOrEqual(data.work?.references.nodes.length ?? 0);
  });

  it('returns null for a DOI that is not in citegraph', async () => {
    const data = await app.execute(WorkCitations, { doi: '10.1234/not-here' });
    expect(data.work).toBeNull();
  });

  it("lists a project's contributors by role and by active year, with their commits", async () => {
    const creators = await app.execute(ProjectContributors, { slug: 'caffe', role: 'CREATOR' });
    expect(creators.project?.contributors.nodes.map((node) => node.person.name)).toEqual(['Yangqing Jia']);
    expect(creators.project?.works.map((work) => work.title)).toEqual([
      'Caffe - Convolutional Architecture for Fast Feature Embedding',
    ]);
    const active2014 = await app.execute(ProjectContributors, { slug: 'caffe', activeYear: 2014, first: 100 });
    const nodes = active2014.project?.contributors.nodes ?? [];
    for (const node of nodes) {
      const touches = node.periods.some(
        (period) => period.startDate <= '2014-12-31' && (period.endDate === null || period.endDate >= '2014-01-01'),
      );
      expect(touches).toBe(true);
    }
    const activity = active2014.project?.activityByYear.find((row) => row.year === 2014);
    expect(activity?.commits).toBeGreaterThan(0);
    // One row per person: every committer has a period derived from the history, Jia a CREATOR one too.
    expect(new Set(nodes.map((node) => node.person.name)).size).toBe(nodes.length);
    expect(nodes.length).toBe(Math.min(100, active2014.project?.contributors.totalCount ?? 0));
    expect(nodes.every((node) => node.periods.some((period) => period.source === 'git-history'))).toBe(true);
    const jia = nodes.find((node) => node.person.name === 'Yangqing Jia');
    expect(jia?.roles).toEqual(['CREATOR', 'CONTRIBUTOR']);
    expect(jia?.periods.map((period) => period.role).sort()).toEqual(['CONTRIBUTOR', 'CREATOR']);
  });

  it("shows Jia's affiliations and contributions as dated timelines", async () => {
    const data = await app.execute(JiaProfile);
    const person = data.person;
    expect(person?.otherNames).toContain('贾扬清');
    const google = person?.affiliations.find((affiliation) => affiliation.organization.name === 'Google');
    expect(google).toMatchObject({
      unit: 'Google Brain',
      startDate: '2013-12-01',
      startPrecision: 'MONTH',
      endDate: '2016-02-01',
      endPrecision: 'MONTH',
      isCurrent: false,
    });
    const dated = (person?.affiliations ?? []).filter((affiliation) => affiliation.startDate !== null);
    const starts = dated.map((affiliation) => affiliation.startDate ?? '');
    expect(starts).toEqual([...starts].sort());
    expect(person?.affiliations.at(-1)?.startDate ?? null).toBeNull();
    const contributionStarts = (person?.contributions ?? []).map((contribution) => contribution.startDate);
    expect(contributionStarts).toEqual([...contributionStarts].sort());
    expect(person?.coAuthors[0]?.worksTogether).toBeGreaterThanOrEqual(1);
  });
});
