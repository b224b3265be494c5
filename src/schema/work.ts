import { prismaConnectionHelpers } from '@pothos/plugin-prisma';
import { builder, MAX_PAGE_SIZE } from '../builder.js';
import type { Prisma } from '../generated/prisma/client.js';
import { WorkType } from '../generated/prisma/enums.js';
import { exportSelection, exportWorkOf } from '../export/works.js';
import { toBibtex, toCslJson, toRis } from '../export/formats.js';
import type { Context } from '../context.js';
import type { CitationDirection } from '../services/citations.js';
import { citationsSince } from '../services/counts.js';
import { normalizeDoi, shortOpenalexId } from '../services/identifiers.js';
import { zeroFill } from '../services/metrics.js';
import { currentYear } from '../services/periods.js';
import { topCitedSince, type WorkFilter, workWhere } from '../services/works.js';
import { withNodes } from './selections.js';
import { badInput, checkSince, checkYears, idOf, OrderDirection, YearCountRef, yearRange } from './common.js';
import { PersonNode } from './person.js';
import { ProjectNode } from './project.js';

export const WorkTypeEnum = builder.enumType(WorkType, { name: 'WorkType' });

const ReportedCountRef = builder.prismaObject('ReportedCount', {
  description: 'A citation total, and per-year counts where given, as a source reported them on a date.',
  fields: (t) => ({
    source: t.exposeString('source', { description: 'The dataset that reported the figure.' }),
    sourceRecord: t.exposeString('sourceRecord', { description: 'Where in that dataset the figure stands.' }),
    retrievedOn: t.expose('retrievedOn', { type: 'Date', description: 'When the source computed or published the figure.' }),
    total: t.exposeInt('total'),
    hasYearlyCounts: t.boolean({
      select: { _count: { select: { years: true } } },
      resolve: (count) => count._count.years > 0,
    }),
  }),
});

const CountBasisKind = builder.enumType('CountBasisKind', {
  values: {
    REPORTED: { description: 'A total (and per-year counts where given) reported by a source.' },
    CITATION_EDGES: { description: 'Counted from the citation edges stored in citegraph, by the citing work\'s year.' },
  } as const,
});

/** A variant of Work: its count fields, planned into the work's own query. */
const CountBasisRef = builder.prismaObject('Work', {
  variant: 'CitationCountBasis',
  description:
    "Where a work's citation figures come from. A work's basis is one of its reported counts (one with per-year counts first, then the most recent retrieval) or, when no source reported a count, the citation edges stored here. Every figure of the work (citationCount, citationsByYear, since-counts) uses this one basis.",
  fields: (t) => ({
    kind: t.field({
      type: CountBasisKind,
      select: { countBasisId: true },
      resolve: (work) => (work.countBasisId === null ? 'CITATION_EDGES' : 'REPORTED'),
    }),
    reported: t.relation('countBasis', { nullable: true, description: 'The reported count used, when kind is REPORTED.' }),
    hasYearlyCounts: t.exposeBoolean('hasYearlyCounts', {
      description: 'Whether per-year counts exist. Without them citationsByYear and every since-figure are null.',
    }),
    citationsWithoutYear: t.int({
      nullable: true,
      description:
        "citationCount minus the sum of all per-year counts: citations the basis does not assign to a year (e.g. years before a source's per-year coverage, or citing works with no year). Null without per-year counts.",
      select: { id: true, citationCount: true, hasYearlyCounts: true },
      resolve: async (work, _args, ctx) => {
        if (!work.hasYearlyCounts) return null;
        const years = await ctx.loaders.workYearly.load(work.id);
        return work.citationCount - years.reduce((sum, row) => sum + row.count, 0);
      },
    }),
  }),
});

