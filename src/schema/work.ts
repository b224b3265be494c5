import { prismaConnectionHelpers } from '@pothos/plugin-prisma';
import { builder, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../builder.js';
import type { Context } from '../context.js';
import { toBibtex, toCslJson, toRis } from '../export/formats.js';
import { exportSelection, exportWorkOf } from '../export/works.js';
import type { Prisma, Work } from '../generated/prisma/client.js';
import { WorkType } from '../generated/prisma/enums.js';
import { type FieldCost, UNPAGED_LIST_ROWS } from '../limits.js';
import type { CitationDirection } from '../services/citations.js';
import { type CountSource, EDGES_SOURCE } from '../services/counts.js';
import { normalizeDoi, shortOpenalexId } from '../services/identifiers.js';
import { zeroFill } from '../services/metrics.js';
import { currentYear } from '../services/periods.js';
import {
  type CitationMetrics,
  cohortRange,
  cohortWorks,
  facets,
  hIndexByYear,
  setMetrics,
  topCitedSince,
  windowBounds,
} from '../services/windows.js';
import { countWorks, plannable, type WorkFilter, workPageIds, workWhere } from '../services/works.js';
import {
  badInput,
  checkSearchQuery,
  checkYears,
  idOf,
  OrderDirection,
  prismaTotalCount,
  YearCountRef,
  yearRange,
} from './common.js';
import {
  CitationMetricsRef,
  FacetRef,
  GroupFieldEnum,
  HIndexYearRef,
  seriesCost,
  seriesRange,
  windowOf,
} from './figures.js';
import { PersonNode } from './person.js';
import { ProjectNode } from './project.js';
import { withNodes } from './selections.js';
import { WorkListConnectionRef, WorkListEdgeRef } from './work-list.js';

export const WorkTypeEnum = builder.enumType(WorkType, {
  name: 'WorkType',
  description: 'What kind of output a work is, as its sources classify it.',
  values: {
    ARTICLE: { description: 'A journal article.' },
    BOOK: { description: 'A book.' },
    BOOK_CHAPTER: { description: 'A chapter of a book.' },
    DATASET: { description: 'A dataset.' },
    DISSERTATION: { description: "A doctoral or master's thesis." },
    PREPRINT: { description: 'A preprint, e.g. on arXiv, not (yet) published elsewhere.' },
    PROCEEDINGS_ARTICLE: { description: 'A paper in conference or workshop proceedings.' },
    REPORT: { description: 'A technical report.' },
    REVIEW: { description: 'A review article.' },
    SOFTWARE: { description: 'Software cited as a work.' },
    OTHER: { description: 'Any other kind a source gives.' },
  },
});

builder.prismaObject('ReportedCount', {
  description: 'A citation total, and per-year counts where given, as a source reported them on a date.',
  fields: (t) => ({
    source: t.exposeString('source', { description: 'The dataset that reported the figure.' }),
    sourceRecord: t.exposeString('sourceRecord', { description: 'Where in that dataset the figure stands.' }),
    retrievedOn: t.expose('retrievedOn', {
      type: 'Date',
      description: 'When the source computed or published the figure.',
    }),
    total: t.exposeInt('total', { description: 'The citation total the source reported.' }),
    hasYearlyCounts: t.boolean({
      description: 'Whether the source gave per-year counts with the total.',
      select: { _count: { select: { years: true } } },
      resolve: (count) => count._count.years > 0,
    }),
  }),
});

interface CountSourceRow extends CountSource {
  basisId: number | null;
}

const CountSourceRef = builder.objectRef<CountSourceRow>('CitationCountSource').implement({
  description: "One source's figure for a work's citation count.",
  fields: (t) => ({
    source: t.exposeString('source', {
      description: `The dataset that reported the total, or "${EDGES_SOURCE}" for the citation edges stored here.`,
    }),
    value: t.exposeInt('value', { description: 'The total: as reported, or the edges counted.' }),
    retrievedOn: t.expose('retrievedOn', {
      type: 'Date',
      nullable: true,
      description: 'When the source computed or published the total; null for the edges, counted now.',
    }),
    isBasis: t.boolean({
      description: "Whether this is the figure the work's citationCount uses (see Work.countBasis).",
      resolve: (row) => (row.reportedCountId === null ? row.basisId === null : row.reportedCountId === row.basisId),
    }),
  }),
});

const CountBasisKind = builder.enumType('CountBasisKind', {
  description: "Where a work's citation figures come from.",
  values: {
    REPORTED: { description: 'A total (and per-year counts where given) reported by a source.' },
    CITATION_EDGES: { description: "Counted from the citation edges stored in citegraph, by the citing work's year." },
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
      description: 'A reported count, or the citation edges stored here.',
      select: { countBasisId: true },
      resolve: (work) => (work.countBasisId === null ? 'CITATION_EDGES' : 'REPORTED'),
    }),
    reported: t.relation('countBasis', {
      nullable: true,
      description: 'The reported count used, when kind is REPORTED.',
    }),
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
    title: t.exposeString('title', {
      nullable: true,
      description: 'The title; null where no source gives one (e.g. a work known only as a reference of another).',
    }),
    doi: t.exposeString('doi', { nullable: true, description: 'The DOI, normalized: no resolver prefix, lower case.' }),
    openalexId: t.exposeString('openalexId', { nullable: true, description: 'OpenAlex work id, e.g. W2271840356.' }),
    semanticScholarId: t.exposeString('s2Id', { nullable: true, description: 'Semantic Scholar paperId.' }),
    arxivId: t.exposeString('arxivId', { nullable: true, description: 'arXiv identifier, e.g. 1408.5093.' }),
    publicationYear: t.exposeInt('publicationYear', {
      nullable: true,
      description: 'The year of publication.',
    }),
    publicationDate: t.expose('publicationDate', {
      type: 'Date',
      nullable: true,
      description:
        'The date of publication, where a source gives one (as precisely as it gives it: the first day of its month or year when only those are known).',
    }),
    type: t.expose('type', { type: WorkTypeEnum, nullable: true, description: 'Null where no source gives one.' }),
    venue: t.exposeString('venue', {
      nullable: true,
      description: 'Where the work appeared: a journal, a conference or a repository, by name.',
    }),
    semanticScholarCorpusId: t.exposeInt('s2CorpusId', { nullable: true, description: 'Semantic Scholar corpusId.' }),
    volume: t.exposeString('volume', { nullable: true, description: 'The journal or series volume.' }),
    issue: t.exposeString('issue', { nullable: true, description: 'The journal issue.' }),
    pages: t.exposeString('pages', { nullable: true, description: 'A page or page range, e.g. "675-678".' }),
    publisher: t.exposeString('publisher', { nullable: true, description: 'The publisher, by name.' }),
    url: t.exposeString('url', {
      nullable: true,
      description: "The work's own web address, where a source gives one.",
    }),
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
        "Citations received, under the work's count basis (see countBasis). With `since` and/or `asOf`: the citations received in years since..asOf, by the rules of CitationMetrics; null when the per-year counts leave that figure open (see citationCountLowerBound and citationCountUpperBound of `metrics` on a set holding the work).",
      args: {
        since: t.arg.int({ description: 'First year counted.' }),
        asOf: t.arg.int({ description: 'Last year counted: as the count stood at the end of that year.' }),
      },
      select: { id: true, citationCount: true, hasYearlyCounts: true, countBasisId: true },
      resolve: async (work, args, ctx) => {
        const window = windowOf(args);
        if (window.since === null && window.asOf === null) return work.citationCount;
        return windowBounds(work, await ctx.loaders.workYearly.load(work.id), window).value;
      },
    }),
    citationCountSources: t.field({
      type: [CountSourceRef],
      description:
        "Where the citation count comes from: each source's latest reported total (newest retrieval first), then the citation edges stored in citegraph counted, with which one is the count basis (see countBasis). The edges count only citing works citegraph holds, so they are usually below a source's total.",
      select: { id: true, countBasisId: true },
      resolve: async (work, _args, ctx) =>
        (await ctx.loaders.countSources.load(work.id)).map((source) => ({ ...source, basisId: work.countBasisId })),
    }),
    citationCountDiscrepancy: t.boolean({
      description:
        "Whether the sources' latest reported totals disagree: the largest is at least `ratio` times the smallest (a smallest of 0 counts as 1). False with fewer than two reporting sources. The edges counted here are not compared: they cover only the citing works citegraph holds.",
      args: {
        ratio: t.arg.float({ defaultValue: 1.25, description: 'How far apart the totals must be: 1 or more.' }),
      },
      select: { id: true },
      resolve: async (work, args, ctx) => {
        const ratio = checkRatio(args.ratio ?? 1.25, 'ratio');
        const reported = (await ctx.loaders.countSources.load(work.id)).filter(
          (source) => source.reportedCountId !== null,
        );
        if (reported.length < 2) return false;
        const values = reported.map((source) => source.value);
        return Math.max(...values) / Math.max(Math.min(...values), 1) >= ratio;
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
      args: {
        from: t.arg.int({ description: 'First year of the series.' }),
        to: t.arg.int({ description: 'Last year of the series.' }),
      },
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
  args: (t) => ({ orderBy: t.field({ type: WorkOrderInput, description: 'Default: most cited first.' }) }),
  query: (args) => ({
    orderBy: viaWorkOrderBy<Prisma.AuthorshipOrderByWithRelationInput>('work', 'workId', args.orderBy),
  }),
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
      resolve: (person, args, ctx) => ({
        ...authoredWorks.resolve(person.authorships, args, ctx),
        parentId: person.id,
      }),
    },
    {
      name: 'AuthoredWorkConnection',
      description: "A page of a person's works.",
      interfaces: [WorkListConnectionRef],
      fields: (c) => ({
        totalCount: c.int({
          description: 'Works the person authored, over every page.',
          resolve: (connection, _args, ctx) => ctx.loaders.authoredCount.load(connection.parentId),
        }),
      }),
    },
    { name: 'AuthoredWorkEdge', description: 'A work of the person, with its cursor.', interfaces: [WorkListEdgeRef] },
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
    {
      name: 'CitingWorkConnection',
      description: 'Citing works.',
      interfaces: [WorkListConnectionRef],
      fields: (c) => ({ totalCount: prismaTotalCount(c, 'Works in citegraph that cite this one.') }),
    },
    { name: 'CitingWorkEdge', description: 'A citing work, with its cursor.', interfaces: [WorkListEdgeRef] },
  ),
  references: t.prismaConnection(
    {
      type: WorkNode,
      cursor: 'id',
      description: 'Works in citegraph that this one cites, most cited first.',
      totalCount: (work, _args, ctx) => ctx.loaders.referenceCount.load(work.id),
      resolve: (query, work, _args, ctx) => citationPage(ctx, 'references', work.id, query),
    },
    {
      name: 'ReferencedWorkConnection',
      description: 'Cited works.',
      interfaces: [WorkListConnectionRef],
      fields: (c) => ({ totalCount: prismaTotalCount(c, 'Works in citegraph that this one cites.') }),
    },
    { name: 'ReferencedWorkEdge', description: 'A cited work, with its cursor.', interfaces: [WorkListEdgeRef] },
  ),
}));

