import { parseCursorConnectionArgs } from '@pothos/core';
import { formatPrismaCursor, parsePrismaCursor } from '@pothos/plugin-prisma';
import { builder, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../builder.js';
import { ContributionRole, ProjectKind } from '../generated/prisma/enums.js';
import type { CommitMonth, InvolvementRow, ProjectYear } from '../services/involvement.js';
import type { ContributorRow } from '../services/timelines.js';
import {
  badInput,
  checkYears,
  DatePrecisionEnum,
  idOf,
  isDatabaseInt,
  periodEndFields,
  prismaTotalCount,
} from './common.js';

const ProjectKindEnum = builder.enumType(ProjectKind, {
  name: 'ProjectKind',
  description: 'What a software project is.',
  values: {
    FRAMEWORK: { description: 'A framework others build on, e.g. Caffe or TensorFlow.' },
    LIBRARY: { description: 'A library others call.' },
    FORMAT: { description: 'A file or model format and its tools, e.g. ONNX.' },
  },
});
export const ContributionRoleEnum = builder.enumType(ContributionRole, {
  name: 'ContributionRole',
  description: 'CREATOR started the project; LEAD led it; MAINTAINER kept it; CONTRIBUTOR contributed to it.',
  values: {
    CREATOR: { description: 'Started the project.' },
    LEAD: { description: 'Led the project.' },
    MAINTAINER: { description: 'Maintained the project.' },
    CONTRIBUTOR: { description: 'Contributed to the project, e.g. commits.' },
  },
});

export const ProjectNode = builder.prismaNode('Project', {
  id: { field: 'id' },
  nullable: true,
  description: 'A software project: a framework, library or format.',
  fields: (t) => ({
    slug: t.exposeString('slug', {
      description: 'A short, stable, URL-safe name, unique among projects (e.g. "caffe").',
    }),
    name: t.exposeString('name', { description: 'The name, e.g. "Caffe".' }),
    kind: t.expose('kind', { type: ProjectKindEnum, nullable: true, description: 'Null where no source says.' }),
    description: t.exposeString('description', { nullable: true, description: 'What the project is, in a sentence.' }),
    repositoryUrl: t.exposeString('repositoryUrl', {
      nullable: true,
      description: "The source repository's web address, where known.",
    }),
    startedOn: t.expose('startedOn', { type: 'Date', nullable: true, description: 'First recorded activity.' }),
    startedPrecision: t.expose('startedPrecision', {
      type: DatePrecisionEnum,
      nullable: true,
      description: 'How precisely startedOn is known; null without a startedOn.',
    }),
    source: t.exposeString('source', {
      description: 'The dataset, file or git history the project was recorded from.',
    }),
    contributors: t.connection(
      {
        type: ProjectContributorRef,
        description:
          "The project's contributors, one row per person with a contribution period in the project (every committer has one, derived from the history), ordered by firstActive (their earliest period start), then by person id. With role and/or activeYear, only people with a period that has that role and touches that year (both in the same period); roles and periods still describe all of the person's involvement in the project.",
        args: {
          role: t.arg({ type: ContributionRoleEnum, description: 'Only people who held this role in the project.' }),
          activeYear: t.arg.int({ description: 'Only people with a period that touches this calendar year.' }),
        },
        resolve: async (project, args, ctx) => {
          const page = parseCursorConnectionArgs({ args, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE });
          const { rows, totalCount } = await ctx.loaders.contributorPage.load({
            projectId: project.id,
            role: args.role ?? null,
            activeYear: activeYearOf(args.activeYear),
            after: cursorPersonId(page.after),
            before: cursorPersonId(page.before),
            limit: page.limit,
            inverted: page.inverted,
          });
          const shown = rows.slice(0, page.expectedSize);
          if (page.inverted) shown.reverse();
          const edges = shown.map((row) => ({
            cursor: formatPrismaCursor({ personId: row.personId }, 'personId'),
            node: row,
          }));
          return {
            edges,
            totalCount,
            pageInfo: {
              startCursor: edges[0]?.cursor ?? null,
              endCursor: edges.at(-1)?.cursor ?? null,
              hasPreviousPage: page.hasPreviousPage(rows.length),
              hasNextPage: page.hasNextPage(rows.length),
            },
          };
        },
      },
      {
        name: 'ContributorConnection',
        description: "A page of a project's contributors.",
        fields: (c) => ({
          totalCount: c.int({
            description: 'Distinct people matching the filter.',
            resolve: (connection) => connection.totalCount,
          }),
        }),
      },
      { name: 'ContributorEdge', description: 'A contributor of the project, with its cursor.' },
    ),
    activityByYear: t.field({
      type: [ProjectYearRef],
      description:
        "Commits, lines and distinct active contributors per calendar year of the project's recorded history.",
      resolve: (project, _args, ctx) => ctx.loaders.projectActivity.load(project.id),
    }),
  }),
});

function activeYearOf(year: number | null | undefined): number | null {
  if (year == null) return null;
  checkYears(year, year, ['activeYear', 'activeYear']);
  return year;
}

/** The person id a contributors cursor names (the API checked its shape before execution). */
function cursorPersonId(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  const value = parsePrismaCursor(cursor);
  if (!isDatabaseInt(value)) throw badInput('That is not a cursor this API returned.');
  return value as number;
}

const ProjectContributorRef = builder.objectRef<ContributorRow>('ProjectContributor');

ProjectContributorRef.implement({
  description: "One person's involvement in a project: their roles, their periods and their commits, counted once.",
  fields: (t) => ({
    // Planned like any person field; a page's people come in one statement.
    person: t.prismaField({
      type: 'Person',
      description: 'The contributor.',
      resolve: async (query, row, _args, ctx) => {
        const shape = query.select ? { select: query.select } : { include: query.include ?? {} };
        const person = await ctx.loaders.person.load({ id: row.personId, shape });
        if (!person) throw new Error(`person ${row.personId} of a contributors page is gone`);
        return person;
      },
    }),
    roles: t.field({
      type: [ContributionRoleEnum],
      description: 'Every role the person held in the project, in any period, most senior first.',
      resolve: (row) => row.roles,
    }),
    periods: t.prismaField({
      type: ['Contribution'],
      description: 'Every contribution period of the person in the project, earliest start first.',
      resolve: (query, row, _args, ctx) =>
        ctx.loaders.contributorPeriods.load({
          projectId: row.projectId,
          personId: row.personId,
          shape: query.select ? { select: query.select } : { include: query.include ?? {} },
        }),
    }),
    commits: t.exposeInt('commits', {
      nullable: true,
      description:
        "All commits the person made to the project, from the monthly activity, counted once whatever their roles and periods; null when citegraph holds no activity history for the project. Summed over all contributors, plus the project's commits credited to nobody, it is the total of activityByYear.commits.",
    }),
    firstActive: t.expose('firstActive', {
      type: 'Date',
      description: "The earliest start of the person's periods in the project.",
    }),
    lastActive: t.expose('lastActive', {
      type: 'Date',
      nullable: true,
      description:
        'The last day of the person\'s latest period in the project (the end of its end date\'s month or year; the start for an ended period with no end date); null when a period is still open ("to date").',
    }),
  }),
});

builder.prismaNode('Contribution', {
  id: { field: 'id' },
  nullable: true,
  description: "A person's role in a project over a period, with its evidence.",
  fields: (t) => ({
    person: t.relation('person', { description: 'The contributor.' }),
    project: t.relation('project', { description: 'The project.' }),
    role: t.expose('role', { type: ContributionRoleEnum, description: 'The role held over the period.' }),
    startDate: t.expose('startDate', { type: 'Date', description: 'When the period began.' }),
    startPrecision: t.expose('startPrecision', {
      type: DatePrecisionEnum,
      description: 'How precisely startDate is known.',
    }),
    ...periodEndFields(t),
    commits: t.int({
      nullable: true,
      description:
        'Commits the person made to the project within this period, from the monthly activity; null when citegraph holds no activity history for the project.',
      resolve: (contribution, _args, ctx) => ctx.loaders.contributionCommits.load(contribution.id),
    }),
    source: t.exposeString('source', {
      description: 'The dataset or file the entry came from ("citegraph-api" when recorded through the API).',
    }),
    evidence: t.exposeString('evidence', {
      description: 'What supports the entry, in words: a statement, a quotation or where it was read.',
    }),
  }),
});

const ProjectYearRef = builder.objectRef<ProjectYear>('ProjectYear');

ProjectYearRef.implement({
  description: "One calendar year of a project's recorded history.",
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The calendar year.' }),
    commits: t.exposeInt('commits', {
      description:
        'Commits made that year, including those whose author has no usable name: they count for the project and are credited to nobody.',
    }),
    activeContributors: t.exposeInt('activeContributors', { description: 'Distinct people with a commit that year.' }),
    linesAdded: t.exposeInt('linesAdded', {
      description: 'Lines added that year, by every commit counted in commits.',
    }),
    linesDeleted: t.exposeInt('linesDeleted', { description: 'Lines deleted that year, likewise.' }),
  }),
});

