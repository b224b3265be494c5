import { z } from 'zod';
import type { WorkType } from '../../generated/prisma/client.js';
import { normalizeDoi, normalizeOrcid } from '../../services/identifiers.js';
import type { AuthorRecord, CitationRecord, Parsed, ReportedRecord, WorkRecord } from '../records.js';
import {
  capName,
  datePart,
  describeNonObject,
  nonEmpty,
  nonNegativeInt32,
  nulWarnings,
  type PublicationDate,
  publicationDate,
  removeNul,
  text,
  zodReason,
} from './common.js';

/**
 * Crossref REST API work items (https://api.crossref.org/works/{doi}), one per line, bare or in
 * the API's {"status":"ok","message-type":"work","message":{…}} envelope; and reference rows
 * `citing_doi,reference_key,cited_doi,doi_asserted_by` taken from items' `reference` arrays.
 */

const crossrefTypes: Record<string, WorkType> = {
  'journal-article': 'ARTICLE',
  'proceedings-article': 'PROCEEDINGS_ARTICLE',
  book: 'BOOK',
  monograph: 'BOOK',
  'edited-book': 'BOOK',
  'reference-book': 'BOOK',
  'book-chapter': 'BOOK_CHAPTER',
  'book-section': 'BOOK_CHAPTER',
  'book-part': 'BOOK_CHAPTER',
  'posted-content': 'PREPRINT',
  report: 'REPORT',
  dataset: 'DATASET',
  dissertation: 'DISSERTATION',
};

/**
 * The work type of a Crossref type name. Every Crossref type is a kind of work, so the ones
 * without a counterpart here (component, journal-issue, standard, other, …) are OTHER.
 */
export function crossrefWorkType(type: string | null | undefined): WorkType | null {
  const name = text(type)?.toLowerCase();
  if (!name) return null;
  return crossrefTypes[name] ?? 'OTHER';
}

const optionalText = z.string().nullish();
const dateParts = z.object({
  'date-parts': z.array(z.array(z.number().int().nullable())).nullish(),
  'date-time': optionalText,
});

const crossrefWorkSchema = z.object({
  DOI: z.string({ error: 'a Crossref work needs its DOI' }),
  title: z.union([z.array(z.string()), z.string()]).nullish(),
  type: optionalText,
  published: dateParts.nullish(),
  issued: dateParts.nullish(),
  indexed: dateParts.nullish(),
  deposited: dateParts.nullish(),
  'container-title': z.union([z.array(z.string()), z.string()]).nullish(),
  volume: optionalText,
  issue: optionalText,
  page: optionalText,
  publisher: optionalText,
  URL: optionalText,
  author: z
    .array(
      z.object({
        given: optionalText,
        family: optionalText,
        suffix: optionalText,
        name: optionalText,
        ORCID: optionalText,
        affiliation: z.array(z.object({ name: optionalText })).nullish(),
      }),
    )
    .nullish(),
  'is-referenced-by-count': nonNegativeInt32.nullish(),
  reference: z.array(z.object({ DOI: optionalText })).nullish(),
});

type CrossrefWork = z.infer<typeof crossrefWorkSchema>;
type CrossrefDate = z.infer<typeof dateParts>;

export interface CrossrefOptions {
  /** YYYY-MM-DD: when the item carries neither `indexed` nor `deposited`, the day its count was current. */
  retrievedOn?: string;
}

export function crossrefWork(value: unknown, options: CrossrefOptions = {}): Parsed<WorkRecord> {
  const item = unwrapEnvelope(value);
  if ('reason' in item) return { ok: false, reason: item.reason };
  const parsed = crossrefWorkSchema.safeParse(item.work);
  if (!parsed.success) return { ok: false, reason: zodReason(parsed.error) };
  const { value: work, fields } = removeNul(parsed.data);
  const warnings = nulWarnings(fields);

  const doi = normalizeDoi(work.DOI);
  if (!doi) return { ok: false, reason: `DOI "${work.DOI}" is not a DOI` };
  const date = datePartsOf(work.published ?? work.issued, work.published ? 'published' : 'issued', warnings);
  const reported = reportedCount(work, options.retrievedOn, warnings);

  return {
    ok: true,
    value: {
      ids: { doi },
      title: firstText(work.title),
      publicationYear: date.year,
      publicationDate: date.date,
      publicationDatePrecision: date.precision,
      type: crossrefWorkType(work.type),
      venue: capName(firstText(work['container-title']), 'container-title', warnings),
      biblio: {
        volume: text(work.volume),
        issue: text(work.issue),
        pages: text(work.page),
        publisher: text(work.publisher),
        url: text(work.URL),
      },
      authors: nonEmpty(authorRecords(work.author ?? [], warnings)),
      reported,
      references: nonEmpty(referenceIds(work.reference ?? [])),
      recordKey: doi,
    },
    ...(warnings.length ? { warnings } : {}),
  };
}

