import { builder } from '../builder.js';
import { ContributionRole, ProjectKind } from '../generated/prisma/enums.js';
import type { InvolvementRow, ProjectYear } from '../services/involvement.js';
import { periodTouchesYear } from '../services/periods.js';
import { badInput, checkYears, DatePrecisionEnum, idOf, periodEndFields } from './common.js';

const ProjectKindEnum = builder.enumType(ProjectKind, { name: 'ProjectKind' });
export const ContributionRoleEnum = builder.enumType(ContributionRole, {
  name: 'ContributionRole',
  description: 'CREATOR started the project; LEAD led it; MAINTAINER kept it; CONTRIBUTOR contributed to it.',
});

export const ProjectNode = builder.prismaNode('Project', {
  id: { field: 'id' },
  nullable: true,
  description: 'A software project: a framework, library or format.',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: ProjectKindEnum, nullable: true, description: 'Null where no source says.' }),
    description: t.exposeString('description', { nullable: true }),
    repositoryUrl: t.exposeString('repositoryUrl', { nullable: true }),
    startedOn: t.expose('startedOn', { type: 'Date', nullable: true, description: 'First recorded activity.' }),
    startedPrecision: t.expose('startedPrecision', { type: DatePrecisionEnum, nullable: true }),
    source: t.exposeString('source'),
    contributors: t.relatedConnection('contributions', {
      cursor: 'id',
      description: 'Contributions to this project (person, role and period), earliest start first.',
      args: {
        role: t.arg({ type: ContributionRoleEnum }),
        activeYear: t.arg.int({ description: 'Only periods that touch this calendar year.' }),
      },
      totalCount: true,
      query: (args) => ({
        where: { AND: [args.role ? { role: args.role } : {}, activeIn(args.activeYear)] },
        orderBy: [{ startDate: 'asc' }, { id: 'asc' }],
      }),
    }, { name: 'ContributorConnection' }, { name: 'ContributorEdge' }),
    activityByYear: t.field({
      type: [ProjectYearRef],
      description: 'Commits, lines and distinct active contributors per calendar year of the project\'s recorded history.',
      resolve: (project, _args, ctx) => ctx.loaders.projectActivity.load(project.id),
    }),
  }),
});

/** Contributions whose period touches `year` (see services/periods.ts). */
function activeIn(year: number | null | undefined) {
  if (year == null) return {};
  checkYears(year, year, ['activeYear', 'activeYear']);
  return periodTouchesYear(year);
}

builder.prismaNode('Contribution', {
  id: { field: 'id' },
  nullable: true,
  description: 'A person\'s role in a project over a period, with its evidence.',
  fields: (t) => ({
    person: t.relation('person'),
    project: t.relation('project'),
    role: t.expose('role', { type: ContributionRoleEnum }),
    startDate: t.expose('startDate', { type: 'Date' }),
    startPrecision: t.expose('startPrecision', { type: DatePrecisionEnum }),
    ...periodEndFields(t),
    commits: t.int({
      nullable: true,
      description:
        'Commits the person made to the project within this period, from the monthly activity; null when citegraph holds no activity history for the project.',
      resolve: (contribution, _args, ctx) => ctx.loaders.contributionCommits.load(contribution.id),
    }),
    source: t.exposeString('source'),
    evidence: t.exposeString('evidence'),
  }),
});

const ProjectYearRef = builder.objectRef<ProjectYear>('ProjectYear');

ProjectYearRef.implement({
  fields: (t) => ({
    year: t.exposeInt('year'),
    commits: t.exposeInt('commits'),
    activeContributors: t.exposeInt('activeContributors', { description: 'Distinct people with a commit that year.' }),
    linesAdded: t.exposeInt('linesAdded'),
    linesDeleted: t.exposeInt('linesDeleted'),
  }),
});

export const InvolvementRowRef = builder.objectRef<InvolvementRow>('InvolvementYear');

InvolvementRowRef.implement({
  description: 'One year of one person\'s involvement in one project.',
  fields: (t) => ({
    year: t.exposeInt('year'),
    project: t.field({ type: ProjectNode, resolve: (row) => row.project }),
    roles: t.field({
      type: [ContributionRoleEnum],
      description: 'Roles whose period touches the year, most senior first.',
      resolve: (row) => row.roles,
    }),
    commits: t.exposeInt('commits', {
      nullable: true,
      description: 'Commits made that year; null when citegraph holds no activity history for the project.',
    }),
    linesAdded: t.exposeInt('linesAdded', { nullable: true }),
    linesDeleted: t.exposeInt('linesDeleted', { nullable: true }),
  }),
});

builder.queryFields((t) => ({
  project: t.prismaField({
    type: 'Project',
    nullable: true,
    description: 'One project by id or slug. Null when none matches.',
    args: { id: t.arg.id(), slug: t.arg.string() },
    resolve: (query, _root, args, ctx) => {
      if ((args.id == null) === (args.slug == null)) throw badInput('Give exactly one of id and slug.');
      if (args.id != null) return ctx.prisma.project.findUnique({ ...query, where: { id: idOf(String(args.id), 'Project') } });
      return ctx.prisma.project.findUnique({ ...query, where: { slug: String(args.slug) } });
    },
  }),
  projects: t.prismaConnection(
    {
      type: 'Project',
      cursor: 'id',
      description: 'All projects, by name.',
      totalCount: (_root, _args, ctx) => ctx.prisma.project.count(),
      resolve: (query, _root, _args, ctx) => ctx.prisma.project.findMany({ ...query, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    },
    { name: 'ProjectConnection', description: 'A page of projects.' },
    { name: 'ProjectEdge' },
  ),
}));
