import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRange } from './figures.js';
import type { PeopleYearlyQuery } from './gql/graphql.js';
import { graphql } from './gql/index.js';
import { createTestApp, type TestApp } from './kit.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

const JiaWorks = graphql(`
  query JiaWorks($first: Int!) {
    person(name: "Yangqing Jia") {
      name
      works(first: $first) {
        totalCount
        nodes {
          title
          publicationYear
          citationCount
          authors { name }
        }
      }
    }
  }
`);

const JiaMetrics = graphql(`
  query JiaMetricsAll {
    person(name: "yangqing JIA") {
      metrics { citationCount hIndex i10Index worksCount worksWithoutYearlyCounts unknownReason }
      since2014: metrics(since: 2014) { since citationCount hIndex i10Index worksCount unknownReason }
      citationsByYear(from: 2014, to: 2020) { year count }
      reportedMetrics { source retrievedOn retrievedOnPrecision citationCount }
      works(first: 100) { nodes { citationCount } }
    }
  }
`);

const JiaSince = graphql(`
  query JiaSince {
    person(name: "Yangqing Jia") {
      since2014: metrics(since: 2014) {
        citationCountLowerBound citationCountUpperBound hIndex hIndexLowerBound hIndexUpperBound
        i10IndexLowerBound i10IndexUpperBound worksWithUnknownWindow worksWithoutYearlyCounts unknownReason
      }
      citationsByYear(from: 2014, to: 2020) { year count }
      works(first: 100) {
        nodes {
          citationCount
          countBasis { kind hasYearlyCounts citationsWithoutYear }
          citationsByYear { year count }
        }
      }
    }
  }
`);

const PeopleYearly = graphql(`
  query PeopleYearly($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Person {
        citationsByYear { year count }
        works(first: 100) { nodes { citationsByYear { year count } } }
      }
    }
  }
`);

type PersonYearly = Extract<PeopleYearlyQuery['nodes'][number], { works: unknown }>;
const isPersonYearly = (node: PeopleYearlyQuery['nodes'][number]): node is PersonYearly =>
  node !== null && 'works' in node;

const TensorFlowCounts = graphql(`
  query TensorFlowCounts($doi: String!) {
    work(doi: $doi) {
      title
      doi
      openalexId
      citationCount
      since2013: citationCount(since: 2013)
      since2014: citationCount(since: 2014)
      since2020: citationCount(since: 2020)
      publicationYear
      citationsByYear { year count }
      countBasis {
        kind
        hasYearlyCounts
        citationsWithoutYear
        reported { source retrievedOn total hasYearlyCounts }
      }
      reportedCounts { source total }
      projects { slug }
    }
  }
`);

const Involvement = graphql(`
  query Involvement($personId: ID!, $from: Int, $to: Int) {
    frameworkInvolvement(personId: $personId, from: $from, to: $to) {
      year
      project { slug name }
      roles
      commits
    }
  }
`);

const PersonId = graphql(`
  query PersonId($name: String!) {
    person(name: $name) { id name }
  }
`);

