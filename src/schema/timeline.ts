import { builder } from '../builder.js';
import type { Affiliation } from '../generated/prisma/client.js';
import type { FieldCost } from '../limits.js';
import type { InvolvementRow } from '../services/involvement.js';
import { currentYear } from '../services/periods.js';
import {
  type AlignBy,
  type ComparisonMetric,
  compareProjects,
  firstPersonYear,
  type ImpactYear,
  type PersonTimelineYear,
  type ProjectSeries,
  personTimeline,
  type SeriesPoint,
  zeroFillImpact,
} from '../services/timelines.js';
import { badInput, idOf, yearRange } from './common.js';
import { PersonNode } from './person.js';
import { InvolvementRowRef, ProjectNode } from './project.js';

/**
 * Framework involvement joined with impact: a project's years of activity and citations, a
 * person's years of roles, affiliations, works and citations, and projects compared aligned at
 * their year 0. Figures come from src/services/timelines.ts.
 */

/** Years assumed for a range whose start is not given (a project's or person's history to date). */
const ASSUMED_YEARS = 60;

/** One point per year of from..to: the range given, or ASSUMED_YEARS up to `to` (or now). */
const yearsCost: FieldCost = (args) => {
  const to = typeof args.to === 'number' ? args.to : currentYear();
  const from = typeof args.from === 'number' ? args.from : to - ASSUMED_YEARS + 1;
  return Math.min(501, Math.max(1, to - from + 1));
};

// ---------------------------------------------------------------------------------------------
// Project.impactTimeline

interface ImpactTimeline {
  from: number;
  to: number;
  years: ImpactYear[];
  contributors: number;
  works: number;
  worksWithoutYearlyCounts: number;
  contributorWorks: number;
  contributorWorksWithoutYearlyCounts: number;
}

const ImpactYearRef = builder.objectRef<ImpactYear>('ProjectImpactYear').implement({
  description:
    "One calendar year of a project: its activity and the citations to its works and to its contributors' works.",
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The calendar year.' }),
    commits: t.exposeInt('commits', {
      description: 'Commits made that year, including those whose author has no name (credited to nobody).',
    }),
    activeContributors: t.exposeInt('activeContributors', { description: 'Distinct people with a commit that year.' }),
    newContributors: t.exposeInt('newContributors', {
      description:
        "People whose first involvement in the project falls in that year: the earlier of their first commit's month and their earliest contribution period start.",
    }),
    citations: t.exposeInt('citations', {
      description:
        "Citations received that year by the project's linked works (Project.works), from their per-year counts (the project_year rollup). Works without per-year counts add nothing (see worksWithoutYearlyCounts).",
    }),
    contributorWorkCitations: t.exposeInt('contributorWorkCitations', {
      description:
        "Citations received that year by the works of the project's contributors: the sum, over the distinct works authored by at least one contributor (a work co-authored by two contributors counts once), of the work's per-year count for that year. Contributors are everyone with a contribution period in the project or a commit to it, whenever they joined. Works without per-year counts add nothing (see contributorWorksWithoutYearlyCounts).",
    }),
  }),
});

const ImpactTimelineRef = builder.objectRef<ImpactTimeline>('ProjectImpactTimeline').implement({
  description: "A project's involvement joined with impact, one row per calendar year of from..to.",
  fields: (t) => ({
    from: t.exposeInt('from', { description: 'First year of the timeline.' }),
    to: t.exposeInt('to', { description: 'Last year of the timeline.' }),
    years: t.field({
      type: [ImpactYearRef],
      description: 'Every year of from..to, ascending; years without activity or citations are zeros.',
      resolve: (timeline) => timeline.years,
    }),
    contributors: t.exposeInt('contributors', {
      description:
        'People counted as contributors: everyone with a contribution period in the project or a commit to it.',
    }),
    works: t.exposeInt('works', { description: "The project's linked works." }),
    worksWithoutYearlyCounts: t.exposeInt('worksWithoutYearlyCounts', {
      description: "The project's linked works that have no per-year citation counts, so are missing from citations.",
    }),
    contributorWorks: t.exposeInt('contributorWorks', {
      description: 'Distinct works authored by at least one contributor.',
    }),
    contributorWorksWithoutYearlyCounts: t.exposeInt('contributorWorksWithoutYearlyCounts', {
      description:
        'Of contributorWorks, those with no per-year citation counts: they are reported here rather than counted in contributorWorkCitations.',
    }),
  }),
});

builder.prismaObjectField(ProjectNode, 'impactTimeline', (t) =>
  t.field({
    type: ImpactTimelineRef,
    description:
      "Framework involvement joined with impact, per calendar year from..to (zero-filled). Defaults: from the project's first activity year (its first commit or earliest contribution period start; the current year when it has neither) to the current year; at most 500 years. Costs one point per year of the range (60 when from is not given).",
    args: {
      from: t.arg.int({ description: 'First year of the timeline.' }),
      to: t.arg.int({ description: 'Last year of the timeline.' }),
    },
    extensions: { cost: yearsCost },
    resolve: async (project, args, ctx) => {
      const impact = await ctx.loaders.projectImpact.load(project.id);
      const range = yearRange(args.from, args.to, [impact.firstActivityYear ?? currentYear(), currentYear()]);
      return { ...impact, ...range, years: zeroFillImpact(impact.years, range.from, range.to) };
    },
  }),
);

