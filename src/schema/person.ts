import { GraphQLError } from 'graphql';
import { builder, encodeGlobalID, MAX_PAGE_SIZE } from '../builder.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { FieldCost } from '../limits.js';
import { matchKey, normalizeOrcid } from '../services/identifiers.js';
import { type CoAuthorRow, zeroFill } from '../services/metrics.js';
import { currentYear } from '../services/periods.js';
import { badInput, checkYears, DatePrecisionEnum, idOf, prismaTotalCount, YearCountRef, yearRange } from './common.js';
import { CommitMonthRef, InvolvementRowRef } from './project.js';

export const PersonNode = builder.prismaNode('Person', {
  id: { field: 'id' },
  // Select mode: a query reads only the columns its fields need.
  select: { id: true },
  nullable: true,
  description: 'One human, whether author or software contributor.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name citegraph shows; otherNames holds other spellings.' }),
    otherNames: t.exposeStringList('otherNames', { description: 'Other spellings and scripts of the name.' }),
    orcid: t.exposeString('orcid', { nullable: true, description: 'The ORCID iD, as 0000-0002-1825-0097.' }),
    openalexId: t.exposeString('openalexId', { nullable: true, description: 'OpenAlex author id, e.g. A5023888391.' }),
    semanticScholarId: t.exposeString('s2Id', { nullable: true, description: 'Semantic Scholar authorId.' }),
    sources: t.exposeStringList('sources', { description: 'The datasets this person was found in.' }),
    citationsByYear: t.field({
      type: [YearCountRef],
      nullable: true,
      description:
        "Citations received per calendar year, summed over this person's works, zero-filled over from..to (default: the first year with citations to the current year). Null when any of the works has no per-year counts (metrics.worksWithoutYearlyCounts > 0): a partial sum would understate the years.",
      args: {
        from: t.arg.int({ description: 'First year of the series.' }),
        to: t.arg.int({ description: 'Last year of the series.' }),
      },
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
      description:
        'Profile-level figures other services reported for this person (e.g. a Google Scholar total), newest first.',
      query: { orderBy: [{ retrievedOn: 'desc' }, { id: 'desc' }] },
    }),
    frameworkInvolvement: t.field({
      type: [InvolvementRowRef],
      description: 'Same as Query.frameworkInvolvement for this person.',
      args: {
        from: t.arg.int({ description: 'Only years from this one on.' }),
        to: t.arg.int({ description: 'Only years up to this one.' }),
      },
      resolve: (person, args, ctx) =>
        ctx.loaders.involvement.load({ personId: person.id, ...checkYears(args.from, args.to) }),
    }),
    commitsByMonth: t.field({
      type: [CommitMonthRef],
      description:
        "The person's commits per project and month, for commit intensity over time: every month with commits credited to them, by project (in id order), then month. Summed over a year they are frameworkInvolvement's commits for that year and project.",
      args: {
        from: t.arg.int({ description: 'Only months of this year and later.' }),
        to: t.arg.int({ description: 'Only months of this year and earlier.' }),
      },
      resolve: (person, args, ctx) =>
        ctx.loaders.commitMonths.load({ personId: person.id, ...checkYears(args.from, args.to) }),
    }),
  }),
});

const CoAuthorRef = builder.objectRef<CoAuthorRow>('CoAuthor');

CoAuthorRef.implement({
  description: 'A person who shares works with another, and how many.',
  fields: (t) => ({
    // Planned like any person field; Prisma answers a page's co-authors with one statement.
    person: t.prismaField({
      type: PersonNode,
      description: 'The co-author.',
      resolve: (query, coAuthor, _args, ctx) =>
        ctx.prisma.person.findUniqueOrThrow({ ...query, where: { id: coAuthor.coAuthorId } }),
    }),
    worksTogether: t.exposeInt('worksTogether', { description: 'Works both people authored.' }),
  }),
});

builder.prismaObject('PersonReportedMetric', {
  description: 'A figure another service reported for a person as a whole, with where and when.',
  fields: (t) => ({
    source: t.exposeString('source', {
      description: 'The service that reported the figures, and who passed them on, e.g. "google-scholar".',
    }),
    sourceRecord: t.exposeString('sourceRecord', {
      description: "Where in that service the figures stand, e.g. a profile's address.",
    }),
    retrievedOn: t.expose('retrievedOn', { type: 'Date', description: 'When the figures were reported or read.' }),
    retrievedOnPrecision: t.expose('retrievedOnPrecision', {
      type: DatePrecisionEnum,
      description: 'How precisely retrievedOn is known.',
    }),
    citationCount: t.exposeInt('citationCount', {
      nullable: true,
      description: 'Citations the service counted for the person; null when it gave none.',
    }),
    hIndex: t.exposeInt('hIndex', { nullable: true, description: 'The h-index the service gave; null when none.' }),
    i10Index: t.exposeInt('i10Index', {
      nullable: true,
      description: 'The i10-index the service gave (works with at least 10 citations); null when none.',
    }),
  }),
});

