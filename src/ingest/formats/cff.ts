import { isScalar, parseDocument } from 'yaml';
import type { WorkType } from '../../generated/prisma/client.js';
import { normalizeDoi, normalizeOrcid } from '../../services/identifiers.js';
import type { AuthorRecord, Parsed, ProjectRecord, WorkRecord } from '../records.js';
import { arxivIdInText, fullDate, plainText } from './bibtex.js';

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
function authorOf(author: unknown): AuthorRecord | null {
  if (!isMapping(author)) return null;
  const parts = ['given-names', 'name-particle', 'family-names', 'name-suffix'].map((key) => text(author, key));
  const name = plainText(parts.filter(Boolean).join(' ')) ?? text(author, 'name');
  if (!name) return null;
  return { name, orcid: normalizeOrcid(text(author, 'orcid')), affiliation: text(author, 'affiliation') };
}

function authorsOf(value: unknown): AuthorRecord[] {
  if (!Array.isArray(value)) return [];
  return value.map(authorOf).filter((author): author is AuthorRecord => author !== null);
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

function yearOf(mapping: Mapping, dateKey: string): number | null {
  const year = mapping.year ?? /^(\d{4})/.exec(text(mapping, dateKey) ?? '')?.[1];
  return year !== undefined && Number.isInteger(Number(year)) ? Number(year) : null;
}

/** CFF gives a page range as `start` and `end`; its `pages` is the number of pages. */
function pagesOf(reference: Mapping): string | null {
  const [start, end] = [text(reference, 'start'), text(reference, 'end')];
  if (start && end) return `${start}-${end}`;
  return start ?? end;
}

function preferredCitationOf(reference: Mapping, file: string): WorkRecord {
  const type = text(reference, 'type');
  return {
    ids: { doi: doiOf(reference), arxivId: arxivIdOf(reference) },
    title: text(reference, 'title'),
    publicationYear: yearOf(reference, 'date-published'),
    publicationDate: fullDate(text(reference, 'date-published')),
    type: type ? (referenceTypes[type] ?? 'OTHER') : null,
    venue: text(reference, 'journal') ?? nameOf(reference, 'conference') ?? text(reference, 'collection-title'),
    biblio: {
      volume: text(reference, 'volume'),
      issue: text(reference, 'issue'),
      pages: pagesOf(reference),
      publisher: nameOf(reference, 'publisher'),
      url: text(reference, 'url'),
    },
    authors: authorsOf(reference.authors),
    recordKey: `${file}#preferred-citation`,
  };
}

function softwareOf(cff: Mapping, authors: AuthorRecord[], repositoryUrl: string | null, file: string): WorkRecord {
  const released = fullDate(text(cff, 'date-released'));
  return {
    ids: { doi: doiOf(cff) },
    title: text(cff, 'title'),
    publicationYear: released ? Number(released.slice(0, 4)) : null,
    publicationDate: released,
    type: 'SOFTWARE',
    biblio: { url: repositoryUrl },
    authors,
    recordKey: `${file}#software`,
  };
}

function missingKeys(cff: Mapping): string[] {
  return requiredKeys.filter((key) => {
    const value = cff[key];
    if (key === 'authors') return !Array.isArray(value) || value.length === 0;
    return text(cff, key) === null;
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
 * format requires is missing; the reason names every missing key.
 */
export function parseCff(source: string, file: string): Parsed<ProjectRecord> {
  const document = parseDocument(source.replace(/^\uFEFF/, ''));
  const [error] = document.errors;
  if (error) return { ok: false, reason: `invalid YAML: ${error.message.split('\n')[0]}` };
  const cff: unknown = document.toJS();
  if (!isMapping(cff)) return { ok: false, reason: 'CITATION.cff is not a YAML mapping' };
  const missing = missingKeys(cff);
  const name = text(cff, 'title');
  if (missing.length > 0 || !name) return { ok: false, reason: `missing required key(s): ${missing.join(', ')}` };

  const authors = authorsOf(cff.authors);
  if (authors.length === 0) return { ok: false, reason: 'authors names no person or entity' };
  const repositoryUrl = text(cff, 'repository-code') ?? text(cff, 'url');
  const preferred = cff['preferred-citation'];
  const dropped = (cff.authors as unknown[]).length - authors.length;
  const project: ProjectRecord = {
    name,
    description: text(cff, 'abstract'),
    repositoryUrl,
    releasedOn: fullDate(text(cff, 'date-released')),
    version: versionOf(document),
    authors,
    authorRole: 'CREATOR',
    preferredCitation: isMapping(preferred) ? preferredCitationOf(preferred, file) : null,
    software: softwareOf(cff, authors, repositoryUrl, file),
  };
  return dropped > 0
    ? { ok: true, value: project, warnings: [`skipped ${dropped} author(s) without a name`] }
    : { ok: true, value: project };
}