describe("Yangqing Jia's record", () => {
  it('lists his works most cited first, with GoogLeNet on top and authors in order', async () => {
    const data = await app.execute(JiaWorks, { first: 10 });
    const works = data.person?.works.nodes ?? [];
    expect(data.person?.works.totalCount).toBe(5);
    expect(works[0]?.title).toBe('Going deeper with convolutions');
    expect(works[0]?.citationCount).toBe(29487);
    expect(works[0]?.authors.map((author) => author.name).slice(0, 3)).toEqual([
      'Christian Szegedy',
      'Wei Liu',
      'Yangqing Jia',
    ]);
    const counts = works.map((work) => work.citationCount ?? -1);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(works.map((work) => work.title)).toContain('Caffe - Convolutional Architecture for Fast Feature Embedding');
  });

  it('computes h-index and i10-index from the counts of his works', async () => {
    const data = await app.execute(JiaMetrics);
    const person = data.person;
    const counts = (person?.works.nodes ?? []).map((work) => work.citationCount ?? 0).sort((a, b) => b - a);
    const h = counts.filter((count, index) => count >= index + 1).length;
    expect(person?.metrics).toMatchObject({
      citationCount: counts.reduce((sum, count) => sum + count, 0),
      hIndex: h,
      i10Index: counts.filter((count) => count >= 10).length,
      worksCount: 5,
      unknownReason: null,
    });
    expect(person?.metrics.hIndex).toBe(5);
  });

  it('bounds since-2014 figures where per-year counts leave them open, instead of guessing', async () => {
    const { person } = await app.execute(JiaSince);
    const expected = setRange(person?.works.nodes ?? [], { since: 2014 });
    const metrics = person?.since2014;
    expect(metrics?.worksWithoutYearlyCounts).toBe(
      person?.works.nodes.filter((work) => !work.countBasis.hasYearlyCounts).length,
    );
    expect([metrics?.citationCountLowerBound, metrics?.citationCountUpperBound]).toEqual(expected.citationCount);
    expect([metrics?.hIndexLowerBound, metrics?.hIndexUpperBound]).toEqual(expected.hIndex);
    expect([metrics?.i10IndexLowerBound, metrics?.i10IndexUpperBound]).toEqual(expected.i10Index);
    expect(metrics?.worksWithUnknownWindow).toBe(expected.unknown);
    expect(expected.unknown).toBeGreaterThan(0);
    // A figure is given only where its bounds meet.
    const [low, high] = expected.hIndex;
    expect(metrics?.hIndex).toBe(low === high ? low : null);
    expect(metrics?.unknownReason).toMatch(new RegExp(`^${expected.unknown} works have citations`));
    expect(person?.citationsByYear).toBeNull();
  });

  it("sums a person's citations per year over their works' per-year counts", async () => {
    // The people with a work that has per-year counts (the others have no citations by year to
    // sum); five a request keeps each within the node budget (5 × 100 works × their years).
    const ids = await app.db.prisma.$queryRawUnsafe<{ id: number }[]>(
      `SELECT DISTINCT a.person_id AS id FROM authorship a
       WHERE EXISTS (SELECT 1 FROM work_yearly_count y WHERE y.work_id = a.work_id AND y.count > 0) ORDER BY 1`,
    );
    const people: PersonYearly[] = [];
    for (let at = 0; at < ids.length; at += 5) {
      const page: PeopleYearlyQuery = await app.execute(PeopleYearly, {
        ids: ids.slice(at, at + 5).map((row) => Buffer.from(`Person:${row.id}`).toString('base64url')),
      });
      people.push(...page.nodes.filter(isPersonYearly));
    }
    expect(people).toHaveLength(ids.length);
    const known = people.filter((person) => person.citationsByYear?.some((row) => row.count > 0));
    expect(known.length).toBeGreaterThan(0);
    for (const person of known) {
      const expected = new Map<number, number>();
      for (const work of person.works.nodes)
        for (const row of work.citationsByYear ?? []) expected.set(row.year, (expected.get(row.year) ?? 0) + row.count);
      for (const row of person.citationsByYear ?? []) expect(row.count).toBe(expected.get(row.year) ?? 0);
      const first = Math.min(...[...expected].filter(([, count]) => count > 0).map(([year]) => year));
      expect(person.citationsByYear?.[0]?.year).toBe(first);
    }
  });

  it('keeps the Google Scholar total of early 2019 as a reported figure with its source and date', async () => {
    const data = await app.execute(JiaMetrics);
    expect(data.person?.reportedMetrics).toEqual([
      expect.objectContaining({ citationCount: 37851, retrievedOn: '2019-03-01', retrievedOnPrecision: 'MONTH' }),
    ]);
    expect(data.person?.reportedMetrics[0]?.source).toMatch(/google.scholar/i);
  });

  it('reads his involvement as Caffe, TensorFlow, Caffe2, ONNX, PyTorch by first year', async () => {
    const { person } = await app.execute(PersonId, { name: 'Yangqing Jia' });
    const data = await app.execute(Involvement, { personId: person?.id ?? '' });
    const firstYear = new Map<string, number>();
    for (const row of data.frameworkInvolvement) {
      if (!firstYear.has(row.project.name)) firstYear.set(row.project.name, row.year);
    }
    expect([...firstYear.keys()]).toEqual(['Caffe', 'TensorFlow', 'Caffe2', 'ONNX', 'PyTorch']);
    const years = data.frameworkInvolvement.map((row) => row.year);
    expect(years).toEqual([...years].sort((a, b) => a - b));
    const caffe2016 = data.frameworkInvolvement.find((row) => row.project.slug === 'caffe2' && row.year === 2016);
    expect(caffe2016?.roles).toContain('LEAD');
    expect(caffe2016?.commits).toBeGreaterThan(0);
    const pytorch = data.frameworkInvolvement.filter((row) => row.project.slug === 'pytorch');
    expect(pytorch.map((row) => [row.year, row.roles])).toEqual([[2018, ['LEAD']]]);
  });

  it('sums his commits per year from the monthly git activity', async () => {
    const { person } = await app.execute(PersonId, { name: 'Yangqing Jia' });
    const data = await app.execute(Involvement, { personId: person?.id ?? '' });
    const commits = (slug: string) =>
      data.frameworkInvolvement
        .filter((row) => row.project.slug === slug)
        .reduce((sum, row) => sum + (row.commits ?? 0), 0);
    // git history: 354 commits to BVLC/caffe, 563 to caffe2, 1 to onnx.
    expect(commits('caffe')).toBe(354);
    expect(commits('caffe2')).toBe(563);
    expect(commits('onnx')).toBe(1);
  });

  it('leaves commits empty for projects whose history citegraph does not hold', async () => {
    const { person } = await app.execute(PersonId, { name: 'Yangqing Jia' });
    const data = await app.execute(Involvement, { personId: person?.id ?? '' });
    const tensorflow = data.frameworkInvolvement.filter((row) => row.project.slug === 'tensorflow');
    expect(tensorflow.map((row) => row.year)).toEqual([2013, 2014, 2015, 2016]);
    for (const row of tensorflow) expect(row.commits).toBeNull();
    const caffe2013 = data.frameworkInvolvement.find((row) => row.project.slug === 'caffe' && row.year === 2013);
    expect(caffe2013?.commits).toBe(290);
  });

  it('finds him by his name in Chinese too', async () => {
    const data = await app.execute(PersonId, { name: '贾扬清' });
    expect(data.person?.name).toBe('Yangqing Jia');
  });

  it('limits involvement to a year range', async () => {
    const { person } = await app.execute(PersonId, { name: 'Yangqing Jia' });
    const data = await app.execute(Involvement, { personId: person?.id ?? '', from: 2017, to: 2017 });
    expect(new Set(data.frameworkInvolvement.map((row) => row.year))).toEqual(new Set([2017]));
    expect(data.frameworkInvolvement.map((row) => row.project.slug)).toContain('onnx');
  });
});