export const InvolvementRowRef = builder.objectRef<InvolvementRow>('InvolvementYear');

InvolvementRowRef.implement({
  description: "One year of one person's involvement in one project.",
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The calendar year.' }),
    project: t.field({ type: ProjectNode, description: 'The project.', resolve: (row) => row.project }),
    roles: t.field({
      type: [ContributionRoleEnum],
      description: 'Roles whose period touches the year, most senior first.',
      resolve: (row) => row.roles,
    }),
    commits: t.exposeInt('commits', {
      nullable: true,
      description: 'Commits made that year; null when citegraph holds no activity history for the project.',
    }),
    linesAdded: t.exposeInt('linesAdded', {
      nullable: true,
      description: 'Lines the commits of that year added; null like commits.',
    }),
    linesDeleted: t.exposeInt('linesDeleted', {
      nullable: true,
      description: 'Lines the commits of that year deleted; null like commits.',
    }),
  }),
});

export const CommitMonthRef = builder.objectRef<CommitMonth>('CommitMonth');

CommitMonthRef.implement({
  description: "One month of one person's commits to one project, from the project's monthly activity.",
  fields: (t) => ({
    project: t.prismaField({
      type: ProjectNode,
      description: 'The project.',
      // Planned like any project field; Prisma answers the rows' projects with one statement.
      resolve: (query, row, _args, ctx) =>
        ctx.prisma.project.findUniqueOrThrow({ ...query, where: { id: row.projectId } }),
    }),
    month: t.field({
      type: 'Date',
      description: 'The month, as its first day (e.g. "2014-06-01").',
      resolve: (row) => row.month,
    }),
    commits: t.exposeInt('commits', { description: 'Commits credited to the person that month (at least one).' }),
    linesAdded: t.exposeInt('linesAdded', { description: 'Lines those commits added.' }),
    linesDeleted: t.exposeInt('linesDeleted', { description: 'Lines those commits deleted.' }),
  }),
});