// ---------------------------------------------------------------------------------------------
// Query.compareProjects

const AlignByEnum = builder.enumType('ProjectAlignBy', {
  description: 'Which calendar year is year 0 of a project in a comparison.',
  values: {
    FIRST_COMMIT: { description: "The year of the first commit in the project's recorded activity (credited or not)." },
    FIRST_PAPER: { description: "The publication year of the project's earliest linked work (Project.works)." },
  } as const,
});

const ComparisonMetricEnum = builder.enumType('ProjectComparisonMetric', {
  description: 'The per-year value compared.',
  values: {
    COMMITS: { description: 'Commits that year, including those credited to nobody (ProjectImpactYear.commits).' },
    CONTRIBUTORS: { description: 'Distinct people with a commit that year (ProjectImpactYear.activeContributors).' },
    CITATIONS: {
      description: "Citations received that year by the project's linked works (ProjectImpactYear.citations).",
    },
  } as const,
});

const SeriesPointRef = builder.objectRef<SeriesPoint>('ProjectSeriesPoint').implement({
  description: 'One year of a compared project.',
  fields: (t) => ({
    offset: t.exposeInt('offset', { description: 'Years after year 0 (negative before it).' }),
    year: t.exposeInt('year', { description: 'The calendar year: year0 + offset.' }),
    value: t.exposeInt('value', { description: 'The metric that year; 0 in a year without any.' }),
  }),
});

const ProjectSeriesRef = builder.objectRef<ProjectSeries>('ProjectSeries').implement({
  description:
    'One project in a comparison, aligned at its year 0. When the project has no anchor year, every field but project and unknownReason is null and points is empty.',
  fields: (t) => ({
    project: t.prismaField({
      type: 'Project',
      description: 'The project compared.',
      resolve: (query, series, _args, ctx) =>
        ctx.prisma.project.findUniqueOrThrow({ ...query, where: { id: series.projectId } }),
    }),
    year0: t.exposeInt('year0', { nullable: true, description: 'The calendar year of offset 0.' }),
    points: t.field({
      type: [SeriesPointRef],
      description: 'One point per offset from -before to span, ascending.',
      resolve: (series) => series.points,
    }),
    peakOffset: t.exposeInt('peakOffset', {
      nullable: true,
      description: 'The offset (0 or later) with the highest value; the earliest on ties.',
    }),
    peakYear: t.exposeInt('peakYear', { nullable: true, description: 'year0 + peakOffset.' }),
    peakValue: t.exposeInt('peakValue', { nullable: true, description: 'The value at peakOffset.' }),
    growth: t.exposeFloat('growth', {
      nullable: true,
      description:
        'Compound annual growth from year 0 to the peak: (peakValue / value at offset 0)^(1 / peakOffset) − 1, e.g. 0.5 is +50% a year. Null when the peak is year 0 itself or the value at offset 0 is 0.',
    }),
    unknownReason: t.exposeString('unknownReason', {
      nullable: true,
      description: 'Why the project has no series: it has no anchor year for alignBy.',
    }),
  }),
});

/** At most this many projects in one comparison. */
const MAX_COMPARED = 10;

builder.queryField('compareProjects', (t) =>
  t.field({
    type: [ProjectSeriesRef],
    description: `Projects side by side on one metric per year, each aligned at its own year 0 (e.g. Caffe, Caffe2, ONNX, Theano, Torch7 and Keras by first commit). One series per id, in the order given. Costs one point per project and point.`,
    args: {
      ids: t.arg.idList({ required: true, description: `1 to ${MAX_COMPARED} Project ids.` }),
      alignBy: t.arg({
        type: AlignByEnum,
        defaultValue: 'FIRST_COMMIT',
        description: "Which year is each project's year 0.",
      }),
      metric: t.arg({ type: ComparisonMetricEnum, defaultValue: 'COMMITS', description: 'The value compared.' }),
      before: t.arg.int({
        defaultValue: 0,
        description: 'Years before year 0 to include, as negative offsets: 0 to 100.',
      }),
      span: t.arg.int({
        description: "The last offset, 0 to 500. Default: each project's series runs through the current year.",
      }),
    },
    extensions: {
      cost: ((args) => {
        const ids = Array.isArray(args.ids) ? args.ids.length : 1;
        const before = typeof args.before === 'number' ? Math.max(0, args.before) : 0;
        const span = typeof args.span === 'number' ? Math.max(0, args.span) : ASSUMED_YEARS;
        return ids * Math.min(601, before + span + 1);
      }) satisfies FieldCost,
    },
    resolve: async (_root, args, ctx) => {
      if (args.ids.length < 1 || args.ids.length > MAX_COMPARED)
        throw badInput(`Give 1 to ${MAX_COMPARED} project ids; ${args.ids.length} were given.`);
      const before = args.before ?? 0;
      if (before < 0 || before > 100) throw badInput('before must be between 0 and 100.');
      if (args.span != null && (args.span < 0 || args.span > 500)) throw badInput('span must be between 0 and 500.');
      const ids = args.ids.map((id) => idOf(String(id), 'Project'));
      const projects = await ctx.prisma.project.findMany({
        where: { id: { in: ids } },
        select: { id: true, name: true },
      });
      const byId = new Map(projects.map((project) => [project.id, project]));
      const missing = args.ids.filter((_, index) => !byId.has(ids[index] as number));
      if (missing.length > 0) throw badInput(`No project has the id ${String(missing[0])}.`);
      return compareProjects(
        ctx.prisma,
        ids.map((id) => byId.get(id) as { id: number; name: string }),
        {
          alignBy: (args.alignBy ?? 'FIRST_COMMIT') as AlignBy,
          metric: (args.metric ?? 'COMMITS') as ComparisonMetric,
          before,
          span: args.span ?? null,
          currentYear: currentYear(),
        },
      );
    },
  }),
);

