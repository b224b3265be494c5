import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db.js';
import type { TimelineContributorsQuery } from './gql/graphql.js';
import { graphql } from './gql/index.js';
import { cli, emptyDatabase } from './ingest-kit.js';
import { createTestApp, type TestApp } from './kit.js';

/**
 * Framework involvement joined with impact: project timelines, projects compared, a person's
 * timeline and a project's contributors one row per person, each figure recomputed here from
 * the raw tables or from the demo's git-contributions CSV.
 */

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

const thisYear = new Date().getUTCFullYear();

// ---------------------------------------------------------------------------------------------
// The demo's git history, read straight from the CSV

interface GitRow {
  repo: string;
  name: string;
  year: number;
  commits: number;
}

/** RFC 4180 fields of one line: quotes around a field, doubled quotes inside it. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

const gitRows: GitRow[] = (() => {
  const text = readFileSync(new URL('../data/demo/git-contributions-monthly.csv', import.meta.url), 'utf8');
  const [header = '', ...lines] = text.split(/\r?\n/).filter((line) => line !== '');
  const columns = csvFields(header);
  const at = (name: string) => columns.indexOf(name);
  return lines.map((line) => {
    const fields = csvFields(line);
    return {
      repo: fields[at('repo')] ?? '',
      name: fields[at('author_name')] ?? '',
      year: Number(fields[at('year')]),
      commits: Number(fields[at('commits')]),
    };
  });
})();

/** Commits per year of one repository, every row counted (named or not). */
function csvCommitsByYear(repo: string): Map<number, number> {
  const years = new Map<number, number>();
  for (const row of gitRows) if (row.repo === repo) years.set(row.year, (years.get(row.year) ?? 0) + row.commits);
  return years;
}

const REPOS = {
  caffe: 'BVLC/caffe',
  caffe2: 'facebookarchive/caffe2',
  onnx: 'onnx/onnx',
  torch7: 'torch/torch7',
  theano: 'Theano/Theano',
  keras: 'keras-team/keras',
} as const;

// ---------------------------------------------------------------------------------------------
// Documents

const ProjectIds = graphql(`
  query TimelineProjectIds {
    projects(first: 100) { nodes { id slug name repositoryUrl } }
  }
`);

const Impact = graphql(`
  query ProjectImpact($slug: String!, $from: Int, $to: Int) {
    project(slug: $slug) {
      id
      activityByYear { year commits activeContributors }
      impactTimeline(from: $from, to: $to) {
        from
        to
        contributors
        works
        worksWithoutYearlyCounts
        contributorWorks
        contributorWorksWithoutYearlyCounts
        years { year commits activeContributors newContributors citations contributorWorkCitations }
      }
    }
  }
`);

const ImpactPage = graphql(`
  query ImpactPage($first: Int!, $from: Int, $to: Int) {
    projects(first: $first) {
      nodes { slug impactTimeline(from: $from, to: $to) { from years { year commits contributorWorkCitations } } }
    }
  }
`);

const Compare = graphql(`
  query CompareProjects($ids: [ID!]!, $alignBy: ProjectAlignBy, $metric: ProjectComparisonMetric, $before: Int, $span: Int) {
    compareProjects(ids: $ids, alignBy: $alignBy, metric: $metric, before: $before, span: $span) {
      project { slug }
      year0
      points { offset year value }
      peakOffset
      peakYear
      peakValue
      growth
      unknownReason
    }
  }
`);

const Contributors = graphql(`
  query TimelineContributors($slug: String!, $first: Int, $after: String, $last: Int, $before: String, $role: ContributionRole, $activeYear: Int) {
    project(slug: $slug) {
      contributors(first: $first, after: $after, last: $last, before: $before, role: $role, activeYear: $activeYear) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        nodes {
          roles
          commits
          firstActive
          lastActive
          person { id name }
          periods { role startDate endDate isCurrent commits }
        }
      }
    }
  }
`);

