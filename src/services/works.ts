import type { Prisma, PrismaClient, WorkType } from '../generated/prisma/client.js';

/** Work filters, as a Prisma `where` for planned queries and as SQL for the ranking queries. */

export interface WorkFilter {
  yearFrom?: number | null;
  yearTo?: number | null;
  authorId?: number | null;
  projectId?: number | null;
  venue?: string | null;
  type?: WorkType | null;
}

export function workWhere(filter: WorkFilter | null | undefined): Prisma.WorkWhereInput {
  const where: Prisma.WorkWhereInput[] = [];
  if (!filter) return {};
  if (filter.yearFrom != null) where.push({ publicationYear: { gte: filter.yearFrom } });
  if (filter.yearTo != null) where.push({ publicationYear: { lte: filter.yearTo } });
  if (filter.authorId != null) where.push({ authorships: { some: { personId: filter.authorId } } });
  if (filter.projectId != null) where.push({ projects: { some: { projectId: filter.projectId } } });
  if (filter.venue != null) where.push({ venue: filter.venue });
  if (filter.type != null) where.push({ type: filter.type });
  return where.length === 0 ? {} : { AND: where };
}

/**
 * Ids of the works matching `filter` with the most citations received in years >= since,
 * among works that have per-year counts; ties broken by id, newest first.
 */
export async function topCitedSince(
  prisma: PrismaClient,
  filter: WorkFilter | null | undefined,
  since: number,
  first: number,
): Promise<{ id: number; cites: number }[]> {
  const params: unknown[] = [since, first];
  const conditions = ['w.has_yearly_counts'];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter?.yearFrom != null) conditions.push(`w.publication_year >= ${param(filter.yearFrom)}::int`);
  if (filter?.yearTo != null) conditions.push(`w.publication_year <= ${param(filter.yearTo)}::int`);
  if (filter?.authorId != null) {
    conditions.push(
      `EXISTS (SELECT 1 FROM authorship a WHERE a.work_id = w.id AND a.person_id = ${param(filter.authorId)}::int)`,
    );
  }
  if (filter?.projectId != null) {
    conditions.push(
      `EXISTS (SELECT 1 FROM work_project p WHERE p.work_id = w.id AND p.project_id = ${param(filter.projectId)}::int)`,
    );
  }
  if (filter?.venue != null) conditions.push(`w.venue = ${param(filter.venue)}`);
  if (filter?.type != null) conditions.push(`w.type = ${param(filter.type)}::"WorkType"`);
  const rows = await prisma.$queryRawUnsafe<{ id: number; cites: number }[]>(
    `SELECT w.id, coalesce(sum(y.count), 0)::int AS cites
     FROM work w LEFT JOIN work_yearly_count y ON y.work_id = w.id AND y.year >= $1::int
     WHERE ${conditions.join(' AND ')}
     GROUP BY w.id ORDER BY cites DESC, w.id DESC LIMIT $2::int`,
    ...params,
  );
  return rows.map((row) => ({ id: Number(row.id), cites: Number(row.cites) }));
}