export const WorkNode = builder.prismaNode('Work', {
  id: { field: 'id' },
  // Select mode: a query reads only the columns its fields need (24 columns otherwise).
  select: { id: true },
  nullable: true,
  description: 'A paper or other citable output.',
  fields: (t) => ({
    title: t.exposeString('title', { nullable: true }),
    doi: t.exposeString('doi', { nullable: true, description: 'The DOI, normalized: no resolver prefix, lower case.' }),
    openalexId: t.exposeString('openalexId', { nullable: true, description: 'OpenAlex work id, e.g. W2271840356.' }),
    semanticScholarId: t.exposeString('s2Id', { nullable: true, description: 'Semantic Scholar paperId.' }),
    arxivId: t.exposeString('arxivId', { nullable: true }),
    publicationYear: t.exposeInt('publicationYear', { nullable: true }),
    publicationDate: t.expose('publicationDate', { type: 'Date', nullable: true }),
    type: t.expose('type', { type: WorkTypeEnum, nullable: true, description: 'Null where no source gives one.' }),
    venue: t.exposeString('venue', { nullable: true }),
    semanticScholarCorpusId: t.exposeInt('s2CorpusId', { nullable: true, description: 'Semantic Scholar corpusId.' }),
    volume: t.exposeString('volume', { nullable: true }),
    issue: t.exposeString('issue', { nullable: true }),
    pages: t.exposeString('pages', { nullable: true, description: 'A page or page range, e.g. "675-678".' }),
    publisher: t.exposeString('publisher', { nullable: true }),
    url: t.exposeString('url', { nullable: true, description: "The work's own web address, where a source gives one." }),
    citationKey: t.exposeString('citationKey', {
      nullable: true,
      description: 'The citation key a BibTeX or CSL-JSON import gave the work; exports keep it.',
    }),
    sources: t.exposeStringList('sources', {
      description:
        'The datasets this record was built from. Empty for a work known only as a reference of another (it holds just the identifiers the citing record gave).',
    }),
    bibtex: t.string({
      description:
        'The work as a BibTeX entry (UTF-8; biblatex and biber read it). The key is citationKey, or first author, year and first title word.',
      select: exportSelection,
      resolve: (work) => toBibtex(exportWorkOf(work)),
    }),
    cslJson: t.field({
      type: 'JSON',
      description: 'The work as a CSL-JSON item, as citeproc-js, Zotero and Pandoc read it.',
      select: exportSelection,
      resolve: (work) => toCslJson(exportWorkOf(work)),
    }),
    ris: t.string({
      description: 'The work as an RIS record (TY … ER), as EndNote, Mendeley and Zotero read it.',
      select: exportSelection,
      resolve: (work) => toRis(exportWorkOf(work)),
    }),

    authors: t.field({
      type: [PersonNode],
      description: 'The authors, in author order.',
      select: (_args, _ctx, nestedSelection) => ({
        authorships: { orderBy: { position: 'asc' }, select: { person: nestedSelection(true) } },
      }),
      resolve: (work) => work.authorships.map((authorship) => authorship.person),
    }),
    authorships: t.relation('authorships', {
      description: 'Author order and the affiliation printed on this work.',
      query: { orderBy: { position: 'asc' } },
    }),
    citationCount: t.int({
      nullable: true,
      description:
        "Citations received, under the work's count basis (see countBasis). With `since`: the citations received in years >= since. A work is not cited before it appears, so when since is at or before both its publication year and the first year of its per-year counts, that is its whole citationCount; otherwise it is the sum of the per-year counts for years >= since (countBasis.citationsWithoutYear are then not counted). Null when the basis has no per-year counts (countBasis.hasYearlyCounts is false): the figure is unknown.",
      args: { since: t.arg.int({ description: 'First year counted.' }) },
      select: { id: true, citationCount: true, hasYearlyCounts: true, publicationYear: true },
      resolve: async (work, args, ctx) => {
        const since = checkSince(args.since);
        if (since === null) return work.citationCount;
        if (!work.hasYearlyCounts) return null;
        return citationsSince(work, await ctx.loaders.workYearly.load(work.id), since);
      },
    }),
    countBasis: t.variant(CountBasisRef, { description: 'Where the citation figures come from.' }),
    reportedCounts: t.relation('reportedCounts', {
      description: 'Every citation count a source reported for this work, newest first.',
      query: { orderBy: [{ retrievedOn: 'desc' }, { id: 'desc' }] },
    }),
    citationsByYear: t.field({
      type: [YearCountRef],
      nullable: true,
      description:
        'Citations received per calendar year under the count basis, zero-filled over from..to. Defaults: from the earliest of the publication year and the first counted year, to the later of the last counted year and the current year. Null when the basis has no per-year counts. Summed over all years, it equals citationCount minus countBasis.citationsWithoutYear.',
      args: { from: t.arg.int(), to: t.arg.int() },
      select: { id: true, hasYearlyCounts: true, publicationYear: true },
      resolve: async (work, args, ctx) => {
        if (!work.hasYearlyCounts) return null;
        const years = await ctx.loaders.workYearly.load(work.id);
        const first = Math.min(work.publicationYear ?? Number.POSITIVE_INFINITY, years[0]?.year ?? currentYear());
        const last = Math.max(years.at(-1)?.year ?? 0, currentYear());
        const range = yearRange(args.from, args.to, [first, last]);
        return zeroFill(years, range.from, range.to);
      },
    }),
    projects: t.field({
      type: [ProjectNode],
      description: 'Software projects this work describes or accompanies.',
      select: (_args, _ctx, nestedSelection) => ({
        projects: { orderBy: { projectId: 'asc' }, select: { project: nestedSelection(true) } },
      }),
      resolve: (work) => work.projects.map((link) => link.project),
    }),
  }),
});