builder.prismaObject('Authorship', {
  description: "A person's place on a work.",
  fields: (t) => ({
    position: t.exposeInt('position', { description: '1-based author order.' }),
    affiliation: t.exposeString('affiliation', {
      nullable: true,
      description: 'The affiliation as printed on the work.',
    }),
    person: t.relation('person', { description: 'The author.' }),
  }),
});

interface FilterArg {
  yearFrom?: number | null;
  yearTo?: number | null;
  authorId?: string | number | null;
  projectId?: string | number | null;
  organizationId?: string | number | null;
  venue?: string | null;
  type?: WorkType | null;
  citationCountMin?: number | null;
  citationCountMax?: number | null;
  search?: string | null;
  sourcesDisagreeBy?: number | null;
  and?: FilterArg[] | null;
  or?: FilterArg[] | null;
}

const WorkFilterInput = builder.inputRef<FilterArg>('WorkFilter').implement({
  description:
    'All given conditions must hold. `and` and `or` combine further filters: at most 3 levels deep and 20 filters in all.',
  fields: (t) => ({
    yearFrom: t.int({ description: 'Publication year >= this.' }),
    yearTo: t.int({ description: 'Publication year <= this.' }),
    authorId: t.id({ description: 'A Person id: works that person authored.' }),
    projectId: t.id({ description: 'A Project id: works linked to that project.' }),
    organizationId: t.id({
      description:
        "An Organization id: the organization's works, those that print it as an author's institution or that an author published (by publication year) during a dated affiliation with it.",
    }),
    venue: t.string({ description: 'Exact venue name.' }),
    type: t.field({ type: WorkTypeEnum, description: 'Works of this type.' }),
    citationCountMin: t.int({ description: 'citationCount >= this.' }),
    citationCountMax: t.int({ description: 'citationCount <= this.' }),
    search: t.string({
      description:
        'Works whose title matches these words, as Query.search matches titles: English full-text search, read as a web search ("a phrase", or, -word); at most 200 characters.',
    }),
    sourcesDisagreeBy: t.float({
      description:
        "Works whose sources' latest reported totals disagree by this ratio or more, as Work.citationCountDiscrepancy(ratio) defines it (1 or more).",
    }),
    and: t.field({ type: [WorkFilterInput], description: 'Every one of these filters holds too.' }),
    or: t.field({ type: [WorkFilterInput], description: 'At least one of these filters holds too.' }),
  }),
});