describe('per-year citation counts', () => {
  it('serve a reported per-year series whose sum plus the unattributed rest is the total', async () => {
    const data = await app.execute(TensorFlowCounts, { doi: 'https://doi.org/10.48550/arXiv.1603.04467' });
    const work = data.work;
    expect(work?.doi).toBe('10.48550/arxiv.1603.04467');
    expect(work?.countBasis.kind).toBe('REPORTED');
    expect(work?.countBasis.reported?.source).toBe('openalex');
    expect(work?.countBasis.hasYearlyCounts).toBe(true);
    const series = work?.citationsByYear ?? [];
    const sum = series.reduce((total, row) => total + row.count, 0);
    expect(sum + (work?.countBasis.citationsWithoutYear ?? 0)).toBe(work?.citationCount);
    // Its first counted year is 2014; the citation OpenAlex gives no year is taken to precede it (sources
    // count recent years only), so from 2014 on every counted citation counts and that one does not.
    expect(series[0]?.year).toBe(2014);
    expect(work?.countBasis.citationsWithoutYear).toBe(1);
    expect(work?.since2014).toBe(sum);
    // From 2013, the window holds part of the years before 2014: whether it holds that citation is open.
    expect(work?.since2013).toBeNull();
    expect(work?.since2020).toBe(series.filter((row) => row.year >= 2020).reduce((total, row) => total + row.count, 0));
    expect(series.map((row) => row.year)).toEqual(
      Array.from({ length: series.length }, (_, index) => (series[0]?.year ?? 0) + index),
    );
    expect(work?.projects.map((project) => project.slug)).toEqual(['tensorflow']);
  });

  it('keep every reported count beside the one used', async () => {
    const data = await app.execute(TensorFlowCounts, { doi: '10.48550/ARXIV.1603.04467' });
    const sources = data.work?.reportedCounts.map((count) => count.source) ?? [];
    expect(sources).toContain('openalex');
    expect(sources).toContain('semantic-scholar');
  });
});