builder.prismaObjectField(ProjectNode, 'works', (t) =>
  t.field({
    type: [WorkNode],
    description: 'Works that describe or accompany the project, most cited first; ask each for citationsByYear.',
    select: (_args, _ctx, nestedSelection) => ({
      works: {
        orderBy: [{ work: { citationCount: 'desc' } }, { workId: 'desc' }],
        select: { work: nestedSelection(true) },
      },
    }),
    resolve: (project) => project.works.map((link) => link.work),
  }),
);

/** Works reached through a join table, paged with keyset cursors inside the parent's query. */
const authoredWorks = prismaConnectionHelpers(builder, 'Authorship', {
  cursor: 'workId_personId',
  args: (t) => ({ orderBy: t.field({ type: WorkOrderInput }) }),
  query: (args) => ({ orderBy: viaWorkOrderBy<Prisma.AuthorshipOrderByWithRelationInput>('work', 'workId', args.orderBy) }),
  select: (nodeSelection) => ({ work: nodeSelection(true) }),
  resolveNode: (authorship) => authorship.work,
});

builder.prismaObjectField(PersonNode, 'works', (t) =>
  t.connection(
    {
      type: WorkNode,
      description: 'Works this person authored, most cited first unless orderBy says otherwise.',
      args: authoredWorks.getArgs(),
      select: (args, ctx, nestedSelection) => ({
        authorships: authoredWorks.getQuery(args, ctx, withNodes(nestedSelection)),
      }),
      resolve: (person, args, ctx) => ({ ...authoredWorks.resolve(person.authorships, args, ctx), parentId: person.id }),
    },
    {
      name: 'AuthoredWorkConnection',
      description: "A page of a person's works.",
      fields: (c) => ({
        totalCount: c.int({ resolve: (connection, _args, ctx) => ctx.loaders.authoredCount.load(connection.parentId) }),
      }),
    },
    { name: 'AuthoredWorkEdge' },
  ),
);

/**
 * Citing and cited works, paged by keyset over (citationCount, id): each parent's page comes
 * from src/services/citations.ts, batched across the parents of a request, with the fields
 * Pothos planned for the listed works.
 */
function citationPage(
  ctx: Context,
  direction: CitationDirection,
  parentId: number,
  query: { take: number; cursor?: object; select?: object; include?: object },
) {
  return ctx.loaders.citationPage.load({
    direction,
    parentId,
    take: query.take,
    cursorId: (query.cursor as { id?: number } | undefined)?.id ?? null,
    shape: query.select ? { select: { ...query.select, id: true } } : { include: query.include ?? {} },
  });
}

builder.prismaObjectFields(WorkNode, (t) => ({
  citedBy: t.prismaConnection(
    {
      type: WorkNode,
      cursor: 'id',
      description: 'Works in citegraph that cite this one, most cited first.',
      totalCount: (work, _args, ctx) => ctx.loaders.citingCount.load(work.id),
      resolve: (query, work, _args, ctx) => citationPage(ctx, 'citedBy', work.id, query),
    },
    { name: 'CitingWorkConnection', description: 'Citing works.' },
    { name: 'CitingWorkEdge' },
  ),
  references: t.prismaConnection(
    {
      type: WorkNode,
      cursor: 'id',
      description: 'Works in citegraph that this one cites, most cited first.',
      totalCount: (work, _args, ctx) => ctx.loaders.referenceCount.load(work.id),
      resolve: (query, work, _args, ctx) => citationPage(ctx, 'references', work.id, query),
    },
    { name: 'ReferencedWorkConnection', description: 'Cited works.' },
    { name: 'ReferencedWorkEdge' },
  ),
}));

