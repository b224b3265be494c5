import { builder, MAX_PAGE_SIZE } from '../builder.js';
import { matchKey } from '../services/identifiers.js';
import { type CoAuthorRow, zeroFill } from '../services/metrics.js';
import { currentYear } from '../services/periods.js';
import { badInput, checkYears, DatePrecisionEnum, idOf, YearCountRef, yearRange } from './common.js';
import { InvolvementRowRef } from './project.js';

export const PersonNode = builder.prismaNode('Person', {
  id: { field: 'id' },
  // Select mode: a query reads only the columns its fields need.
  select: { id: true },
  nullable: true,
  description: 'One human, whether author or software contributor.',
  fields: (t) => ({
    name: t.exposeString('name'),
    otherNames: t.exposeStringList('otherNames', { description: 'Other spellings and scripts of the name.' }),
    orcid: t.exposeString('orcid', { nullable: true }),
    openalexId: t.exposeString('openalexId', { nullable: true }),
    semanticScholarId: t.exposeString('s2Id', { nullable: true }),
    sources: t.exposeStringList('sources', { description: 'The datasets this person was found in.' }),
    citationsByYear: t.field({
      type: [YearCountRef],
      nullable: true,
      description:
        'Citations received per calendar year, summed over this person\'s works, zero-filled over from..to (default: the first year with citations to the current year). Null when any of the works has no per-year counts (metrics.worksWithoutYearlyCounts > 0): a partial sum would understate the years.',
      args: { from: t.arg.int(), to: t.arg.int() },
      resolve: async (person, args, ctx) => {
        const yearly = await ctx.loaders.personYearly.load(person.id);
        if (yearly.worksWithoutYearlyCounts > 0) return null;
        const range = yearRange(args.from, args.to, [yearly.years[0]?.year ?? currentYear(), currentYear()]);
        return zeroFill(yearly.years, range.from, range.to);
      },
    }),
    coAuthors: t.field({
      type: [CoAuthorRef],
      description: 'People who share works with this person, most shared works first, then by name.',
      args: { first: t.arg.int({ defaultValue: 20, description: '1 to 100.' }) },
      resolve: (person, args, ctx) => {
        const first = args.first ?? 20;
        if (first < 1 || first > MAX_PAGE_SIZE) throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`);
        return ctx.loaders.coAuthors.load({ personId: person.id, first });
      },
    }),
    affiliations: t.relation('affiliations', {
      description: 'Dated timeline of affiliations, earliest first; undated entries last.',
      query: { orderBy: [{ startDate: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }] },
    }),
    contributions: t.relation('contributions', {
      description: 'Dated timeline of roles in software projects, earliest first.',
      query: { orderBy: [{ startDate: 'asc' }, { id: 'asc' }] },
    }),
    reportedMetrics: t.relation('reportedMetrics', {
      description: 'Profile-level figures other services reported for this person (e.g. a Google Scholar total), newest first.',
      query: { orderBy: [{ retrievedOn: 'desc' }, { id: 'desc' }] },
    }),
    frameworkInvolvement: t.field({
      type: [InvolvementRowRef],
      description: 'Same as Query.frameworkInvolvement for this person.',
      args: { from: t.arg.int(), to: t.arg.int() },
      resolve: (person, args, ctx) => ctx.loaders.involvement.load({ personId: person.id, ...checkYears(args.from, args.to) }),
    }),
  }),
});

const CoAuthorRef = builder.objectRef<CoAuthorRow>('CoAuthor');

CoAuthorRef.implement({
  fields: (t) => ({
    // Planned like any person field; Prisma answers a page's co-authors with one statement.
    person: t.prismaField({
      type: PersonNode,
      resolve: (query, coAuthor, _args, ctx) =>
        ctx.prisma.person.findUniqueOrThrow({ ...query, where: { id: coAuthor.coAuthorId } }),
    }),
    worksTogether: t.exposeInt('worksTogether', { description: 'Works both people authored.' }),
  }),
});

builder.prismaObject('PersonReportedMetric', {
  description: 'A figure another service reported for a person as a whole, with where and when.',
  fields: (t) => ({
    source: t.exposeString('source'),
    sourceRecord: t.exposeString('sourceRecord'),
    retrievedOn: t.expose('retrievedOn', { type: 'Date' }),
    retrievedOnPrecision: t.expose('retrievedOnPrecision', { type: DatePrecisionEnum }),
    citationCount: t.exposeInt('citationCount', { nullable: true }),
    hIndex: t.exposeInt('hIndex', { nullable: true }),
    i10Index: t.exposeInt('i10Index', { nullable: true }),
  }),
});

builder.queryFields((t) => ({
  person: t.prismaField({
    type: 'Person',
    nullable: true,
    description: 'One person by id, ORCID or name: the name matches when it equals the person\'s name with case, accents and punctuation ignored, or one of their other names exactly; the lowest id wins when names collide. Null when none matches.',
    args: { id: t.arg.id(), orcid: t.arg.string(), name: t.arg.string() },
    resolve: (query, _root, args, ctx) => {
      const given = [args.id, args.orcid, args.name].filter((value) => value != null);
      if (given.length !== 1) throw badInput('Give exactly one of id, orcid and name.');
      if (args.id != null) return ctx.prisma.person.findUnique({ ...query, where: { id: idOf(String(args.id), 'Person') } });
      if (args.orcid != null) {
        const orcid = args.orcid.trim().replace(/^https?:\/\/orcid\.org\//i, '').toUpperCase();
        return ctx.prisma.person.findUnique({ ...query, where: { orcid } });
      }
      const name = String(args.name).trim();
      return ctx.prisma.person.findFirst({
        ...query,
        where: { OR: [{ nameKey: matchKey(name) }, { otherNames: { has: name } }] },
        orderBy: { id: 'asc' },
      });
    },
  }),
  people: t.prismaConnection(
    {
      type: 'Person',
      cursor: 'id',
      description: 'People whose name contains `search` (case and accents ignored), by name.',
      args: { search: t.arg.string() },
      totalCount: (_root, args, ctx) => ctx.prisma.person.count({ where: peopleWhere(args.search) }),
      resolve: (query, _root, args, ctx) =>
        ctx.prisma.person.findMany({ ...query, where: peopleWhere(args.search), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    },
    { name: 'PersonConnection', description: 'A page of people.' },
    { name: 'PersonEdge' },
  ),
  frameworkInvolvement: t.field({
    type: [InvolvementRowRef],
    description:
      'Framework involvement over time: one row per year and project in which the person held a role (a contribution period touching that year) or made commits, ordered by year, then by when the person first got involved in the project. A period with an open end runs to the current year.',
    args: { personId: t.arg.id({ required: true }), from: t.arg.int(), to: t.arg.int() },
    resolve: (_root, args, ctx) =>
      ctx.loaders.involvement.load({ personId: idOf(String(args.personId), 'Person'), ...checkYears(args.from, args.to) }),
  }),
}));

function peopleWhere(search: string | null | undefined) {
  if (search == null) return {};
  const key = matchKey(search);
  if (key === '') throw badInput('search needs at least one letter or digit.');
  // matchKey keeps only letters and digits, so the LIKE pattern has no wildcard to escape.
  return { nameKey: { contains: key } };
}