// ---------------------------------------------------------------------------------------------
// Person.involvementTimeline

interface PersonTimeline {
  from: number;
  to: number;
  years: PersonTimelineYear[];
  worksWithoutYearlyCounts: number;
}

const PersonTimelineYearRef = builder.objectRef<PersonTimelineYear>('PersonTimelineYear').implement({
  description: 'One calendar year of a person: roles and commits in projects, affiliations, works and citations.',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The calendar year.' }),
    projects: t.field({
      type: [InvolvementRowRef],
      description:
        'Projects in which the person held a role (a contribution period touching the year) or made commits that year, as frameworkInvolvement gives them.',
      resolve: (row): InvolvementRow[] => row.projects,
    }),
    affiliations: t.prismaField({
      type: ['Affiliation'],
      description:
        'Affiliations whose period touches the year (organization, kind, title through each), earliest start first. An open period runs to the current year; undated affiliations are in no year.',
      resolve: async (query, row, _args, ctx) => {
        const shape = query.select ? { select: query.select } : { include: query.include ?? {} };
        const found = await ctx.loaders.affiliation.loadMany(row.affiliations.map((a) => ({ id: a.id, shape })));
        const failed = found.find((entry) => entry instanceof Error);
        if (failed) throw failed;
        return found.filter((entry): entry is Affiliation => entry !== null);
      },
    }),
    worksPublished: t.exposeInt('worksPublished', {
      description: 'Works the person authored with that publication year.',
    }),
    citations: t.exposeInt('citations', {
      description:
        "Citations received that year by the person's works, from their per-year counts (the person_year rollup); works without per-year counts add nothing (see worksWithoutYearlyCounts).",
    }),
  }),
});

const PersonTimelineRef = builder.objectRef<PersonTimeline>('PersonInvolvementTimeline').implement({
  description: "A person's involvement merged year by year: roles, commits, affiliations, works and citations.",
  fields: (t) => ({
    from: t.exposeInt('from', { description: 'First year of the timeline.' }),
    to: t.exposeInt('to', { description: 'Last year of the timeline.' }),
    years: t.field({
      type: [PersonTimelineYearRef],
      description: 'Every year of from..to, ascending; years with nothing have empty lists and zeros.',
      resolve: (timeline) => timeline.years,
    }),
    worksWithoutYearlyCounts: t.exposeInt('worksWithoutYearlyCounts', {
      description: "The person's works with no per-year citation counts, so missing from citations.",
    }),
  }),
});

builder.prismaObjectField(PersonNode, 'involvementTimeline', (t) =>
  t.field({
    type: PersonTimelineRef,
    description:
      "Framework involvement, affiliations, works and citations merged year by year over from..to. Defaults: from the person's earliest dated year (a role, commit, affiliation start or work) to the current year; at most 500 years. Costs one point per year of the range (60 when from is not given).",
    args: {
      from: t.arg.int({ description: 'First year of the timeline.' }),
      to: t.arg.int({ description: 'Last year of the timeline.' }),
    },
    extensions: { cost: yearsCost },
    resolve: async (person, args, ctx) => {
      const [data, involvement] = await Promise.all([
        ctx.loaders.personTimeline.load(person.id),
        ctx.loaders.involvement.load({ personId: person.id, from: null, to: null }),
      ]);
      const first = firstPersonYear(data, involvement) ?? currentYear();
      const range = yearRange(args.from, args.to, [first, Math.max(first, currentYear())]);
      return {
        ...range,
        years: personTimeline(data, involvement, range.from, range.to),
        worksWithoutYearlyCounts: data.worksWithoutYearlyCounts,
      };
    },
  }),
);