builder.prismaObject('Authorship', {
  description: 'A person\'s place on a work.',
  fields: (t) => ({
    position: t.exposeInt('position', { description: '1-based author order.' }),
    affiliation: t.exposeString('affiliation', { nullable: true, description: 'The affiliation as printed on the work.' }),
    person: t.relation('person'),
  }),
});

const WorkFilterInput = builder.inputType('WorkFilter', {
  description: 'All given conditions must hold.',
  fields: (t) => ({
    yearFrom: t.int({ description: 'Publication year >= this.' }),
    yearTo: t.int({ description: 'Publication year <= this.' }),
    authorId: t.id({ description: 'A Person id.' }),
    projectId: t.id({ description: 'A Project id: works linked to that project.' }),
    venue: t.string({ description: 'Exact venue name.' }),
    type: t.field({ type: WorkTypeEnum }),
  }),
});

const WorkOrderField = builder.enumType('WorkOrderField', {
  values: {
    CITATION_COUNT: { description: 'Work.citationCount (no since).' },
    PUBLICATION_YEAR: { description: 'Work.publicationYear; works without a year sort as lowest.' },
  } as const,
});

export const WorkOrderInput = builder.inputType('WorkOrder', {
  fields: (t) => ({
    field: t.field({ type: WorkOrderField, required: true }),
    direction: t.field({ type: OrderDirection, required: true }),
  }),
});

type FilterArg = {
  yearFrom?: number | null;
  yearTo?: number | null;
  authorId?: string | number | null;
  projectId?: string | number | null;
  venue?: string | null;
  type?: WorkType | null;
} | null | undefined;

function toWorkFilter(filter: FilterArg): WorkFilter {
  const years = checkYears(filter?.yearFrom, filter?.yearTo, ['yearFrom', 'yearTo']);
  return {
    yearFrom: years.from,
    yearTo: years.to,
    authorId: filter?.authorId != null ? idOf(String(filter.authorId), 'Person') : null,
    projectId: filter?.projectId != null ? idOf(String(filter.projectId), 'Project') : null,
    venue: filter?.venue ?? null,
    type: filter?.type ?? null,
  };
}

type WorkOrder = { field: 'CITATION_COUNT' | 'PUBLICATION_YEAR'; direction: 'asc' | 'desc' } | null | undefined;

/**
 * The same order for rows of a join table, through its relation to the work. Prisma takes a
 * list of orderings; the connection helpers' types only name a single one.
 */
function viaWorkOrderBy<OrderBy>(relation: string, key: string, order: WorkOrder): OrderBy {
  const [byWork, byId] = workOrderBy(order);
  return [{ [relation]: byWork }, { [key]: byId?.id }] as OrderBy;
}

export function workOrderBy(order: WorkOrder) {
  const direction = order?.direction ?? 'desc';
  if (order?.field === 'PUBLICATION_YEAR') {
    return [{ publicationYear: { sort: direction, nulls: direction === 'desc' ? 'last' : 'first' } } as const, { id: direction }];
  }
  return [{ citationCount: direction }, { id: direction }];
}

/**
 * Where a page after a cursor starts in the works index, for orderings by citation count.
 * Prisma writes the cursor as `(count = c AND id <= i) OR count < c`, which PostgreSQL can only
 * filter with: it reads the index from the top, so a page 2,000 rows deep read 2,000 rows. A
 * bound on the count alone (`count <= c`) lets the scan start at the cursor; the cursor's own
 * condition then drops only the ties before it. It costs a lookup of the cursor's work by id.
 * `take` is negative for pages before the cursor, which Prisma reads the other way.
 */
async function pageStart(
  ctx: Context,
  cursor: object,
  order: WorkOrder,
  backward: boolean,
): Promise<Prisma.WorkWhereInput> {
  if (order?.field === 'PUBLICATION_YEAR') return {};
  const id = (cursor as { id?: number }).id;
  const anchor = id === undefined ? null : await ctx.prisma.work.findUnique({ where: { id }, select: { citationCount: true } });
  if (!anchor) return {};
  // Pages before the cursor (`before`) are read the other way from it.
  const ascending = (order?.direction === 'asc') !== backward;
  return { citationCount: ascending ? { gte: anchor.citationCount } : { lte: anchor.citationCount } };
}

