import { z } from 'zod';
import type { WorkType } from '../../generated/prisma/client.js';
import { normalizeArxivId, normalizeDoi, normalizeOrcid, shortOpenalexId } from '../../services/identifiers.js';
import type { AuthorRecord, InstitutionRecord, Parsed, ReportedRecord, WorkIds, WorkRecord } from '../records.js';
import {
  capName,
  checkedYear,
  datePart,
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
import { crossrefWorkType } from './crossref.js';

/**
 * OpenAlex Work objects as the API and the snapshot give them. Field sets differ by API version:
 * older objects name the venue in `host_venue` and use Crossref's type names, newer ones have
 * `primary_location.source` and OpenAlex's own types.
 */

const openalexTypes: Record<string, WorkType> = {
  article: 'ARTICLE',
  book: 'BOOK',
  'book-chapter': 'BOOK_CHAPTER',
  dataset: 'DATASET',
  dissertation: 'DISSERTATION',
  preprint: 'PREPRINT',
  report: 'REPORT',
  review: 'REVIEW',
};

/**
 * OpenAlex's type, refined by type_crossref where OpenAlex's own vocabulary has no word for it
 * (a proceedings article is an "article"). Types of older objects are Crossref's.
 */
export function openalexWorkType(type: string | null | undefined, typeCrossref?: string | null): WorkType | null {
  const name = text(type)?.toLowerCase();
  if (!name) return null;
  if (name === 'article' && text(typeCrossref)?.toLowerCase() === 'proceedings-article') return 'PROCEEDINGS_ARTICLE';
  return openalexTypes[name] ?? crossrefWorkType(name);
}

const optionalText = z.string().nullish();
const optionalNumberText = z.union([z.string(), z.number()]).nullish();
const source = z.object({
  display_name: optionalText,
  type: optionalText,
  publisher: optionalText,
  host_organization_name: optionalText,
});
const location = z.object({ landing_page_url: optionalText, pdf_url: optionalText, source: source.nullish() });

const openalexWorkSchema = z.object({
  id: z.string(),
  doi: optionalText,
  ids: z.object({ doi: optionalText }).nullish(),
  title: optionalText,
  display_name: optionalText,
  publication_year: z.number().int().nullish(),
  publication_date: z.iso.date().nullish(),
  type: optionalText,
  type_crossref: optionalText,
  host_venue: z.object({ display_name: optionalText, publisher: optionalText, url: optionalText }).nullish(),
  alternate_host_venues: z.array(z.object({ url: optionalText })).nullish(),
  primary_location: location.nullish(),
  best_oa_location: location.nullish(),
  locations: z.array(location).nullish(),
  biblio: z
    .object({
      volume: optionalNumberText,
      issue: optionalNumberText,
      first_page: optionalNumberText,
      last_page: optionalNumberText,
    })
    .nullish(),
  authorships: z
    .array(
      z.object({
        author: z.object({ id: optionalText, display_name: optionalText, orcid: optionalText }).nullish(),
        raw_author_name: optionalText,
        raw_orcid: optionalText,
        raw_affiliation_strings: z.array(z.string()).nullish(),
        raw_affiliation_string: optionalText,
        institutions: z
          .array(
            z.object({ id: optionalText, display_name: optionalText, ror: optionalText, country_code: optionalText }),
          )
          .nullish(),
      }),
    )
    .nullish(),
  cited_by_count: nonNegativeInt32.nullish(),
  counts_by_year: z.array(z.object({ year: z.number().int(), cited_by_count: nonNegativeInt32 })).nullish(),
  referenced_works: z.array(z.string()).nullish(),
  updated_date: optionalText,
  created_date: optionalText,
});

type OpenalexWork = z.infer<typeof openalexWorkSchema>;
type Authorship = NonNullable<OpenalexWork['authorships']>[number];

export function openalexWork(value: unknown): Parsed<WorkRecord> {
  const notWork = whyNotAWork(value);
  if (notWork) return { ok: false, reason: notWork };
  const parsed = openalexWorkSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: zodReason(parsed.error) };
  const { value: work, fields } = removeNul(parsed.data);
  const warnings = nulWarnings(fields);

  const openalexId = shortOpenalexId(work.id, 'W');
  if (!openalexId) return { ok: false, reason: `id "${work.id}" is not an OpenAlex work id (https://openalex.org/W…)` };
  const date = publicationDate({ ...isoDateParts(work.publication_date) }, 'publication_date', warnings);

  return {
    ok: true,
    value: {
      ids: workIds(work, openalexId, warnings),
      title: text(work.title) ?? text(work.display_name),
      publicationYear: checkedYear(work.publication_year, 'publication_year', warnings),
      publicationDate: date.date,
      publicationDatePrecision: date.precision,
      type: openalexWorkType(work.type, work.type_crossref),
      venue: capName(
        text(work.primary_location?.source?.display_name) ?? text(work.host_venue?.display_name),
        'venue',
        warnings,
      ),
      biblio: {
        volume: text(work.biblio?.volume),
        issue: text(work.biblio?.issue),
        pages: pageRange(text(work.biblio?.first_page), text(work.biblio?.last_page)),
        publisher: publisher(work),
        url: text(work.primary_location?.landing_page_url) ?? text(work.host_venue?.url),
      },
      authors: nonEmpty(authorRecords(work.authorships ?? [], warnings)),
      reported: reportedCount(work, warnings),
      references: nonEmpty(referencedWorks(work.referenced_works ?? [], warnings)),
      recordKey: openalexId,
    },
    ...(warnings.length ? { warnings } : {}),
  };
}