const PersonTimeline = graphql(`
  query PersonTimeline($name: String!, $from: Int, $to: Int) {
    person(name: $name) {
      id
      frameworkInvolvement { year project { slug } roles commits }
      involvementTimeline(from: $from, to: $to) {
        from
        to
        worksWithoutYearlyCounts
        years {
          year
          projects { year project { slug } roles commits }
          affiliations { id kind title organization { name } }
          worksPublished
          citations
        }
      }
    }
  }
`);

const PeopleTimelines = graphql(`
  query PeopleTimelines($first: Int!, $from: Int, $to: Int) {
    people(first: $first) {
      nodes { involvementTimeline(from: $from, to: $to) { years { year citations projects { commits } affiliations { organization { name } } } } }
    }
  }
`);

async function projects() {
  const data = await app.execute(ProjectIds);
  return new Map(data.projects.nodes.map((node) => [node.slug, node]));
}

async function projectId(slug: string): Promise<number> {
  const [row] = await app.db.prisma.$queryRawUnsafe<{ id: number }[]>('SELECT id FROM project WHERE slug = $1', slug);
  if (!row) throw new Error(`no project ${slug}`);
  return Number(row.id);
}

// ---------------------------------------------------------------------------------------------

describe('commits without an author name', () => {
  it('count in activityByYear: ONNX 2017 has every commit of the history, credited or not', async () => {
    const expected = csvCommitsByYear(REPOS.onnx);
    const unnamed = gitRows.filter(
      (row) => row.repo === REPOS.onnx && row.year === 2017 && !/[\p{L}\p{N}]/u.test(row.name),
    );
    expect(unnamed.length).toBeGreaterThan(0);
    const data = await app.execute(Impact, { slug: 'onnx' });
    const year2017 = data.project?.activityByYear.find((row) => row.year === 2017);
    expect(year2017?.commits).toBe(expected.get(2017));
    expect(year2017?.commits).toBe(384);
    // Nobody is credited with them: the people's commits fall short by exactly those.
    const [credited] = await app.db.prisma.$queryRawUnsafe<{ commits: number }[]>(
      `SELECT sum(commits)::int AS commits FROM project_activity
       WHERE project_id = $1 AND month >= '2017-01-01' AND month < '2018-01-01'`,
      await projectId('onnx'),
    );
    expect(credited?.commits).toBe((expected.get(2017) ?? 0) - unnamed.reduce((sum, row) => sum + row.commits, 0));
    const people = await app.db.prisma.person.count({ where: { OR: [{ name: '' }, { name: '=' }] } });
    expect(people).toBe(0);
  });

  it('count for all six frameworks: commits per year equal the CSV, every row included', async () => {
    for (const [slug, repo] of Object.entries(REPOS)) {
      const data = await app.execute(Impact, { slug });
      const expected = [...csvCommitsByYear(repo)].sort(([a], [b]) => a - b);
      expect(
        data.project?.activityByYear.map((row) => [row.year, row.commits]),
        slug,
      ).toEqual(expected);
    }
  });

  it('are imported from a contributions file as unattributed activity, the same again on a second import', async () => {
    const db: Db = await emptyDatabase('timelines_import');
    const dir = await mkdtemp(join(tmpdir(), 'citegraph-timelines-'));
    try {
      const header = 'repo,author_name,author_email_domain,year,month,commits,lines_added,lines_deleted,files_changed';
      const onnx = gitRows.filter((row) => row.repo === REPOS.onnx && row.year === 2017);
      const text = readFileSync(new URL('../data/demo/git-contributions-monthly.csv', import.meta.url), 'utf8')
        .split(/\r?\n/)
        .filter((line) => line.startsWith('onnx/onnx,') && /,2017,\d+,/.test(line));
      const file = join(dir, 'onnx-2017.csv');
      await writeFile(file, `${header}\n${text.join('\n')}\n`);
      const first = await cli(db, ['import', 'contributions', file, '--json']);
      expect(first.code).toBe(0);
      expect(first.summary.problems.map((problem) => problem.reason)).toEqual([
        expect.stringMatching(/^2 rows have no author name: counted in the project's activity, credited to nobody$/),
      ]);
      const [totals] = await db.prisma.$queryRawUnsafe<{ credited: number; unattributed: number }[]>(
        `SELECT (SELECT sum(commits)::int FROM project_activity) AS credited,
                (SELECT sum(commits)::int FROM unattributed_activity) AS unattributed`,
      );
      const unnamed = onnx.filter((row) => !/[\p{L}\p{N}]/u.test(row.name)).reduce((sum, row) => sum + row.commits, 0);
      expect(totals?.unattributed).toBe(unnamed);
      expect((totals?.credited ?? 0) + (totals?.unattributed ?? 0)).toBe(
        onnx.reduce((sum, row) => sum + row.commits, 0),
      );
      const again = await cli(db, ['import', 'contributions', file, '--json']);
      expect(again.summary).toMatchObject({ inserted: 0, updated: 0 });
      expect(await db.prisma.unattributedActivity.count()).toBe(2);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a project impact timeline', () => {
  /** The figures recomputed from the raw tables. */
  async function rawImpact(id: number) {
    const contributions = await app.db.prisma.contribution.findMany({ where: { projectId: id } });
    const activity = await app.db.prisma.projectActivity.findMany({ where: { projectId: id } });
    const unattributed = await app.db.prisma.unattributedActivity.findMany({ where: { projectId: id } });
    const first = new Map<number, number>();
    const seen = (person: number, year: number) => first.set(person, Math.min(first.get(person) ?? year, year));
    for (const c of contributions) seen(c.personId, c.startDate.getUTCFullYear());
    for (const a of activity) seen(a.personId, a.month.getUTCFullYear());
    const commits = new Map<number, number>();
    const active = new Map<number, Set<number>>();
    for (const a of [...activity, ...unattributed]) {
      const year = a.month.getUTCFullYear();
      commits.set(year, (commits.get(year) ?? 0) + a.commits);
    }
    for (const a of activity) {
      const year = a.month.getUTCFullYear();
      active.set(year, (active.get(year) ?? new Set()).add(a.personId));
    }
    const newcomers = new Map<number, number>();
    for (const year of first.values()) newcomers.set(year, (newcomers.get(year) ?? 0) + 1);
    const authored = await app.db.prisma.authorship.findMany({
      where: { personId: { in: [...first.keys()] } },
      select: { workId: true },
    });
    const contributorWorks = [...new Set(authored.map((a) => a.workId))];
    const contributorYearly = await app.db.prisma.workYearlyCount.findMany({
      where: { workId: { in: contributorWorks } },
    });
    const contributorCitations = new Map<number, number>();
    for (const y of contributorYearly)
      contributorCitations.set(y.year, (contributorCitations.get(y.year) ?? 0) + y.count);
    const links = await app.db.prisma.workProject.findMany({ where: { projectId: id }, select: { workId: true } });
    const ownYearly = await app.db.prisma.workYearlyCount.findMany({
      where: { workId: { in: links.map((l) => l.workId) } },
    });
    const citations = new Map<number, number>();
    for (const y of ownYearly) citations.set(y.year, (citations.get(y.year) ?? 0) + y.count);
    const withoutYearly = async (ids: number[]) =>
      app.db.prisma.work.count({ where: { id: { in: ids }, hasYearlyCounts: false } });
    return {
      firstYear: Math.min(...first.values(), ...commits.keys()),
      commits,
      active,
      newcomers,
      contributors: first.size,
      contributorCitations,
      citations,
      contributorWorks: contributorWorks.length,
      contributorWorksWithoutYearlyCounts: await withoutYearly(contributorWorks),
      works: links.length,
      worksWithoutYearlyCounts: await withoutYearly(links.map((l) => l.workId)),
    };
  }

  it("gives Caffe's years from its first activity to now, each figure as the raw tables and the CSV have it", async () => {
    const data = await app.execute(Impact, { slug: 'caffe' });
    const timeline = data.project?.impactTimeline;
    const raw = await rawImpact(await projectId('caffe'));
    const csv = csvCommitsByYear(REPOS.caffe);
    expect(timeline?.from).toBe(Math.min(...csv.keys()));
    expect(timeline?.from).toBe(raw.firstYear);
    expect(timeline?.to).toBe(thisYear);
    expect(timeline?.years.map((row) => row.year)).toEqual(
      Array.from({ length: thisYear - (timeline?.from ?? 0) + 1 }, (_, i) => (timeline?.from ?? 0) + i),
    );
    for (const row of timeline?.years ?? []) {
      expect(row.commits, `${row.year}`).toBe(csv.get(row.year) ?? 0);
      expect(row.activeContributors, `${row.year}`).toBe(raw.active.get(row.year)?.size ?? 0);
      expect(row.newContributors, `${row.year}`).toBe(raw.newcomers.get(row.year) ?? 0);
      expect(row.citations, `${row.year}`).toBe(raw.citations.get(row.year) ?? 0);
      expect(row.contributorWorkCitations, `${row.year}`).toBe(raw.contributorCitations.get(row.year) ?? 0);
    }
    expect(timeline).toMatchObject({
      contributors: raw.contributors,
      works: raw.works,
      worksWithoutYearlyCounts: raw.worksWithoutYearlyCounts,
      contributorWorks: raw.contributorWorks,
      contributorWorksWithoutYearlyCounts: raw.contributorWorksWithoutYearlyCounts,
    });
    // Every contributor is new once; the citations of Jia's works make the contributors' figure non-zero.
    expect(timeline?.years.reduce((sum, row) => sum + row.newContributors, 0)).toBe(raw.contributors);
    expect(timeline?.years.some((row) => row.contributorWorkCitations > 0)).toBe(true);
    expect(timeline?.contributorWorks).toBeGreaterThan(0);
  });

  it('counts a work co-authored by two contributors once, and zero-fills a range outside the history', async () => {
    // Caffe's own paper has several Caffe contributors among its authors: it counts once.
    const id = await projectId('caffe');
    const [shared] = await app.db.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM (
         SELECT a.work_id FROM authorship a
         WHERE a.person_id IN (SELECT person_id FROM contribution WHERE project_id = $1)
         GROUP BY a.work_id HAVING count(*) > 1) shared`,
      id,
    );
    expect(shared?.n).toBeGreaterThan(0);
    const data = await app.execute(Impact, { slug: 'caffe', from: 1990, to: 1995 });
    expect(data.project?.impactTimeline.years).toEqual(
      [1990, 1991, 1992, 1993, 1994, 1995].map((year) => ({
        year,
        commits: 0,
        activeContributors: 0,
        newContributors: 0,
        citations: 0,
        contributorWorkCitations: 0,
      })),
    );
  });

  it('refuses a range of more than 500 years or one that ends before it starts', async () => {
    for (const range of ['from: 1200, to: 2000', 'from: 2015, to: 2014']) {
      const response = await app.post({ query: `{ project(slug: "caffe") { impactTimeline(${range}) { from } } }` });
      expect(response.body.errors?.[0]?.extensions?.code, range).toBe('BAD_USER_INPUT');
    }
  });

  it('costs one point per year of the range', async () => {
    const cost = async (range: string) =>
      (await app.post({ query: `{ project(slug: "caffe") { impactTimeline(${range}) { from } } }` })).body.extensions
        .cost.nodes as number;
    expect((await cost('from: 2000, to: 2019')) - (await cost('from: 2010, to: 2019'))).toBe(10);
    expect((await cost('from: 2000, to: 2499')) - (await cost('from: 2000, to: 2000'))).toBe(499);
  });

  it('sends the same SQL whatever the number of projects or years', async () => {
    await app.execute(ImpactPage, { first: 2, from: 2015, to: 2015 });
    const small = app.statements();
    await app.execute(ImpactPage, { first: 8, from: 1600, to: 2099 });
    expect(app.statements()).toBe(small);
    // The projects page, then one statement for all their timelines.
    expect(small).toBe(2);
  });
});

describe('projects compared', () => {
  it('aligns the six frameworks at their first commit, each series as the CSV has it, with its peak and growth', async () => {
    const byslug = await projects();
    const slugs = Object.keys(REPOS) as (keyof typeof REPOS)[];
    const ids = slugs.map((slug) => byslug.get(slug)?.id ?? '');
    const data = await app.execute(Compare, { ids, alignBy: 'FIRST_COMMIT', metric: 'COMMITS' });
    expect(data.compareProjects.map((series) => series.project.slug)).toEqual(slugs);
    for (const [index, series] of data.compareProjects.entries()) {
      const slug = slugs[index] as keyof typeof REPOS;
      const csv = csvCommitsByYear(REPOS[slug]);
      const year0 = Math.min(...csv.keys());
      expect(series.year0, slug).toBe(year0);
      expect(series.unknownReason).toBeNull();
      expect(series.points.map((point) => point.offset)).toEqual(
        Array.from({ length: thisYear - year0 + 1 }, (_, i) => i),
      );
      for (const point of series.points) {
        expect(point.year).toBe(year0 + point.offset);
        expect(point.value, `${slug} ${point.year}`).toBe(csv.get(point.year) ?? 0);
      }
      const peak = Math.max(...csv.values());
      const peakYear = Math.min(...[...csv].filter(([, commits]) => commits === peak).map(([year]) => year));
      expect(series).toMatchObject({ peakValue: peak, peakYear, peakOffset: peakYear - year0 });
      const start = csv.get(year0) ?? 0;
      if (peakYear === year0 || start === 0) expect(series.growth).toBeNull();
      else expect(series.growth).toBeCloseTo((peak / start) ** (1 / (peakYear - year0)) - 1, 10);
    }
    // Caffe (2013) peaked before Caffe2 (2015) began; Keras's history runs on to 2026.
    const caffe = data.compareProjects[0];
    expect(caffe?.year0).toBe(2013);
  });

  it('aligns by first paper, saying why a project without a linked paper has no series', async () => {
    const byslug = await projects();
    const ids = ['caffe', 'onnx', 'theano'].map((slug) => byslug.get(slug)?.id ?? '');
    const data = await app.execute(Compare, { ids, alignBy: 'FIRST_PAPER', metric: 'CITATIONS', before: 2, span: 5 });
    const [caffe, onnx, theano] = data.compareProjects;
    const paperYear = async (slug: string) => {
      const [row] = await app.db.prisma.$queryRawUnsafe<{ year: number | null }[]>(
        `SELECT min(w.publication_year) AS year FROM work_project l JOIN work w ON w.id = l.work_id WHERE l.project_id = $1`,
        await projectId(slug),
      );
      return row?.year ?? null;
    };
    expect(caffe?.year0).toBe(await paperYear('caffe'));
    expect(theano?.year0).toBe(await paperYear('theano'));
    expect(await paperYear('onnx')).toBeNull();
    expect(onnx).toMatchObject({ year0: null, points: [], peakValue: null, growth: null });
    expect(onnx?.unknownReason).toBe('ONNX has no linked work with a publication year, so it has no first-paper year.');
    // CITATIONS is the impact timeline's citations; offsets -2..5.
    const timeline = await app.execute(Impact, {
      slug: 'caffe',
      from: (caffe?.year0 ?? 0) - 2,
      to: (caffe?.year0 ?? 0) + 5,
    });
    expect(caffe?.points.map((point) => point.offset)).toEqual([-2, -1, 0, 1, 2, 3, 4, 5]);
    expect(caffe?.points.map((point) => point.value)).toEqual(
      timeline.project?.impactTimeline.years.map((row) => row.citations),
    );
  });

  it('compares distinct committers per year with CONTRIBUTORS', async () => {
    const byslug = await projects();
    const data = await app.execute(Compare, { ids: [byslug.get('torch7')?.id ?? ''], metric: 'CONTRIBUTORS', span: 3 });
    const impact = await app.execute(Impact, { slug: 'torch7' });
    const years = impact.project?.impactTimeline.years ?? [];
    expect(data.compareProjects[0]?.points.map((point) => point.value)).toEqual(
      years.slice(0, 4).map((row) => row.activeContributors),
    );
  });

  it('refuses no ids, more than ten, ids of other types, unknown projects and offsets out of range', async () => {
    const byslug = await projects();
    const caffe = byslug.get('caffe')?.id ?? '';
    const work = Buffer.from('Work:1').toString('base64url');
    const unknown = Buffer.from('Project:2147483647').toString('base64url');
    for (const [args, message] of [
      ['ids: []', /Give 1 to 10 project ids; 0 were given/],
      [`ids: [${Array(11).fill(`"${caffe}"`).join(', ')}]`, /Give 1 to 10 project ids; 11 were given/],
      [`ids: ["${work}"]`, /Expected a Project id, got a Work id/],
      [`ids: ["${unknown}"]`, /No project has the id/],
      [`ids: ["${caffe}"], before: -1`, /before must be between 0 and 100/],
      [`ids: ["${caffe}"], span: 501`, /span must be between 0 and 500/],
    ] as const) {
      const response = await app.post({ query: `{ compareProjects(${args}) { year0 } }` });
      expect(response.body.errors?.[0]?.extensions?.code, args).toBe('BAD_USER_INPUT');
      expect(response.body.errors?.[0]?.message, args).toMatch(message);
    }
  });

  it('costs one point per project and offset, and sends the same SQL for 2 or 6 projects', async () => {
    const byslug = await projects();
    const ids = Object.keys(REPOS).map((slug) => byslug.get(slug)?.id ?? '');
    const cost = async (count: number, span: number) =>
      (
        await app.post({
          query: 'query ($ids: [ID!]!, $span: Int) { compareProjects(ids: $ids, span: $span) { year0 } }',
          variables: { ids: ids.slice(0, count), span },
        })
      ).body.extensions.cost.nodes as number;
    expect((await cost(6, 9)) - (await cost(3, 9))).toBe(3 * 10);
    expect((await cost(2, 19)) - (await cost(2, 9))).toBe(2 * 10);
    await app.execute(Compare, { ids: ids.slice(0, 2) });
    const small = app.statements();
    await app.execute(Compare, { ids, span: 500, before: 100 });
    expect(app.statements()).toBe(small);
    // The projects checked, the series, and the listed projects.
    expect(small).toBe(3);
  });
});

type ContributorNode = NonNullable<TimelineContributorsQuery['project']>['contributors']['nodes'][number];

describe("a project's contributors", () => {
  async function allPages(slug: string, vars: { role?: 'CREATOR'; activeYear?: number } = {}) {
    const nodes: ContributorNode[] = [];
    let after: string | null | undefined = null;
    let total = 0;
    do {
      const data: TimelineContributorsQuery = await app.execute(Contributors, { slug, first: 100, after, ...vars });
      const page = data.project?.contributors;
      nodes.push(...(page?.nodes ?? []));
      total = page?.totalCount ?? 0;
      after = page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return { nodes, total };
  }

  it('lists each person once with their commits counted once, which add up to activityByYear', async () => {
    for (const slug of ['caffe', 'onnx'] as const) {
      const { nodes, total } = await allPages(slug);
      const id = await projectId(slug);
      const people = await app.db.prisma.contribution.groupBy({ by: ['personId'], where: { projectId: id } });
      expect(total, slug).toBe(people.length);
      expect(nodes.length).toBe(total);
      expect(new Set(nodes.map((node) => node.person.id)).size).toBe(total);
      const impact = await app.execute(Impact, { slug });
      const allCommits = impact.project?.activityByYear.reduce((sum, row) => sum + row.commits, 0) ?? 0;
      const unattributed = await app.db.prisma.unattributedActivity.aggregate({
        where: { projectId: id },
        _sum: { commits: true },
      });
      const credited = nodes.reduce((sum, node) => sum + (node.commits ?? 0), 0);
      expect(credited + (unattributed._sum.commits ?? 0), slug).toBe(allCommits);
      // Ordered by first start, then by person.
      const keys = nodes.map((node) => node.firstActive);
      expect(keys).toEqual([...keys].sort());
      for (const node of nodes) {
        expect(node.firstActive).toBe([...node.periods.map((period) => period.startDate)].sort()[0]);
        expect(new Set(node.periods.map((period) => period.role))).toEqual(new Set(node.roles));
      }
    }
  });

  it("counts Jia's Caffe commits once though he holds two roles there", async () => {
    const { nodes } = await allPages('caffe', { role: 'CREATOR' });
    expect(nodes.map((node) => node.person.name)).toEqual(['Yangqing Jia']);
    const jia = nodes[0];
    expect(jia?.roles).toEqual(['CREATOR', 'CONTRIBUTOR']);
    const [raw] = await app.db.prisma.$queryRawUnsafe<{ commits: number }[]>(
      `SELECT sum(a.commits)::int AS commits FROM project_activity a JOIN person p ON p.id = a.person_id
       WHERE p.name = 'Yangqing Jia' AND a.project_id = $1`,
      await projectId('caffe'),
    );
    expect(jia?.commits).toBe(raw?.commits);
    const csv = gitRows
      .filter((row) => row.repo === REPOS.caffe && row.name === 'Yangqing Jia')
      .reduce((sum, row) => sum + row.commits, 0);
    expect(jia?.commits).toBe(csv);
    // Each period's commits add up to more: the periods overlap.
    expect((jia?.periods ?? []).reduce((sum, period) => sum + (period.commits ?? 0), 0)).toBeGreaterThan(csv);
    expect(jia?.lastActive).toBe('2015-03-31');
  });

  it('keeps the activeYear filter: people with a period touching the year, counted as people', async () => {
    const { nodes, total } = await allPages('caffe', { activeYear: 2016 });
    const [raw] = await app.db.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(DISTINCT person_id)::int AS n FROM contribution
       WHERE project_id = $1 AND start_date < '2017-01-01'
         AND (end_date >= '2016-01-01' OR (end_date IS NULL AND NOT ended)
              OR (end_date IS NULL AND ended AND start_date >= '2016-01-01'))`,
      await projectId('caffe'),
    );
    expect(total).toBe(raw?.n);
    expect(nodes.length).toBe(total);
  });

  it('pages backwards to the same rows it pages forwards', async () => {
    const forward = await app.execute(Contributors, { slug: 'caffe', first: 7 });
    const page = forward.project?.contributors;
    const next = await app.execute(Contributors, { slug: 'caffe', first: 3, after: page?.pageInfo.endCursor });
    const back = await app.execute(Contributors, {
      slug: 'caffe',
      last: 4,
      before: next.project?.contributors.pageInfo.startCursor,
    });
    expect(back.project?.contributors.nodes.map((node) => node.person.id)).toEqual(
      page?.nodes.slice(3).map((node) => node.person.id),
    );
    expect(back.project?.contributors.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  it('sends the same SQL whatever the page size', async () => {
    await app.execute(Contributors, { slug: 'keras', first: 3 });
    const small = app.statements();
    await app.execute(Contributors, { slug: 'keras', first: 100 });
    expect(app.statements()).toBe(small);
    // The project; the page with its commits and count; its people; their periods; the periods' commits.
    expect(small).toBe(5);
  });
});

describe("a person's involvement timeline", () => {
  it("merges Jia's roles, commits, affiliations, works and citations year by year, as the raw tables have them", async () => {
    const data = await app.execute(PersonTimeline, { name: 'Yangqing Jia' });
    const person = data.person;
    const timeline = person?.involvementTimeline;
    const personId = Number(
      Buffer.from(person?.id ?? '', 'base64url')
        .toString()
        .split(':')[1],
    );
    const works = await app.db.prisma.work.findMany({
      where: { authorships: { some: { personId } } },
      select: { id: true, publicationYear: true, hasYearlyCounts: true },
    });
    const yearly = await app.db.prisma.workYearlyCount.findMany({ where: { workId: { in: works.map((w) => w.id) } } });
    const affiliations = await app.db.prisma.affiliation.findMany({ where: { personId } });
    const involvementYears = person?.frameworkInvolvement.map((row) => row.year) ?? [];
    const first = Math.min(
      ...involvementYears,
      ...works.flatMap((w) => (w.publicationYear ? [w.publicationYear] : [])),
      ...affiliations.flatMap((a) => (a.startDate ? [a.startDate.getUTCFullYear()] : [])),
    );
    expect(timeline?.from).toBe(first);
    expect(timeline?.to).toBe(thisYear);
    expect(timeline?.worksWithoutYearlyCounts).toBe(works.filter((w) => !w.hasYearlyCounts).length);
    for (const row of timeline?.years ?? []) {
      expect(row.projects, `${row.year}`).toEqual(person?.frameworkInvolvement.filter((r) => r.year === row.year));
      expect(row.worksPublished, `${row.year}`).toBe(works.filter((w) => w.publicationYear === row.year).length);
      expect(row.citations, `${row.year}`).toBe(
        yearly.filter((y) => y.year === row.year).reduce((sum, y) => sum + y.count, 0),
      );
      const touching = affiliations.filter((a) => {
        if (!a.startDate || a.startDate.getUTCFullYear() > row.year) return false;
        const last = a.endDate ? a.endDate.getUTCFullYear() : a.ended ? a.startDate.getUTCFullYear() : thisYear;
        return last >= row.year;
      });
      expect(row.affiliations.map((a) => a.organization.name).sort(), `${row.year}`).toEqual(
        touching.map((a) => affiliationsOrg.get(a.organizationId)).sort(),
      );
    }
    const y2016 = timeline?.years.find((row) => row.year === 2016);
    expect(y2016?.projects.map((row) => row.project.slug)).toContain('caffe2');
    expect(timeline?.years.some((row) => row.affiliations.some((a) => a.organization.name === 'Google'))).toBe(true);
  });

  let affiliationsOrg = new Map<number, string>();
  beforeAll(async () => {
    const organizations = await app.db.prisma.organization.findMany({ select: { id: true, name: true } });
    affiliationsOrg = new Map(organizations.map((o) => [o.id, o.name]));
  });

  it('zero-fills a range given, and costs one point per year', async () => {
    const data = await app.execute(PersonTimeline, { name: 'Yangqing Jia', from: 1900, to: 1902 });
    expect(data.person?.involvementTimeline.years).toEqual(
      [1900, 1901, 1902].map((year) => ({ year, projects: [], affiliations: [], worksPublished: 0, citations: 0 })),
    );
    const cost = async (range: string) =>
      (await app.post({ query: `{ person(name: "Yangqing Jia") { involvementTimeline(${range}) { from } } }` })).body
        .extensions.cost.nodes as number;
    expect((await cost('from: 1900, to: 1999')) - (await cost('from: 1900, to: 1949'))).toBe(50);
  });

  it('sends the same SQL whatever the number of people or years', async () => {
    await app.execute(PeopleTimelines, { first: 2, from: 2015, to: 2015 });
    const small = app.statements();
    await app.execute(PeopleTimelines, { first: 8, from: 1800, to: 2099 });
    expect(app.statements()).toBe(small);
  });
});