builder.queryFields((t) => ({
  works: t.prismaConnection(
    {
      type: 'Work',
      cursor: 'id',
      description: 'Works matching a filter, most cited first unless orderBy says otherwise.',
      args: {
        filter: t.arg({ type: WorkFilterInput }),
        orderBy: t.arg({ type: WorkOrderInput }),
      },
      totalCount: (_root, args, ctx) => ctx.prisma.work.count({ where: workWhere(toWorkFilter(args.filter)) }),
      resolve: async (query, _root, args, ctx) => {
        const where = workWhere(toWorkFilter(args.filter));
        return ctx.prisma.work.findMany({
          ...query,
          where: query.cursor ? { AND: [where, await pageStart(ctx, query.cursor, args.orderBy, query.take < 0)] } : where,
          orderBy: workOrderBy(args.orderBy),
        });
      },
    },
    { name: 'WorkConnection', description: 'A page of works.' },
    { name: 'WorkEdge' },
  ),
  topCitedWorks: t.prismaField({
    type: ['Work'],
    description:
      'The most cited works matching a filter (at most 100). Without `since`, ranked by citationCount. With `since`, ranked by citationCount(since) (Google Scholar\'s "Since" column); works whose figure is unknown (no per-year counts) come after all the others, by citationCount, so they are not silently left out: their citationCount(since) is null. Ties are broken by the newest id.',
    args: {
      first: t.arg.int({ defaultValue: 10, description: '1 to 100.' }),
      since: t.arg.int(),
      filter: t.arg({ type: WorkFilterInput }),
    },
    resolve: async (query, _root, args, ctx) => {
      const first = args.first ?? 10;
      if (first < 1 || first > MAX_PAGE_SIZE) throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`);
      const since = checkSince(args.since);
      const filter = toWorkFilter(args.filter);
      if (since === null) {
        return ctx.prisma.work.findMany({
          ...query,
          where: workWhere(filter),
          orderBy: [{ citationCount: 'desc' }, { id: 'desc' }],
          take: first,
        });
      }
      const ranked = await topCitedSince(ctx.prisma, filter, since, first);
      const works = await ctx.prisma.work.findMany({ ...query, where: { id: { in: ranked } } });
      const byId = new Map(works.map((work) => [work.id, work]));
      return ranked.flatMap((id) => byId.get(id) ?? []);
    },
  }),
  work: t.prismaField({
    type: 'Work',
    nullable: true,
    description:
      'One work, by exactly one of: id; DOI (any common form: 10.x/y, doi:…, https://doi.org/…); OpenAlex id (W2271840356 or https://openalex.org/W2271840356); Semantic Scholar paperId (40 hexadecimal digits, any case). Null when none matches; an identifier of the wrong form is BAD_USER_INPUT.',
    args: {
      id: t.arg.id(),
      doi: t.arg.string(),
      openalexId: t.arg.string({ description: 'An OpenAlex work id: W and digits, bare or as its https://openalex.org/ URL.' }),
      semanticScholarId: t.arg.string({ description: 'A Semantic Scholar paperId: 40 hexadecimal digits.' }),
    },
    resolve: (query, _root, args, ctx) => {
      const given = [args.id, args.doi, args.openalexId, args.semanticScholarId].filter((value) => value != null);
      if (given.length !== 1) throw badInput('Give exactly one of id, doi, openalexId and semanticScholarId.');
      if (args.id != null) return ctx.prisma.work.findUnique({ ...query, where: { id: idOf(String(args.id), 'Work') } });
      if (args.openalexId != null) {
        const openalexId = shortOpenalexId(args.openalexId, 'W');
        if (!openalexId) throw badInput(`"${args.openalexId.slice(0, 100)}" is not an OpenAlex work id (W followed by digits).`);
        return ctx.prisma.work.findUnique({ ...query, where: { openalexId } });
      }
      if (args.semanticScholarId != null) {
        const s2Id = args.semanticScholarId.trim().toLowerCase();
        if (!/^[0-9a-f]{40}$/.test(s2Id)) {
          throw badInput(`"${args.semanticScholarId.slice(0, 100)}" is not a Semantic Scholar paperId (40 hexadecimal digits).`);
        }
        return ctx.prisma.work.findUnique({ ...query, where: { s2Id } });
      }
      const doi = normalizeDoi(args.doi);
      if (!doi) throw badInput(`"${String(args.doi).slice(0, 100)}" is not a DOI (10.<registrant>/<suffix>).`);
      return ctx.prisma.work.findUnique({ ...query, where: { doi } });
    },
  }),
}));