const WorkOrderField = builder.enumType('WorkOrderField', {
  description: 'What works are sorted by; ties are broken by id in the same direction.',
  values: {
    CITATION_COUNT: { description: 'Work.citationCount (no since).' },
    PUBLICATION_YEAR: { description: 'Work.publicationYear; works without a year sort as lowest.' },
  } as const,
});

export const WorkOrderInput = builder.inputType('WorkOrder', {
  description: 'The order of a list of works.',
  fields: (t) => ({
    field: t.field({ type: WorkOrderField, required: true, description: 'What to sort by.' }),
    direction: t.field({ type: OrderDirection, required: true, description: 'Which way.' }),
  }),
});

/** A ratio between two totals: finite and at least 1. */
function checkRatio(ratio: number, name: string): number {
  if (!Number.isFinite(ratio) || ratio < 1) throw badInput(`${name} must be a ratio of 1 or more; ${ratio} was given.`);
  return ratio;
}

const MAX_FILTER_DEPTH = 3;
const MAX_FILTERS = 20;

/** The filter argument, checked and with its ids decoded. */
export function toWorkFilter(filter: FilterArg | null | undefined): WorkFilter {
  let filters = 0;
  const convert = (part: FilterArg | null | undefined, depth: number): WorkFilter => {
    filters += 1;
    if (depth > MAX_FILTER_DEPTH) throw badInput(`A work filter nests and/or at most ${MAX_FILTER_DEPTH} levels deep.`);
    if (filters > MAX_FILTERS) throw badInput(`A work filter combines at most ${MAX_FILTERS} filters.`);
    const years = checkYears(part?.yearFrom, part?.yearTo, ['yearFrom', 'yearTo']);
    const min = part?.citationCountMin ?? null;
    const max = part?.citationCountMax ?? null;
    if ((min !== null && min < 0) || (max !== null && max < 0)) throw badInput('Citation counts are never negative.');
    if (min !== null && max !== null && max < min) {
      throw badInput(`The citation range ${min}..${max} is empty: citationCountMax is below citationCountMin.`);
    }
    return {
      yearFrom: years.from,
      yearTo: years.to,
      authorId: part?.authorId != null ? idOf(String(part.authorId), 'Person') : null,
      projectId: part?.projectId != null ? idOf(String(part.projectId), 'Project') : null,
      organizationId: part?.organizationId != null ? idOf(String(part.organizationId), 'Organization') : null,
      venue: part?.venue ?? null,
      type: part?.type ?? null,
      citationCountMin: min,
      citationCountMax: max,
      search: part?.search == null ? null : checkSearchQuery(part.search),
      sourcesDisagreeBy:
        part?.sourcesDisagreeBy == null ? null : checkRatio(part.sourcesDisagreeBy, 'sourcesDisagreeBy'),
      and: part?.and?.map((inner) => convert(inner, depth + 1)) ?? null,
      or: part?.or?.map((inner) => convert(inner, depth + 1)) ?? null,
    };
  };
  return convert(filter, 0);
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
    return [
      { publicationYear: { sort: direction, nulls: direction === 'desc' ? 'last' : 'first' } } as const,
      { id: direction },
    ];
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
  const anchor =
    id === undefined ? null : await ctx.prisma.work.findUnique({ where: { id }, select: { citationCount: true } });
  if (!anchor) return {};
  // Pages before the cursor (`before`) are read the other way from it.
  const ascending = (order?.direction === 'asc') !== backward;
  return { citationCount: ascending ? { gte: anchor.citationCount } : { lte: anchor.citationCount } };
}