builder.queryFields((t) => ({
  project: t.prismaField({
    type: 'Project',
    nullable: true,
    description: 'One project by id or slug. Null when none matches.',
    args: {
      id: t.arg.id({ description: 'A Project id. Give exactly one of id and slug.' }),
      slug: t.arg.string({ description: 'The project\'s slug, e.g. "caffe".' }),
    },
    resolve: (query, _root, args, ctx) => {
      if ((args.id == null) === (args.slug == null)) throw badInput('Give exactly one of id and slug.');
      if (args.id != null)
        return ctx.prisma.project.findUnique({ ...query, where: { id: idOf(String(args.id), 'Project') } });
      return ctx.prisma.project.findUnique({ ...query, where: { slug: String(args.slug) } });
    },
  }),
  projects: t.prismaConnection(
    {
      type: 'Project',
      cursor: 'id',
      description: 'All projects, by name.',
      totalCount: (_root, _args, ctx) => ctx.prisma.project.count(),
      resolve: (query, _root, _args, ctx) =>
        ctx.prisma.project.findMany({ ...query, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    },
    {
      name: 'ProjectConnection',
      description: 'A page of projects.',
      fields: (c) => ({ totalCount: prismaTotalCount(c, 'Every project.') }),
    },
    { name: 'ProjectEdge', description: 'A project, with its cursor.' },
  ),
}));
