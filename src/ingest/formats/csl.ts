import type { WorkType } from '../../generated/prisma/client.js';
import { normalizeDoi } from '../../services/identifiers.js';
import type { AuthorRecord, Parsed, WorkRecord } from '../records.js';
import { arxivIdInText, type LocatedRecord, normalizePages, type ParsedWorks, plainText } from './bibtex.js';
import {
  capName,
  describeNonObject,
  isoDateParts,
  nonEmpty,
  nulWarnings,
  type PublicationDate,
  publicationDate,
  removeNul,
} from './common.js';

type Item = Record<string, unknown>;

const cslTypes: Record<string, WorkType> = {
  'article-journal': 'ARTICLE',
  'paper-conference': 'PROCEEDINGS_ARTICLE',
  book: 'BOOK',
  chapter: 'BOOK_CHAPTER',
  thesis: 'DISSERTATION',
  report: 'REPORT',
  // CSL has no preprint type; Zotero exports preprints and working papers as "article".
  article: 'PREPRINT',
  software: 'SOFTWARE',
  dataset: 'DATASET',
  review: 'REVIEW',
  'review-book': 'REVIEW',
};

function lineAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}

/**
 * The offsets where the elements of a top-level JSON array start. JSON.parse reports no
 * positions, so the valid JSON is scanned once more for them.
 */
function elementOffsets(text: string): number[] {
  const offsets: number[] = [];
  let depth = 0;
  let inString = false;
  let expectItem = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (/\s/.test(char)) continue;
    if (depth === 1 && expectItem && char !== ']') {
      offsets.push(i);
      expectItem = false;
    }
    if (char === '"') inString = true;
    else if (char === '[' || char === '{') expectItem = ++depth === 1 && char === '[';
    else if (char === ']' || char === '}') depth--;
    else if (char === ',' && depth === 1) expectItem = true;
  }
  return offsets;
}

function syntaxProblem(text: string, error: unknown): LocatedRecord<WorkRecord> {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message)?.[1];
  // "Unexpected end of JSON input" names no position: the file ends too early.
  const { line, column } = lineAt(text, position ? Number(position) : text.length);
  const what = message.replace(/ in JSON at position \d+.*$/, '');
  return { line, parsed: { ok: false, reason: `invalid JSON at line ${line}, column ${column}: ${what}` } };
}

function text(item: Item, key: string): string | null {
  const value = item[key];
  if (typeof value === 'string') return plainText(value);
  return typeof value === 'number' ? String(value) : null;
}

function authorName(author: unknown): string | null {
  if (typeof author !== 'object' || author === null) return null;
  const name = author as Item;
  if (typeof name.literal === 'string') return plainText(name.literal);
  const parts = ['given', 'dropping-particle', 'non-dropping-particle', 'family', 'suffix'].map((key) =>
    text(name, key),
  );
  return plainText(parts.filter(Boolean).join(' '));
}

function authorsOf(item: Item, warnings: string[]): AuthorRecord[] | null {
  if (!Array.isArray(item.author)) return null;
  const names = item.author.map((author, index) => capName(authorName(author), `author[${index}]`, warnings));
  return nonEmpty(names.flatMap((name) => (name ? [{ name }] : [])));
}

/** A date part as a number; null, "" and other text say nothing ({"date-parts": [[null]]} is no date). */
function datePart(part: unknown): number | null {
  if (typeof part === 'number') return part;
  return typeof part === 'string' && /^-?\d+$/.test(part.trim()) ? Number(part) : null;
}

/**
 * Year and date of a CSL date: {"date-parts": [[2014, 6, 3]]} (or [[2014, 6]], to the month),
 * or {"raw": "2014-06-03"}.
 */
function issuedOf(item: Item, warnings: string[]): PublicationDate {
  const issued = item.issued;
  if (typeof issued !== 'object' || issued === null) return { year: null, date: null, precision: null };
  const { 'date-parts': dateParts, raw, literal } = issued as Item;
  const first: unknown = Array.isArray(dateParts) ? dateParts[0] : null;
  if (Array.isArray(first) && first.length > 0) {
    const [year, month, day] = first.map(datePart);
    return publicationDate({ year, month, day }, 'issued', warnings);
  }
  const printed = typeof raw === 'string' ? raw : typeof literal === 'string' ? literal : '';
  const year = /\b(\d{4})\b/.exec(printed)?.[1];
  return publicationDate(isoDateParts(printed) ?? { year: year ? Number(year) : null }, 'issued', warnings);
}

function workOf(item: Item, recordKey: string, warnings: string[]): WorkRecord {
  const doi = normalizeDoi(text(item, 'DOI'));
  const arxivId =
    arxivIdInText(text(item, 'number')) ??
    arxivIdInText(text(item, 'URL')) ??
    arxivIdInText(text(item, 'DOI')) ??
    arxivIdInText(text(item, 'note'));
  const issued = issuedOf(item, warnings);
  const type = text(item, 'type');
  return {
    ids: { doi, arxivId },
    title: text(item, 'title'),
    publicationYear: issued.year,
    publicationDate: issued.date,
    publicationDatePrecision: issued.precision,
    type: type ? (cslTypes[type] ?? 'OTHER') : null,
    venue: capName(text(item, 'container-title'), 'container-title', warnings),
    biblio: {
      volume: text(item, 'volume'),
      issue: text(item, 'issue'),
      pages: normalizePages(text(item, 'page')),
      publisher: text(item, 'publisher'),
      url: text(item, 'URL'),
      citationKey: text(item, 'citation-key') ?? text(item, 'id'),
    },
    authors: authorsOf(item, warnings),
    recordKey,
  };
}

function parseItem(value: unknown, fallbackKey: string): Parsed<WorkRecord> {
  const notObject = describeNonObject(value);
  if (notObject) return { ok: false, reason: `item is ${notObject}` };
  const { value: item, fields } = removeNul(value as Item);
  const warnings = nulWarnings(fields);
  const work = workOf(item, text(item, 'citation-key') ?? text(item, 'id') ?? fallbackKey, warnings);
  if (!work.title && !work.ids.doi && !work.ids.arxivId) {
    return { ok: false, reason: 'item has neither a title nor a DOI or arXiv id' };
  }
  return warnings.length > 0 ? { ok: true, value: work, warnings } : { ok: true, value: work };
}

/**
 * The works of a CSL-JSON file (an array of items, as Zotero exports, or a single item), one
 * result per item in file order. A file that is not valid JSON gives one reason, at the line of
 * the syntax error, and no works.
 */
export function parseCslJson(source: string, file: string): ParsedWorks {
  const json = source.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { records: [syntaxProblem(json, error)] };
  }
  const offsets = Array.isArray(value) ? elementOffsets(json) : [json.search(/\S/)];
  const items = Array.isArray(value) ? value : [value];
  return {
    records: items.map((item, index) => {
      const line = lineAt(json, offsets[index] ?? 0).line;
      return { line, parsed: parseItem(item, `${file}:${line}`) };
    }),
  };
}
