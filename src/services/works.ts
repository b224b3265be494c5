import type { Prisma, PrismaClient, WorkType } from '../generated/prisma/client.js';
import { workSearchCondition } from './search.js';

/** Work filters, as a Prisma `where` for planned queries and as SQL for the set-level figures. */

export interface WorkFilter {
  yearFrom?: number | null;
  yearTo?: number | null;
  authorId?: number | null;
  projectId?: number | null;
  organizationId?: number | null;
  venue?: string | null;
  type?: WorkType | null;
  citationCountMin?: number | null;
  citationCountMax?: number | null;
  and?: WorkFilter[] | null;
  or?: WorkFilter[] | null;
  /** Works whose title matches, as Query.search matches titles (see workSearchCondition). */
  search?: string | null;
  /** Works whose sources' latest reported totals disagree by this ratio or more (see sourcesSpreadSql). */
  sourcesDisagreeBy?: number | null;
  /** Normalized DOIs: works with one of them. */
  dois?: string[] | null;
  /** Short OpenAlex ids (W…): works with one of them. */
  openalexIds?: string[] | null;
}

/** Statement parameters gathered while SQL is written: `param` adds a value and returns its placeholder. */
export function parameters(): { values: unknown[]; param: (value: unknown) => string } {
  const values: unknown[] = [];
  return {
    values,
    param: (value) => {
      values.push(value);
      return `$${values.length}`;
    },
  };
}

/**
 * Whether Prisma can plan the filter. Title search and disagreeing sources need SQL Prisma cannot
 * write: those filters page through workPageIds.
 */
export function plannable(filter: WorkFilter | null | undefined): boolean {
  if (!filter) return true;
  return (
    filter.search == null &&
    filter.sourcesDisagreeBy == null &&
    [...(filter.and ?? []), ...(filter.or ?? [])].every(plannable)
  );
}

/**
 * SQL: whether work `w` is one of the organization's: it prints the organization as an author's
 * institution, or an author held an affiliation with it in a period touching its publication year
 * (the organization_work table the database keeps).
 */
const organizationWorkSql = (organization: string) =>
  `EXISTS (SELECT 1 FROM organization_work o WHERE o.organization_id = ${organization}::int AND o.work_id = w.id)`;

/**
 * SQL: how far apart the sources' latest reported totals of a work are, as the largest over the
 * smallest (a smallest of 0 counts as 1); null with fewer than two sources.
 */
export const sourcesSpreadSql = (work: string) => `(
  SELECT max(l.total)::float8 / greatest(min(l.total), 1) FROM (
    SELECT DISTINCT ON (r.source) r.total FROM reported_count r WHERE r.work_id = ${work}
    ORDER BY r.source, r.retrieved_on DESC, r.id DESC
  ) l HAVING count(*) >= 2)`;

/** An organization's works, as (key, work_id) rows for the organizations in $ids. */
export const organizationMembersSql = (ids: string) => `SELECT o.organization_id AS key, o.work_id
  FROM organization_work o WHERE o.organization_id = ANY(${ids}::int[])`;

export type WorkOrderKey =
  | { field: 'CITATION_COUNT' | 'PUBLICATION_YEAR'; direction: 'asc' | 'desc' }
  | null
  | undefined;

/**
 * A page of ids of the works matching a filter Prisma cannot plan, in the connection's order, with
 * keyset paging after (or, for a negative take, before) the cursor's work. Works without a year
 * sort as lowest. Rows come in the order the page reads forward.
 */
export async function workPageIds(
  prisma: PrismaClient,
  filter: WorkFilter,
  order: WorkOrderKey,
  take: number,
  cursorId: number | null,
): Promise<number[]> {
  const { values, param } = parameters();
  const key = order?.field === 'PUBLICATION_YEAR' ? 'coalesce(%.publication_year, -1)' : '%.citation_count';
  const of = (alias: string) => key.replace('%', alias);
  const descending = (order?.direction ?? 'desc') === 'desc';
  const backward = take < 0;
  const reading = descending !== backward ? 'DESC' : 'ASC';
  const conditions = [workFilterSql(filter, param)];
  if (cursorId !== null) {
    conditions.push(
      `(${of('w')}, w.id) ${reading === 'DESC' ? '<' : '>'} (SELECT ${of('c')}, c.id FROM work c WHERE c.id = ${param(cursorId)}::int)`,
    );
  }
  const rows = await prisma.$queryRawUnsafe<{ id: number }[]>(
    `SELECT w.id FROM work w WHERE ${conditions.join(' AND ')}
     ORDER BY ${of('w')} ${reading}, w.id ${reading} LIMIT ${param(Math.abs(take))}::int`,
    ...values,
  );
  const ids = rows.map((row) => Number(row.id));
  return backward ? ids.reverse() : ids;
}