builder.queryFields((t) => ({
  person: t.prismaField({
    type: 'Person',
    nullable: true,
    description:
      "One person by id, ORCID or name: the name matches when it equals the person's name with case, accents and punctuation ignored, or one of their other names exactly. Null when none matches. When several people match the name, no one is picked: the field is null with an AMBIGUOUS error whose extensions.candidates list the first 20 of them ({ id, name }, lowest id first) and extensions.count how many match; choose by id, or browse them with people(search:).",
    args: {
      id: t.arg.id({ description: 'A Person id. Give exactly one of id, orcid and name.' }),
      orcid: t.arg.string({ description: 'An ORCID iD, as 0000-0002-1825-0097 or its https://orcid.org/ URL.' }),
      name: t.arg.string({ description: 'A name, matched as the field says.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const given = [args.id, args.orcid, args.name].filter((value) => value != null);
      if (given.length !== 1) throw badInput('Give exactly one of id, orcid and name.');
      if (args.id != null)
        return ctx.prisma.person.findUnique({ ...query, where: { id: idOf(String(args.id), 'Person') } });
      if (args.orcid != null) {
        const orcid = args.orcid
          .trim()
          .replace(/^https?:\/\/orcid\.org\//i, '')
          .toUpperCase();
        return ctx.prisma.person.findUnique({ ...query, where: { orcid } });
      }
      const name = String(args.name).trim();
      const where = { OR: [{ nameKey: matchKey(name) }, { otherNames: { has: name } }] };
      // Two rows at most: one statement answers the usual case, and a second row means ambiguity.
      const [only, another] = await ctx.prisma.person.findMany({ ...query, where, orderBy: { id: 'asc' }, take: 2 });
      if (another) throw await ambiguousName(ctx.prisma, name, where);
      return only ?? null;
    },
  }),
  people: t.prismaConnection(
    {
      type: 'Person',
      cursor: 'id',
      description:
        'People whose name contains `search` (case and accents ignored), by name; or, with `orcids`, the people holding those ORCID iDs, in the order the iDs were given (each person once, where their iD first appears). Give at most one of search and orcids; with neither, everyone by name. With orcids it costs one row per iD beside the page.',
      args: {
        search: t.arg.string({ description: 'Text the name contains, case and accents ignored.' }),
        orcids: t.arg.stringList({
          description: `Up to ${MAX_PAGE_SIZE} ORCID iDs, each as 0000-0002-1825-0097 or its https://orcid.org/ URL. One that is not an ORCID iD (wrong form or check digit) is BAD_USER_INPUT naming it; the connection's unresolved field lists those nobody in citegraph holds.`,
        }),
      },
      extensions: { cost: ((args) => (Array.isArray(args.orcids) ? args.orcids.length : 0)) satisfies FieldCost },
      totalCount: (_root, args, ctx) => {
        const orcids = peopleOrcids(args);
        if (orcids) return ctx.prisma.person.count({ where: { orcid: { in: orcids } } });
        return ctx.prisma.person.count({ where: peopleWhere(args.search) });
      },
      resolve: async (query, _root, args, ctx) => {
        const orcids = peopleOrcids(args);
        if (!orcids) {
          return ctx.prisma.person.findMany({
            ...query,
            where: peopleWhere(args.search),
            orderBy: [{ name: 'asc' }, { id: 'asc' }],
          });
        }
        // At most 100 people: all are read, put in the order asked and paged here.
        const { take, skip, cursor, ...planned } = query;
        // Person plans in select mode; its `orcid` is added to order the rows.
        const shape = planned as { select?: Prisma.PersonSelect; include?: Prisma.PersonInclude };
        const people = await ctx.prisma.person.findMany({
          ...shape,
          ...(shape.select ? { select: { ...shape.select, orcid: true } } : {}),
          where: { orcid: { in: orcids } },
        });
        const order = new Map(orcids.map((orcid, index) => [orcid, index] as const).reverse());
        people.sort((a, b) => (order.get(a.orcid as string) ?? 0) - (order.get(b.orcid as string) ?? 0));
        return pageInOrder(people, { take, skip, cursor: cursor as { id?: number } | undefined });
      },
    },
    {
      name: 'PersonConnection',
      description: 'A page of people.',
      fields: (c) => ({
        totalCount: prismaTotalCount(
          c,
          'People matching search, or holding the orcids given; everyone without either.',
        ),
        unresolved: c.stringList({
          description:
            'The ORCID iDs given in `orcids` that nobody in citegraph holds, as they were given, in their order. Empty without orcids.',
          resolve: async (connection, _args, ctx) => {
            const given = (connection as unknown as { args: { orcids?: readonly string[] | null } }).args.orcids ?? [];
            const orcids = checkOrcids(given);
            const held = await ctx.prisma.person.findMany({
              where: { orcid: { in: orcids } },
              select: { orcid: true },
            });
            const found = new Set(held.map((person) => person.orcid));
            return [...new Set(given.filter((_text, index) => !found.has(orcids[index] as string)))];
          },
        }),
      }),
    },
    { name: 'PersonEdge', description: 'A person, with its cursor.' },
  ),
  frameworkInvolvement: t.field({
    type: [InvolvementRowRef],
    description:
      'Framework involvement over time: one row per year and project in which the person held a role (a contribution period touching that year) or made commits, ordered by year, then by when the person first got involved in the project. A period with an open end runs to the current year.',
    args: {
      personId: t.arg.id({ required: true, description: 'A Person id.' }),
      from: t.arg.int({ description: 'Only years from this one on.' }),
      to: t.arg.int({ description: 'Only years up to this one.' }),
    },
    resolve: (_root, args, ctx) =>
      ctx.loaders.involvement.load({
        personId: idOf(String(args.personId), 'Person'),
        ...checkYears(args.from, args.to),
      }),
  }),
}));

/** The normalized ORCID iDs of `people(orcids:)`, in the order given; null without orcids. */
function peopleOrcids(args: { search?: string | null; orcids?: readonly string[] | null }): string[] | null {
  if (args.orcids == null) return null;
  if (args.search != null) throw badInput('Give at most one of search and orcids.');
  return checkOrcids(args.orcids);
}

function checkOrcids(given: readonly string[]): string[] {
  if (given.length > MAX_PAGE_SIZE)
    throw badInput(`orcids takes at most ${MAX_PAGE_SIZE} ORCID iDs; ${given.length} were given.`);
  return given.map((text, index) => {
    const orcid = normalizeOrcid(text);
    if (!orcid) {
      throw badInput(
        `orcids[${index}]: "${text.slice(0, 100)}" is not an ORCID iD (16 digits as 0000-0002-1825-0097, the last a check digit or X).`,
      );
    }
    return orcid;
  });
}

/**
 * A page of rows already in the connection's order, cut as Prisma cuts a cursor page from a
 * table: `take` rows after the cursor row (skipping it), or for a negative `take` the rows
 * before it, in order. A cursor of a row not in the list gives an empty page.
 */
function pageInOrder<Row extends { id: number }>(
  rows: Row[],
  page: { take: number; skip?: number; cursor?: { id?: number } },
): Row[] {
  const at = page.cursor ? rows.findIndex((row) => row.id === page.cursor?.id) : -1;
  if (page.cursor && at < 0) return [];
  const skip = page.skip ?? 0;
  if (page.take >= 0) {
    const start = page.cursor ? at + skip : 0;
    return rows.slice(start, start + page.take);
  }
  const end = page.cursor ? at - skip + 1 : rows.length;
  return rows.slice(Math.max(0, end + page.take), end);
}

function peopleWhere(search: string | null | undefined) {
  if (search == null) return {};
  const key = matchKey(search);
  if (key === '') throw badInput('search needs at least one letter or digit.');
  // matchKey keeps only letters and digits, so the LIKE pattern has no wildcard to escape.
  return { nameKey: { contains: key } };
}

/** Candidates listed by an AMBIGUOUS answer of person(name:). */
const AMBIGUOUS_CANDIDATES = 20;

async function ambiguousName(
  prisma: PrismaClient,
  name: string,
  where: Prisma.PersonWhereInput,
): Promise<GraphQLError> {
  const [count, candidates] = await Promise.all([
    prisma.person.count({ where }),
    prisma.person.findMany({
      where,
      select: { id: true, name: true },
      orderBy: { id: 'asc' },
      take: AMBIGUOUS_CANDIDATES,
    }),
  ]);
  return new GraphQLError(
    `${count} people match the name ${JSON.stringify(name)}: ask for one by id (extensions.candidates), or list them with people(search:).`,
    {
      extensions: {
        code: 'AMBIGUOUS',
        count,
        candidates: candidates.map((person) => ({ id: encodeGlobalID('Person', person.id), name: person.name })),
      },
    },
  );
}