/** Why the value cannot be a work at all, before its fields are looked at. */
function whyNotAWork(value: unknown): string | null {
  const notObject = describeNonObject(value);
  if (notObject) return notObject;
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.results)) return 'an API list response (meta, results); give one work per line';
  if (record.id === undefined || record.id === null)
    return 'no id: an OpenAlex work needs its id (https://openalex.org/W…)';
  return null;
}

function workIds(work: OpenalexWork, openalexId: string, warnings: string[]): WorkIds {
  const doiText = text(work.doi) ?? text(work.ids?.doi);
  const doi = normalizeDoi(doiText);
  if (doiText && !doi) warnings.push(`doi "${doiText}" is not a DOI`);
  return { openalexId, doi, arxivId: arxivId(work, doi, warnings) };
}

/**
 * The arXiv id the work's arXiv DOI or its locations on arxiv.org name. OpenAlex has no arXiv id
 * field; when the locations name different papers, none is taken.
 */
function arxivId(work: OpenalexWork, doi: string | null, warnings: string[]): string | null {
  const locations = [work.primary_location, work.best_oa_location, ...(work.locations ?? [])];
  const urls = [
    ...locations.flatMap((entry) => [entry?.landing_page_url, entry?.pdf_url]),
    work.host_venue?.url,
    ...(work.alternate_host_venues ?? []).map((venue) => venue.url),
  ];
  const found = new Set([doi, ...urls].map(normalizeArxivId).filter((id): id is string => id !== null));
  if (found.size > 1) warnings.push(`arXiv id left out: the locations name ${[...found].join(', ')}`);
  return found.size === 1 ? ([...found][0] ?? null) : null;
}

function pageRange(first: string | null, last: string | null): string | null {
  if (!first) return last;
  return last && last !== first ? `${first}-${last}` : first;
}

/** A repository's host organization (a university for arXiv) is no publisher of the work. */
function publisher(work: OpenalexWork): string | null {
  const source = work.primary_location?.source;
  const hostOrganization = source?.type === 'repository' ? null : text(source?.host_organization_name);
  return text(source?.publisher) ?? hostOrganization ?? text(work.host_venue?.publisher);
}

