import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { ExportWork } from './formats.js';

/**
 * Stored works in the shape the bibliography formats print. The same selection serves the
 * GraphQL fields (Work.bibtex, cslJson, ris: merged into the page's own query) and
 * `citegraph export`.
 */

export const exportSelection = {
  id: true,
  title: true,
  publicationYear: true,
  publicationDate: true,
  publicationDatePrecision: true,
  type: true,
  venue: true,
  doi: true,
  arxivId: true,
  openalexId: true,
  s2Id: true,
  volume: true,
  issue: true,
  pages: true,
  publisher: true,
  url: true,
  citationKey: true,
  authorships: { orderBy: { position: 'asc' }, select: { person: { select: { name: true, orcid: true } } } },
} as const satisfies Prisma.WorkSelect;

type SelectedWork = Prisma.WorkGetPayload<{ select: typeof exportSelection }>;

export function exportWorkOf(work: SelectedWork): ExportWork {
  return {
    id: work.id,
    title: work.title,
    publicationYear: work.publicationYear,
    publicationDate: work.publicationDate,
    publicationDatePrecision: work.publicationDatePrecision,
    type: work.type,
    venue: work.venue,
    doi: work.doi,
    arxivId: work.arxivId,
    openalexId: work.openalexId,
    s2Id: work.s2Id,
    volume: work.volume,
    issue: work.issue,
    pages: work.pages,
    publisher: work.publisher,
    url: work.url,
    citationKey: work.citationKey,
    authors: work.authorships.map((authorship) => authorship.person),
  };
}

/** The works with these ids, in the order given. */
export async function loadExportWorks(prisma: PrismaClient, ids: number[]): Promise<ExportWork[]> {
  const works = await prisma.work.findMany({ where: { id: { in: ids } }, select: exportSelection });
  const byId = new Map(works.map((work) => [work.id, exportWorkOf(work)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