/** The work item, taken out of the API's envelope when it is in one. */
function unwrapEnvelope(value: unknown): { work: object } | { reason: string } {
  const notObject = describeNonObject(value);
  if (notObject) return { reason: notObject };
  const record = value as Record<string, unknown>;
  if (!('message' in record) || 'DOI' in record) return { work: record };
  const kind = record['message-type'];
  if (record.status !== 'ok') return { reason: `an API response with status "${String(record.status)}", not a work` };
  if (kind !== 'work') return { reason: `an API response of message-type "${String(kind)}"; give one work per line` };
  const notWork = describeNonObject(record.message);
  return notWork ? { reason: `message: ${notWork}` } : { work: record.message as object };
}

function firstText(value: string[] | string | null | undefined): string | null {
  if (typeof value === 'string') return text(value);
  return value?.map(text).find((entry) => entry !== null) ?? null;
}

/** Year and date of Crossref date-parts: [[2014, 6, 3]], [[2014, 6]] or [[2014]]. */
function datePartsOf(value: CrossrefDate | null | undefined, field: string, warnings: string[]): PublicationDate {
  const [year, month, day] = value?.['date-parts']?.[0] ?? [];
  return publicationDate({ year, month, day }, field, warnings);
}

/** The day a Crossref date names: its date-time's date, or its date-parts when they are complete. */
function crossrefDay(value: CrossrefDate | null | undefined): string | null {
  // A bad bookkeeping date only leaves the count undated; it is no problem of the work.
  const parts = datePartsOf(value, 'date', []);
  return datePart(value?.['date-time']) ?? (parts.precision === 'DAY' ? parts.date : null);
}

/** is-referenced-by-count was current when Crossref last indexed the item. */
function reportedCount(work: CrossrefWork, fallbackDay: string | undefined, warnings: string[]): ReportedRecord | null {
  const total = work['is-referenced-by-count'];
  if (total === null || total === undefined) return null;
  const retrievedOn = crossrefDay(work.indexed) ?? crossrefDay(work.deposited) ?? fallbackDay;
  if (!retrievedOn) {
    warnings.push('is-referenced-by-count not kept: no indexed or deposited date says when it was current');
    return null;
  }
  return { total, retrievedOn };
}

function authorRecords(authors: NonNullable<CrossrefWork['author']>, warnings: string[]): AuthorRecord[] {
  const records: AuthorRecord[] = [];
  authors.forEach((author, index) => {
    // Organisations have `name`; people have given and family names, and sometimes a suffix.
    const name = capName(
      text(author.name) ?? text([author.given, author.family, author.suffix].map(text).filter(Boolean).join(' ')),
      `author[${index}] name`,
      warnings,
    );
    if (!name) {
      warnings.push(`author[${index}] has no name and was left out`);
      return;
    }
    const orcid = normalizeOrcid(author.ORCID);
    if (author.ORCID && !orcid) warnings.push(`author[${index}].ORCID "${author.ORCID}" is not an ORCID iD`);
    records.push({ name, orcid, affiliation: firstText(author.affiliation?.map((entry) => entry.name ?? '')) });
  });
  return records;
}

/** References that name a DOI; the others carry no identifier to match on. */
function referenceIds(references: NonNullable<CrossrefWork['reference']>): { doi: string }[] {
  return references.flatMap((reference) => {
    const doi = normalizeDoi(reference.DOI);
    return doi ? [{ doi }] : [];
  });
}

/** The columns of a Crossref reference file that are read; reference_key and doi_asserted_by may follow. */
export const CROSSREF_REFERENCE_COLUMNS = ['citing_doi', 'cited_doi'] as const;

export function crossrefReference(row: Record<string, string>): Parsed<CitationRecord> {
  const missing = CROSSREF_REFERENCE_COLUMNS.find((column) => row[column] === undefined);
  if (missing) return { ok: false, reason: `missing column "${missing}"` };
  const citing = normalizeDoi(row.citing_doi);
  if (!citing) return { ok: false, reason: `citing_doi "${row.citing_doi}" is not a DOI` };
  const cited = normalizeDoi(row.cited_doi);
  if (!cited) return { ok: false, reason: `cited_doi "${row.cited_doi}" is not a DOI` };
  return { ok: true, value: { citing: { doi: citing }, cited: { doi: cited } } };
}