/** The number of works matching a filter Prisma cannot plan. */
export async function countWorks(prisma: PrismaClient, filter: WorkFilter): Promise<number> {
  const { values, param } = parameters();
  const rows = await prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM work w WHERE ${workFilterSql(filter, param)}`,
    ...values,
  );
  return Number(rows[0]?.n ?? 0);
}

export function workWhere(filter: WorkFilter | null | undefined): Prisma.WorkWhereInput {
  const where: Prisma.WorkWhereInput[] = [];
  if (!filter) return {};
  if (filter.yearFrom != null) where.push({ publicationYear: { gte: filter.yearFrom } });
  if (filter.yearTo != null) where.push({ publicationYear: { lte: filter.yearTo } });
  if (filter.authorId != null) where.push({ authorships: { some: { personId: filter.authorId } } });
  if (filter.projectId != null) where.push({ projects: { some: { projectId: filter.projectId } } });
  if (filter.organizationId != null) {
    where.push({ organizations: { some: { organizationId: filter.organizationId } } });
  }
  if (filter.venue != null) where.push({ venue: filter.venue });
  if (filter.type != null) where.push({ type: filter.type });
  if (filter.citationCountMin != null) where.push({ citationCount: { gte: filter.citationCountMin } });
  if (filter.citationCountMax != null) where.push({ citationCount: { lte: filter.citationCountMax } });
  if (filter.dois != null) where.push({ doi: { in: filter.dois } });
  if (filter.openalexIds != null) where.push({ openalexId: { in: filter.openalexIds } });
  if (filter.and?.length) where.push(...filter.and.map(workWhere));
  if (filter.or?.length) where.push({ OR: filter.or.map(workWhere) });
  return where.length === 0 ? {} : { AND: where };
}

/**
 * The same conditions as workWhere, as SQL over `work` aliased `w`; `param` adds a parameter and
 * returns its reference.
 */
export function workFilterSql(filter: WorkFilter | null | undefined, param: (value: unknown) => string): string {
  const conditions: string[] = [];
  if (!filter) return 'true';
  if (filter.yearFrom != null) conditions.push(`w.publication_year >= ${param(filter.yearFrom)}::int`);
  if (filter.yearTo != null) conditions.push(`w.publication_year <= ${param(filter.yearTo)}::int`);
  if (filter.authorId != null) {
    conditions.push(
      `EXISTS (SELECT 1 FROM authorship a WHERE a.work_id = w.id AND a.person_id = ${param(filter.authorId)}::int)`,
    );
  }
  if (filter.projectId != null) {
    conditions.push(
      `EXISTS (SELECT 1 FROM work_project p WHERE p.work_id = w.id AND p.project_id = ${param(filter.projectId)}::int)`,
    );
  }
  if (filter.organizationId != null) conditions.push(organizationWorkSql(param(filter.organizationId)));
  if (filter.venue != null) conditions.push(`w.venue = ${param(filter.venue)}`);
  if (filter.type != null) conditions.push(`w.type = ${param(filter.type)}::"WorkType"`);
  if (filter.citationCountMin != null) conditions.push(`w.citation_count >= ${param(filter.citationCountMin)}::int`);
  if (filter.citationCountMax != null) conditions.push(`w.citation_count <= ${param(filter.citationCountMax)}::int`);
  if (filter.search != null) conditions.push(workSearchCondition(filter.search, param));
  if (filter.sourcesDisagreeBy != null) {
    conditions.push(`${sourcesSpreadSql('w.id')} >= ${param(filter.sourcesDisagreeBy)}::float8`);
  }
  if (filter.dois != null) conditions.push(`w.doi = ANY(${param(filter.dois)}::text[])`);
  if (filter.openalexIds != null) conditions.push(`w.openalex_id = ANY(${param(filter.openalexIds)}::text[])`);
  for (const part of filter.and ?? []) conditions.push(`(${workFilterSql(part, param)})`);
  if (filter.or?.length)
    conditions.push(`(${filter.or.map((part) => `(${workFilterSql(part, param)})`).join(' OR ')})`);
  return conditions.length === 0 ? 'true' : conditions.join(' AND ');
}