interface LookupArgs {
  filter?: FilterArg | null;
  dois?: readonly string[] | null;
  openalexIds?: readonly string[] | null;
}

/** The works a lookup names: the inputs as given, and each one's normalized key. */
function lookupOf(args: LookupArgs): { column: 'doi' | 'openalexId'; given: string[]; keys: string[] } | null {
  if (args.dois != null && args.openalexIds != null) throw badInput('Give dois or openalexIds, not both.');
  const given = args.dois ?? args.openalexIds;
  if (given == null) return null;
  const name = args.dois != null ? 'dois' : 'openalexIds';
  if (given.length > MAX_PAGE_SIZE)
    throw badInput(`${name} takes at most ${MAX_PAGE_SIZE} entries; ${given.length} were given.`);
  const keys = given.map((text, index) => {
    const key = args.dois != null ? normalizeDoi(text) : shortOpenalexId(text, 'W');
    if (!key) {
      const shape =
        args.dois != null ? 'a DOI (10.<registrant>/<suffix>)' : 'an OpenAlex work id (W followed by digits)';
      throw badInput(`${name}[${index}]: "${text.slice(0, 100)}" is not ${shape}.`);
    }
    return key;
  });
  return { column: args.dois != null ? 'doi' : 'openalexId', given: [...given], keys };
}

