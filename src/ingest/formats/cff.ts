import { isScalar, parseDocument } from 'yaml';
import type { WorkType } from '../../generated/prisma/client.js';
import { normalizeDoi, normalizeOrcid } from '../../services/identifiers.js';
import type { AuthorRecord, Parsed, ProjectRecord, WorkRecord } from '../records.js';
import { arxivIdInText, plainText } from './bibtex.js';
import { capName, checkedYear, isoDateParts, type PublicationDate, publicationDate } from './common.js';

type Mapping = Record<string, unknown>;

/** The keys CFF 1.2.0 requires at the top level. */
const requiredKeys = ['cff-version', 'message', 'title', 'authors'] as const;

const referenceTypes: Record<string, WorkType> = {
  article: 'ARTICLE',
  'magazine-article': 'ARTICLE',
  'newspaper-article': 'ARTICLE',
  'conference-paper': 'PROCEEDINGS_ARTICLE',
  book: 'BOOK',
  'edited-work': 'BOOK',
  chapter: 'BOOK_CHAPTER',
  thesis: 'DISSERTATION',
  report: 'REPORT',
  software: 'SOFTWARE',
  'software-code': 'SOFTWARE',
  'software-container': 'SOFTWARE',
  'software-executable': 'SOFTWARE',
  'software-virtual-machine': 'SOFTWARE',
  data: 'DATASET',
  database: 'DATASET',
};

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A scalar as text; YAML reads `version: 1.0` as the number 1, so numbers print as given. */
function text(mapping: Mapping, key: string): string | null {
  const value = mapping[key];
  if (typeof value === 'string') return plainText(value);
  return typeof value === 'number' ? String(value) : null;
}

function nameOf(mapping: Mapping, key: string): string | null {
  const value = mapping[key];
  return isMapping(value) ? text(value, 'name') : null;
}

/** A person (given-names, name-particle, family-names, name-suffix) or an entity (name). */
function authorOf(author: unknown, field: string, warnings: string[]): AuthorRecord | null {
  if (!isMapping(author)) return null;
  const parts = ['given-names', 'name-particle', 'family-names', 'name-suffix'].map((key) => text(author, key));
  const name = capName(plainText(parts.filter(Boolean).join(' ')) ?? text(author, 'name'), field, warnings);
  if (!name) return null;
  return { name, orcid: normalizeOrcid(text(author, 'orcid')), affiliation: text(author, 'affiliation') };
}

function authorsOf(value: unknown, field: string, warnings: string[]): AuthorRecord[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((author, index) => authorOf(author, `${field}[${index}]`, warnings))
    .filter((author): author is AuthorRecord => author !== null);
}

/** The DOI from `doi`, or else from the first `identifiers` entry of type doi. */
function doiOf(mapping: Mapping): string | null {
  const identifiers = Array.isArray(mapping.identifiers) ? mapping.identifiers.filter(isMapping) : [];
  const listed = identifiers.find((identifier) => identifier.type === 'doi');
  return normalizeDoi(text(mapping, 'doi')) ?? (listed ? normalizeDoi(text(listed, 'value')) : null);
}

function arxivIdOf(mapping: Mapping): string | null {
  const identifiers = Array.isArray(mapping.identifiers) ? mapping.identifiers.filter(isMapping) : [];
  const candidates = [
    text(mapping, 'url'),
    text(mapping, 'doi'),
    text(mapping, 'journal'),
    ...identifiers.map((identifier) => text(identifier, 'value')),
  ];
  return candidates.map(arxivIdInText).find((id) => id !== null) ?? null;
}

/** CFF gives a page range as `start` and `end`; its `pages` is the number of pages. */
function pagesOf(reference: Mapping): string | null {
  const [start, end] = [text(reference, 'start'), text(reference, 'end')];
  if (start && end) return `${start}-${end}`;
  return start ?? end;
}

/** A CFF date: YYYY-MM-DD, as the format requires. */
function dateOf(mapping: Mapping, key: string, field: string, warnings: string[]): PublicationDate {
  const parts = isoDateParts(text(mapping, key));
  return parts?.day ? publicationDate(parts, field, warnings) : { year: null, date: null, precision: null };
}

