import type { PrismaClient, Work } from '../generated/prisma/client.js';
import type { ExportWork } from './formats.js';

/**
 * Stored works in the shape the bibliography formats print. The same selection serves the
 * GraphQL fields (Work.bibtex, cslJson, ris: merged into the page's own query) and
 * `citegraph export`.
 */

export const exportSelection = {
  authorships: { orderBy: { position: 'asc' }, select: { person: { select: { name: true, orcid: true } } } },
} as const;

type SelectedWork = Work & { authorships: { person: { name: string; orcid: string | null } }[] };

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
  const works = await prisma.work.findMany({ where: { id: { in: ids } }, include: exportSelection });
  const byId = new Map(works.map((work) => [work.id, exportWorkOf(work)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
