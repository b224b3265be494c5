import { z } from 'zod';
import type { WorkType } from '../../generated/prisma/client.js';
import { normalizeArxivId, normalizeDoi } from '../../services/identifiers.js';
import type { AuthorRecord, CitationRecord, Parsed, WorkIds, WorkRecord } from '../records.js';
import {
  capName,
  checkedYear,
  describeNonObject,
  isoDateParts,
  nonEmpty,
  nonNegativeInt32,
  nulWarnings,
  publicationDate,
  removeNul,
  text,
  zodReason,
} from './common.js';

/**
 * Semantic Scholar Graph API paper objects (https://api.semanticscholar.org/graph/v1/paper/…),
 * from full records down to bulk-search hits that carry only paperId and title; and citation
 * edge rows `citing_paper_id,cited_paper_id[,…]`.
 */

/** Most specific first: a paper typed ["JournalArticle", "Review"] is a review. */
const s2TypesBySpecificity: [string, WorkType][] = [
  ['Review', 'REVIEW'],
  ['Dataset', 'DATASET'],
  ['BookSection', 'BOOK_CHAPTER'],
  ['Conference', 'PROCEEDINGS_ARTICLE'],
  ['Book', 'BOOK'],
  ['JournalArticle', 'ARTICLE'],
];

/** The work type of S2 publicationTypes; types without a counterpart (Editorial, News, …) give null. */
export function s2WorkType(publicationTypes: readonly string[] | null | undefined): WorkType | null {
  const types = new Set(publicationTypes ?? []);
  return s2TypesBySpecificity.find(([name]) => types.has(name))?.[1] ?? null;
}

const paperIdPattern = /^[0-9a-f]{40}$/i;
const optionalText = z.string().nullish();
const optionalNumberText = z.union([z.string(), z.number()]).nullish();

const s2PaperSchema = z.object({
  paperId: z.string().regex(paperIdPattern, 'a paperId is 40 hexadecimal digits'),
  corpusId: nonNegativeInt32.nullish(),
  externalIds: z
    .object({
      DOI: optionalText,
      ArXiv: optionalText,
      CorpusId: z
        .union([
          nonNegativeInt32,
          z
            .string()
            .regex(/^\d{1,9}$/)
            .transform(Number),
        ])
        .nullish(),
    })
    .nullish(),
  title: optionalText,
  year: z.number().int().nullish(),
  publicationDate: z.iso.date().nullish(),
  venue: optionalText,
  publicationVenue: z.object({ name: optionalText }).nullish(),
  journal: z.object({ name: optionalText, volume: optionalNumberText, pages: optionalNumberText }).nullish(),
  publicationTypes: z.array(z.string()).nullish(),
  authors: z.array(z.object({ authorId: optionalText, name: optionalText })).nullish(),
  citationCount: nonNegativeInt32.nullish(),
});

type S2Paper = z.infer<typeof s2PaperSchema>;

export interface S2Options {
  /** YYYY-MM-DD: the day the citation counts were current. S2 objects carry no such date. */
  retrievedOn: string;
}

export function s2Paper(value: unknown, options: S2Options): Parsed<WorkRecord> {
  const notObject = describeNonObject(value);
  if (notObject) return { ok: false, reason: notObject };
  const { paperId } = value as Record<string, unknown>;
  if (paperId === undefined || paperId === null) {
    return { ok: false, reason: 'no paperId: a Semantic Scholar paper needs its paperId' };
  }
  const parsed = s2PaperSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: zodReason(parsed.error) };
  const { value: paper, fields } = removeNul(parsed.data);
  const warnings = nulWarnings(fields);
  const s2Id = paper.paperId.toLowerCase();
  const journal = paper.journal;
  const date = publicationDate({ ...isoDateParts(paper.publicationDate) }, 'publicationDate', warnings);

  return {
    ok: true,
    value: {
      ids: paperIds(paper, s2Id, warnings),
      title: text(paper.title),
      publicationYear: checkedYear(paper.year, 'year', warnings),
      publicationDate: date.date,
      publicationDatePrecision: date.precision,
      type: s2WorkType(paper.publicationTypes),
      venue: capName(text(paper.venue) ?? text(paper.publicationVenue?.name) ?? text(journal?.name), 'venue', warnings),
      biblio: journal ? { volume: text(journal.volume), pages: text(journal.pages) } : null,
      authors: nonEmpty(authorRecords(paper.authors ?? [], warnings)),
      reported:
        typeof paper.citationCount === 'number'
          ? { total: paper.citationCount, retrievedOn: options.retrievedOn }
          : null,
      recordKey: s2Id,
    },
    ...(warnings.length ? { warnings } : {}),
  };
}

function paperIds(paper: S2Paper, s2Id: string, warnings: string[]): WorkIds {
  const external = paper.externalIds;
  const doi = normalizeDoi(external?.DOI);
  if (external?.DOI && !doi) warnings.push(`externalIds.DOI "${external.DOI}" is not a DOI`);
  const arxivId = normalizeArxivId(external?.ArXiv);
  if (external?.ArXiv && !arxivId) warnings.push(`externalIds.ArXiv "${external.ArXiv}" is not an arXiv id`);
  return { s2Id, doi, arxivId, s2CorpusId: paper.corpusId ?? external?.CorpusId ?? null };
}

function authorRecords(authors: NonNullable<S2Paper['authors']>, warnings: string[]): AuthorRecord[] {
  const records: AuthorRecord[] = [];
  authors.forEach((author, index) => {
    const name = capName(text(author.name), `authors[${index}].name`, warnings);
    if (name) records.push({ name, s2Id: text(author.authorId) });
    else warnings.push(`authors[${index}] has no name and was left out`);
  });
  return records;
}

/** The columns an S2 citation edge file must have; others (e.g. derived_from) are ignored. */
export const S2_EDGE_COLUMNS = ['citing_paper_id', 'cited_paper_id'] as const;

export function s2Edge(row: Record<string, string>): Parsed<CitationRecord> {
  const missing = S2_EDGE_COLUMNS.find((column) => row[column] === undefined);
  if (missing) return { ok: false, reason: `missing column "${missing}"` };
  const citing = edgePaperIds(row.citing_paper_id ?? '');
  if (!citing) return { ok: false, reason: notAPaper('citing_paper_id', row.citing_paper_id) };
  const cited = edgePaperIds(row.cited_paper_id ?? '');
  if (!cited) return { ok: false, reason: notAPaper('cited_paper_id', row.cited_paper_id) };
  return { ok: true, value: { citing, cited } };
}

/** A 40-hex paperId, or "CorpusID:n" where the API named a paper by its corpus id only. */
function edgePaperIds(field: string): WorkIds | null {
  const id = field.trim();
  if (paperIdPattern.test(id)) return { s2Id: id.toLowerCase() };
  const corpus = /^CorpusId:(\d+)$/i.exec(id);
  const corpusId = corpus ? Number(corpus[1]) : Number.NaN;
  return Number.isInteger(corpusId) && corpusId <= 2_147_483_647 ? { s2CorpusId: corpusId } : null;
}

function notAPaper(column: string, field: string | undefined): string {
  return `${column} "${field}" is neither a 40-hex paperId nor CorpusID:n`;
}