function preferredCitationOf(reference: Mapping, file: string, warnings: string[]): WorkRecord {
  const type = text(reference, 'type');
  const published = dateOf(reference, 'date-published', 'preferred-citation.date-published', warnings);
  const yearText = text(reference, 'year');
  const year = /^-?\d+$/.test(yearText ?? '') ? Number(yearText) : null;
  return {
    ids: { doi: doiOf(reference), arxivId: arxivIdOf(reference) },
    title: text(reference, 'title'),
    publicationYear: checkedYear(year, 'preferred-citation.year', warnings) ?? published.year,
    publicationDate: published.date,
    publicationDatePrecision: published.precision,
    type: type ? (referenceTypes[type] ?? 'OTHER') : null,
    venue: capName(
      text(reference, 'journal') ?? nameOf(reference, 'conference') ?? text(reference, 'collection-title'),
      'preferred-citation venue',
      warnings,
    ),
    biblio: {
      volume: text(reference, 'volume'),
      issue: text(reference, 'issue'),
      pages: pagesOf(reference),
      publisher: nameOf(reference, 'publisher'),
      url: text(reference, 'url'),
    },
    authors: authorsOf(reference.authors, 'preferred-citation.authors', warnings),
    recordKey: `${file}#preferred-citation`,
  };
}

function softwareOf(
  cff: Mapping,
  authors: AuthorRecord[],
  repositoryUrl: string | null,
  file: string,
  released: PublicationDate,
): WorkRecord {
  return {
    ids: { doi: doiOf(cff) },
    title: text(cff, 'title'),
    publicationYear: released.year,
    publicationDate: released.date,
    publicationDatePrecision: released.precision,
    type: 'SOFTWARE',
    biblio: { url: repositoryUrl },
    authors,
    recordKey: `${file}#software`,
  };
}

/** What is wrong with the keys CFF requires, each with its key: "authors: must list at least one author". */
function requiredKeyProblems(cff: Mapping): string[] {
  return requiredKeys.flatMap((key) => {
    const value = cff[key];
    if (value === undefined || value === null) return [`${key}: missing (a required key)`];
    if (key === 'authors') {
      if (!Array.isArray(value)) return ['authors: must be a list of persons or entities'];
      return value.length === 0 ? ['authors: must list at least one author'] : [];
    }
    return text(cff, key) === null ? [`${key}: must be non-empty text`] : [];
  });
}

/** `version` as written: the YAML source of the scalar, so "1.10" does not become 1.1. */
function versionOf(document: ReturnType<typeof parseDocument>): string | null {
  const node = document.get('version', true);
  if (!isScalar(node) || node.value === null) return null;
  return plainText(node.source ?? String(node.value));
}

/**
 * The project a CITATION.cff (format 1.2.0) describes: its software record, its authors as
 * creators, and the work it asks to be cited by. Unusable when the YAML is invalid or a key the
 * format requires is missing or empty; the reason names every such key.
 */
export function parseCff(source: string, file: string): Parsed<ProjectRecord> {
  const document = parseDocument(source.replace(/^\uFEFF/, ''));
  const [error] = document.errors;
  if (error) return { ok: false, reason: `invalid YAML: ${error.message.split('\n')[0]}` };
  let cff: unknown;
  try {
    cff = document.toJS();
  } catch (aliasError) {
    // An alias bomb (billions of expansions) or an alias without its anchor.
    return { ok: false, reason: `invalid YAML: ${(aliasError as Error).message}` };
  }
  if (!isMapping(cff)) return { ok: false, reason: 'CITATION.cff is not a YAML mapping' };
  const problems = requiredKeyProblems(cff);
  const title = text(cff, 'title');
  if (problems.length > 0 || !title) return { ok: false, reason: problems.join('; ') };

  const warnings: string[] = [];
  const authors = authorsOf(cff.authors, 'authors', warnings);
  if (authors.length === 0) return { ok: false, reason: 'authors: names no person or entity' };
  const dropped = (cff.authors as unknown[]).length - authors.length;
  if (dropped > 0) warnings.push(`skipped ${dropped} author(s) without a name`);
  const repositoryUrl = text(cff, 'repository-code') ?? text(cff, 'url');
  const preferred = cff['preferred-citation'];
  const released = dateOf(cff, 'date-released', 'date-released', warnings);
  const project: ProjectRecord = {
    name: capName(title, 'title', warnings),
    description: text(cff, 'abstract'),
    repositoryUrl,
    releasedOn: released.date,
    version: versionOf(document),
    authors,
    authorRole: 'CREATOR',
    preferredCitation: isMapping(preferred) ? preferredCitationOf(preferred, file, warnings) : null,
    software: softwareOf(cff, authors, repositoryUrl, file, released),
  };
  return warnings.length > 0 ? { ok: true, value: project, warnings } : { ok: true, value: project };
}