function authorRecords(authorships: Authorship[], warnings: string[]): AuthorRecord[] {
  const records: AuthorRecord[] = [];
  authorships.forEach((authorship, index) => {
    const name = capName(
      text(authorship.author?.display_name) ?? text(authorship.raw_author_name),
      `authorships[${index}] name`,
      warnings,
    );
    if (!name) {
      warnings.push(`authorships[${index}] has no author name and was left out`);
      return;
    }
    const idText = text(authorship.author?.id);
    const openalexId = shortOpenalexId(idText, 'A');
    if (idText && !openalexId)
      warnings.push(`authorships[${index}].author.id "${idText}" is not an OpenAlex author id`);
    const orcidText = text(authorship.author?.orcid) ?? text(authorship.raw_orcid);
    const orcid = normalizeOrcid(orcidText);
    if (orcidText && !orcid) warnings.push(`authorships[${index}] orcid "${orcidText}" is not an ORCID iD`);
    const institutions = institutionRecords(authorship, index, warnings);
    records.push({
      name,
      openalexId,
      orcid,
      affiliation: affiliation(authorship),
      ...(institutions.length > 0 ? { institutions } : {}),
    });
  });
  return records;
}

/** The institutions OpenAlex matched the author to; one without an OpenAlex id or ROR is left out. */
function institutionRecords(authorship: Authorship, index: number, warnings: string[]): InstitutionRecord[] {
  return (authorship.institutions ?? []).flatMap((institution, at) => {
    const where = `authorships[${index}].institutions[${at}]`;
    const openalexId = shortOpenalexId(text(institution.id), 'I');
    const ror = rorId(text(institution.ror));
    const name = capName(text(institution.display_name), `${where} name`, warnings);
    if (!name || (!openalexId && !ror)) return [];
    const country = text(institution.country_code)?.toUpperCase() ?? null;
    return [{ name, openalexId, ror, country: country && /^[A-Z]{2}$/.test(country) ? country : null }];
  });
}

/** "https://ror.org/00f54p054" -> "00f54p054"; null when the text is no ROR id. */
function rorId(value: string | null): string | null {
  const match = value ? /^(?:https?:\/\/ror\.org\/)?(0[a-hj-km-np-tv-z0-9]{6}[0-9]{2})$/i.exec(value.trim()) : null;
  return match?.[1]?.toLowerCase() ?? null;
}

/** The affiliation as printed on the work, else the institutions OpenAlex matched. */
function affiliation(authorship: Authorship): string | null {
  const printed = [...(authorship.raw_affiliation_strings ?? []), authorship.raw_affiliation_string].map(text);
  const institutions = (authorship.institutions ?? []).map((institution) => text(institution.display_name));
  return printed.find((entry) => entry !== null) ?? text(institutions.filter(Boolean).join('; '));
}

/** cited_by_count was current on updated_date; objects without it carry created_date. */
function reportedCount(work: OpenalexWork, warnings: string[]): ReportedRecord | null {
  const total = work.cited_by_count;
  if (total === null || total === undefined) return null;
  const retrievedOn = datePart(work.updated_date) ?? datePart(work.created_date);
  if (!retrievedOn) {
    warnings.push('cited_by_count not kept: no updated_date or created_date says when it was current');
    return null;
  }
  const years = (work.counts_by_year ?? []).flatMap((entry, index) => {
    const year = checkedYear(entry.year, `counts_by_year[${index}].year`, warnings);
    return year === null ? [] : [{ year, count: entry.cited_by_count }];
  });
  return { total, retrievedOn, years: nonEmpty(years) };
}

function referencedWorks(ids: string[], warnings: string[]): WorkIds[] {
  return ids.flatMap((idText, index) => {
    const openalexId = shortOpenalexId(idText, 'W');
    if (!openalexId) warnings.push(`referenced_works[${index}] "${idText}" is not an OpenAlex work id`);
    return openalexId ? [{ openalexId }] : [];
  });
}
