import type { PrismaClient } from '../generated/prisma/client.js';

/**
 * Pages of the citation graph: the works citing a work (citedBy) or cited by it (references),
 * ranked as every work list is (citation count, then id, both descending), with keyset cursors
 * so that a page deep in the list costs what the first does. One statement answers the pages of
 * all the parent works a request asks about; Prisma then loads the selected fields of those ids.
 *
 * Two plans answer "the most cited works citing W": walking the works index from the most cited
 * down and probing each for a citation of W, which stops as soon as the page is full, or
 * reading every citation of W and sorting the citing works. The walk wins when W's citers are
 * many: with N citers among all works, a page of k needs about k·works/N probes against N reads
 * for the sort, so the walk is chosen when N > sqrt(k·works). N is counted up to that bound
 * only, so deciding costs no more than the cheaper plan.
 */

export type CitationDirection = 'citedBy' | 'references';

export interface PageRequest {
  /** Rows wanted: positive reads forward from the cursor (down the ranking), negative backward. */
  take: number;
  /** The work the page starts after (forward) or ends before (backward). */
  cursorId: number | null;
}

/**
 * Ids of each parent's page, in the order the connection shows them (most cited first), for
 * every parent in `parentIds` (same order). `walkFrom` overrides the number of citers from
 * which the index walk is used (tests use it to exercise both plans).
 */
export async function citationPageIds(
  prisma: PrismaClient,
  direction: CitationDirection,
  parentIds: readonly number[],
  page: PageRequest,
  walkFrom?: number,
): Promise<number[][]> {
  const forward = page.take >= 0;
  const limit = Math.abs(page.take);
  // citedBy: the listed works cite the parent; references: the parent cites them.
  const [listed, parent] = direction === 'citedBy' ? ['citing_id', 'cited_id'] : ['cited_id', 'citing_id'];
  const order = forward ? 'DESC' : 'ASC';
  const params: unknown[] = [[...parentIds], limit];
  let keyset = 'true';
  if (page.cursorId !== null) {
    params.push(page.cursorId);
    // A row comparison: the index range starts at the cursor instead of filtering rows off.
    keyset = `(w.citation_count, w.id) ${forward ? '<' : '>'} ((SELECT citation_count FROM work WHERE id = $3::int), $3::int)`;
  }
  // "+ 0" keeps PostgreSQL from turning this plan into the walk: here it is the cheaper one.
  const sorted = (condition: string) =>
    `SELECT w.id, w.citation_count FROM citation c JOIN work w ON w.id = c.${listed}
     WHERE c.${parent} = p.id AND ${keyset} AND ${condition}
     ORDER BY w.citation_count + 0 ${order}, w.id ${order} LIMIT $2::int`;
  let pageSql = sorted('true');
  if (direction === 'citedBy') {
    // sqrt(k·works), with the number of works as the planner's statistics know it.
    params.push(walkFrom ?? null);
    const bound = `coalesce($${params.length}::int, (SELECT ceil(sqrt($2::float8 * greatest(reltuples, 1)))::int FROM pg_class WHERE oid = 'work'::regclass))`;
    // Depends on the parent only, so PostgreSQL tests it once per parent and runs one branch.
    const many = `(SELECT count(*) FROM (SELECT 1 FROM citation x WHERE x.cited_id = p.id LIMIT ${bound}) s) >= ${bound}`;
    pageSql = `(${sorted(`NOT ${many}`)})
               UNION ALL
               (SELECT w.id, w.citation_count FROM work w
                WHERE ${many} AND ${keyset}
                  AND EXISTS (SELECT 1 FROM citation c WHERE c.citing_id = w.id AND c.cited_id = p.id)
                ORDER BY w.citation_count ${order}, w.id ${order} LIMIT $2::int)`;
  }
  const rows = await prisma.$queryRawUnsafe<{ parent: number; id: number }[]>(
    `SELECT p.id AS parent, page.id
     FROM unnest($1::int[]) WITH ORDINALITY AS p(id, ord)
     CROSS JOIN LATERAL (${pageSql}) page
     ORDER BY p.ord, page.citation_count DESC, page.id DESC`,
    ...params,
  );
  const byParent = new Map<number, number[]>();
  for (const row of rows) {
    const ids = byParent.get(Number(row.parent)) ?? [];
    ids.push(Number(row.id));
    byParent.set(Number(row.parent), ids);
  }
  return parentIds.map((id) => byParent.get(id) ?? []);
}
