import type { Prisma, PrismaClient, WorkType } from '../generated/prisma/client.js';
import { citationsSinceSql } from './counts.js';

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
 * Ids of the works matching `filter`, ranked by citations received in years >= since (see
 * citationsSinceSql); works whose figure is unknown follow, by total citations; ties by the
 * newest id.
 */
export async function topCitedSince(
  prisma: PrismaClient,
  filter: WorkFilter | null | undefined,
  since: number,
  first: number,
): Promise<number[]> {
  const params: unknown[] = [since, first];
  const conditions = ['true'];
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
  const rows = await prisma.$queryRawUnsafe<{ id: number }[]>(
    `SELECT w.id, ${citationsSinceSql('$1::int')} AS cites
     FROM work w WHERE ${conditions.join(' AND ')}
     ORDER BY cites DESC NULLS LAST, w.citation_count DESC, w.id DESC LIMIT $2::int`,
    ...params,
  );
  return rows.map((row) => Number(row.id));
}