/** The set the connection's figures cover: the filter, narrowed to the works a lookup names. */
function setFilter(args: LookupArgs): WorkFilter {
  const filter = toWorkFilter(args.filter);
  const lookup = lookupOf(args);
  if (!lookup) return filter;
  return lookup.column === 'doi' ? { ...filter, dois: lookup.keys } : { ...filter, openalexIds: lookup.keys };
}

/** A planned query without its paging: for pages whose ids were found by SQL. */
function selectionOf<Query extends { cursor?: unknown; skip?: unknown; take?: unknown }>(query: Query) {
  const { cursor: _cursor, skip: _skip, take: _take, ...selection } = query;
  return selection;
}

/** A figure over a filtered set reads the set's rows in the database and returns a few: charged as an unpaged list. */
const setCost: FieldCost = () => UNPAGED_LIST_ROWS;

/** A lookup's page is as long as its list of ids. */
const lookupCost: FieldCost = (args) => {
  const given =
    (Array.isArray(args.dois) ? args.dois.length : 0) + (Array.isArray(args.openalexIds) ? args.openalexIds.length : 0);
  return given;
};

builder.queryFields((t) => ({
  works: t.prismaConnection(
    {
      type: 'Work',
      cursor: 'id',
      description:
        'Works matching a filter, most cited first unless orderBy says otherwise; or, given `dois` or `openalexIds`, the works they name in the order given (see `unresolved`). The connection also answers for the whole filtered set: totalCount, citationCount, citationsByYear, metrics, hIndexByYear and groupBy.',
      args: {
        filter: t.arg({ type: WorkFilterInput, description: 'Only works this filter matches.' }),
        orderBy: t.arg({ type: WorkOrderInput, description: 'Default: most cited first.' }),
        dois: t.arg.stringList({
          description: `Up to ${MAX_PAGE_SIZE} DOIs in any common form. The page lists the works found, in this order (pass first >= their number); the filter still applies.`,
        }),
        openalexIds: t.arg.stringList({
          description: `Up to ${MAX_PAGE_SIZE} OpenAlex work ids (W… or https://openalex.org/W…), as for dois.`,
        }),
      },
      extensions: { cost: lookupCost },
      totalCount: (_root, args, ctx) => {
        const filter = setFilter(args);
        const range = cohortRange(filter);
        if (range) return cohortWorks(ctx.prisma, range);
        return plannable(filter) ? ctx.prisma.work.count({ where: workWhere(filter) }) : countWorks(ctx.prisma, filter);
      },
      resolve: async (query, _root, args, ctx) => {
        const filter = setFilter(args);
        if (!plannable(filter)) {
          const cursorId = (query.cursor as { id?: number } | undefined)?.id ?? null;
          const ids = await workPageIds(ctx.prisma, filter, args.orderBy, query.take, cursorId);
          const works = await ctx.prisma.work.findMany({ ...selectionOf(query), where: { id: { in: ids } } });
          const byId = new Map(works.map((work) => [work.id, work]));
          return ids.flatMap((id) => byId.get(id) ?? []);
        }
        const where = workWhere(filter);
        const lookup = lookupOf(args);
        if (lookup) {
          if (args.after != null || args.before != null || args.last != null) {
            throw badInput('A lookup by dois or openalexIds returns one page: it takes no after, before or last.');
          }
          const first = args.first ?? DEFAULT_PAGE_SIZE;
          if (first < lookup.keys.length)
            throw badInput(`Pass first: ${lookup.keys.length} or more to see every work asked for.`);
          // Select mode plans a `select`; the keys are added to it to put the works in request order.
          const select = (query as { select?: Prisma.WorkSelect }).select ?? {};
          const works = (await ctx.prisma.work.findMany({
            select: { ...select, id: true, doi: true, openalexId: true },
            where,
          } as Prisma.WorkFindManyArgs)) as Work[];
          const byKey = new Map(works.map((work) => [lookup.column === 'doi' ? work.doi : work.openalexId, work]));
          return lookup.keys.flatMap((key) => byKey.get(key) ?? []);
        }
        return ctx.prisma.work.findMany({
          ...query,
          where: query.cursor
            ? { AND: [where, await pageStart(ctx, query.cursor, args.orderBy, query.take < 0)] }
            : where,
          orderBy: workOrderBy(args.orderBy),
        });
      },
    },
    {
      name: 'WorkConnection',
      description: 'A page of works, and figures over every work the filter matches (not only this page).',
      interfaces: [WorkListConnectionRef],
      fields: (c) => ({
        totalCount: prismaTotalCount(c, 'Works the filter matches (for a lookup: those found), over every page.'),
        unresolved: c.stringList({
          description:
            'The dois or openalexIds given that match no work (or none the filter lets through), as given. Empty without them.',
          resolve: (connection) => {
            const lookup = lookupOf(connection.args);
            if (!lookup) return [];
            const found = new Set(
              connection.edges.map((edge) => {
                const work = edge?.node as { doi?: string | null; openalexId?: string | null } | undefined;
                return lookup.column === 'doi' ? work?.doi : work?.openalexId;
              }),
            );
            return lookup.given.filter((_, index) => !found.has(lookup.keys[index] as string));
          },
        }),
        citationCount: c.int({
          description: 'Sum of citationCount over every work the filter matches (each under its own count basis).',
          extensions: { cost: setCost },
          resolve: async (connection, _args, ctx) =>
            (await ctx.loaders.filterYearly.load(setFilter(connection.args))).citationCount,
        }),
        citationsWithoutYear: c.int({
          description:
            'Citations of the matching works that no per-year count places in a year (works without per-year counts included): the sum of citationsByYear over all years plus this is citationCount.',
          extensions: { cost: setCost },
          resolve: async (connection, _args, ctx) =>
            (await ctx.loaders.filterYearly.load(setFilter(connection.args))).citationsWithoutYear,
        }),
        citationsByYear: c.field({
          type: [YearCountRef],
          description:
            "Citations received per calendar year, summed over every matching work's per-year counts, zero-filled over from..to (default: the first year with citations to the current year). Summed over all years it is citationCount minus citationsWithoutYear.",
          args: {
            from: c.arg.int({ description: 'First year of the series.' }),
            to: c.arg.int({ description: 'Last year of the series.' }),
          },
          extensions: { cost: setCost },
          resolve: async (connection, args, ctx) => {
            const yearly = await ctx.loaders.filterYearly.load(setFilter(connection.args));
            const range = yearRange(args.from, args.to, [yearly.years[0]?.year ?? currentYear(), currentYear()]);
            return zeroFill(yearly.years, range.from, range.to);
          },
        }),
        metrics: c.field({
          type: CitationMetricsRef,
          description:
            'Citation metrics over every matching work, optionally in a window of years (see CitationMetrics).',
          args: {
            since: c.arg.int({ description: 'Count only citations received in years >= since.' }),
            asOf: c.arg.int({ description: 'As the metrics stood at the end of this year.' }),
          },
          extensions: { cost: setCost },
          resolve: async (connection, args, ctx) =>
            (
              await setMetrics(ctx.prisma, { kind: 'filter', filter: setFilter(connection.args) }, windowOf(args))
            )[0] as CitationMetrics,
        }),
        hIndexByYear: c.field({
          type: [HIndexYearRef],
          description:
            'The h-index over every matching work at the end of each year from..to, with bounds where the per-year counts leave it open.',
          args: {
            from: c.arg.int({ required: true, description: 'First year of the series.' }),
            to: c.arg.int({ description: 'Last year (default: the current year); at most 100 years after from.' }),
          },
          extensions: { cost: seriesCost },
          resolve: async (connection, args, ctx) => {
            const range = seriesRange(args.from, args.to ?? currentYear());
            const [series] = await hIndexByYear(
              ctx.prisma,
              { kind: 'filter', filter: setFilter(connection.args) },
              range.from,
              range.to,
            );
            return series ?? [];
          },
        }),
        groupBy: c.field({
          type: [FacetRef],
          description:
            "The matching works grouped by a field: the `first` groups with the most works (then the most citations, then by key). For YEAR, TYPE and VENUE a work is in one group, so all groups' worksCount add up to totalCount; for PROJECT, ORGANIZATION and AUTHOR a work counts in each of its groups.",
          args: {
            field: c.arg({ type: GroupFieldEnum, required: true, description: 'What to group the works by.' }),
            first: c.arg.int({ defaultValue: 10, description: `1 to ${MAX_PAGE_SIZE} groups.` }),
          },
          extensions: {
            cost: (args: Record<string, unknown>) => setCost(args) + (typeof args.first === 'number' ? args.first : 10),
          },
          resolve: (connection, args, ctx) => {
            const first = args.first ?? 10;
            if (first < 1 || first > MAX_PAGE_SIZE) throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`);
            return facets(ctx.prisma, setFilter(connection.args), args.field, first);
          },
        }),
      }),
    },
    { name: 'WorkEdge', interfaces: [WorkListEdgeRef] },
  ),
  topCitedWorks: t.prismaField({
    type: ['Work'],
    description:
      'The most cited works matching a filter (at most 100). Without `since`, ranked by citationCount. With `since`, ranked by citationCount(since) (Google Scholar\'s "Since" column); works whose figure is unknown (no per-year counts) come after all the others, by citationCount, so they are not silently left out: their citationCount(since) is null. Ties are broken by the newest id.',
    args: {
      first: t.arg.int({ defaultValue: 10, description: '1 to 100.' }),
      since: t.arg.int({ description: 'Rank by the citations received in years since this one.' }),
      filter: t.arg({ type: WorkFilterInput, description: 'Only works this filter matches.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const first = args.first ?? 10;
      if (first < 1 || first > MAX_PAGE_SIZE) throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`);
      const since = windowOf({ since: args.since }).since;
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
      id: t.arg.id({ description: 'A Work id.' }),
      doi: t.arg.string({ description: 'A DOI in any common form: 10.x/y, doi:…, https://doi.org/….' }),
      openalexId: t.arg.string({
        description: 'An OpenAlex work id: W and digits, bare or as its https://openalex.org/ URL.',
      }),
      semanticScholarId: t.arg.string({ description: 'A Semantic Scholar paperId: 40 hexadecimal digits.' }),
    },
    resolve: (query, _root, args, ctx) => {
      const given = [args.id, args.doi, args.openalexId, args.semanticScholarId].filter((value) => value != null);
      if (given.length !== 1) throw badInput('Give exactly one of id, doi, openalexId and semanticScholarId.');
      if (args.id != null)
        return ctx.prisma.work.findUnique({ ...query, where: { id: idOf(String(args.id), 'Work') } });
      if (args.openalexId != null) {
        const openalexId = shortOpenalexId(args.openalexId, 'W');
        if (!openalexId)
          throw badInput(`"${args.openalexId.slice(0, 100)}" is not an OpenAlex work id (W followed by digits).`);
        return ctx.prisma.work.findUnique({ ...query, where: { openalexId } });
      }
      if (args.semanticScholarId != null) {
        const s2Id = args.semanticScholarId.trim().toLowerCase();
        if (!/^[0-9a-f]{40}$/.test(s2Id)) {
          throw badInput(
            `"${args.semanticScholarId.slice(0, 100)}" is not a Semantic Scholar paperId (40 hexadecimal digits).`,
          );
        }
        return ctx.prisma.work.findUnique({ ...query, where: { s2Id } });
      }
      const doi = normalizeDoi(args.doi);
      if (!doi) throw badInput(`"${String(args.doi).slice(0, 100)}" is not a DOI (10.<registrant>/<suffix>).`);
      return ctx.prisma.work.findUnique({ ...query, where: { doi } });
    },
  }),
}));
