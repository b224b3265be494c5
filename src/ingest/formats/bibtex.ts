import { type Creator, type Entry, parse } from '@retorquere/bibtex-parser';
import type { WorkType } from '../../generated/prisma/client.js';
import { normalizeArxivId, normalizeDoi } from '../../services/identifiers.js';
import type { AuthorRecord, Parsed, WorkRecord } from '../records.js';
import { capName, checkedYear, isoDateParts, nonEmpty, type PublicationDate, publicationDate } from './common.js';

/** One record of an input file with the 1-based line where it starts. */
export interface LocatedRecord<T> {
  line: number;
  parsed: Parsed<T>;
}

/** What the bibliography parsers return: one entry per input record, in file order. */
export interface ParsedWorks {
  records: LocatedRecord<WorkRecord>[];
}

/**
 * A line that opens an entry: "@article{", "@InProceedings{\t", "@string(". Entries are split
 * here before parsing, so an unbalanced brace in one entry cannot swallow the entries after it.
 */
const entryStart = /^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]/;

/** Parser output markup (rich text) that a plain-text title must not keep. */
const markupTag = /<\/?(?:a|b|i|em|strong|sup|sub|code|p|span)(?:\s[^>]*)?>/g;

const entryTypes: Record<string, WorkType> = {
  article: 'ARTICLE',
  inproceedings: 'PROCEEDINGS_ARTICLE',
  conference: 'PROCEEDINGS_ARTICLE',
  book: 'BOOK',
  incollection: 'BOOK_CHAPTER',
  inbook: 'BOOK_CHAPTER',
  phdthesis: 'DISSERTATION',
  mastersthesis: 'DISSERTATION',
  thesis: 'DISSERTATION',
  techreport: 'REPORT',
  report: 'REPORT',
  software: 'SOFTWARE',
  dataset: 'DATASET',
};

/** "arXiv preprint arXiv:1408.5093", "see https://arxiv.org/abs/1408.5093v2" -> "1408.5093". */
export function arxivIdInText(text: string | null | undefined): string | null {
  if (!text) return null;
  const tokens = text.replace(/arxiv:\s+/gi, 'arXiv:').split(/[\s,;()]+/);
  for (const token of tokens) {
    // A bare number in free text could be anything; only a prefixed token names arXiv.
    if (!/^(?:arxiv:|https?:|10\.48550\/)/i.test(token)) continue;
    const id = normalizeArxivId(token.replace(/[.]$/, ''));
    if (id) return id;
  }
  return null;
}

/** "675--678" or "675–678" -> "675-678": BibTeX and typographic range dashes become one hyphen. */
export function normalizePages(text: string | null | undefined): string | null {
  const pages = text?.trim().replace(/\s*(?:-{2,3}|[–—])\s*/g, '-');
  return pages ? pages : null;
}

/**
 * Text as a reader sees it: markup tags removed, whitespace (including the no-break space "~"
 * becomes) collapsed, and LaTeX's dotless i under an accent (\'\i) written as the accented i.
 */
export function plainText(text: string | null | undefined): string | null {
  if (!text) return null;
  const plain = text
    .replace(markupTag, '')
    .replace(/ı(?=\p{M})/gu, 'i')
    .replace(/ȷ(?=\p{M})/gu, 'j')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();
  return plain ? plain : null;
}

/** One entry's text with the line of the file where it starts. */
interface Chunk {
  line: number;
  kind: string;
  text: string;
}

function splitEntries(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  const lines = text.split('\n');
  let current: Chunk | null = null;
  lines.forEach((line, index) => {
    const start = entryStart.exec(line);
    if (start?.[1]) {
      current = { line: index + 1, kind: start[1].toLowerCase(), text: line };
      chunks.push(current);
    } else if (current) {
      current.text += `\n${line}`;
    }
  });
  return chunks;
}

function stringsOf(chunks: Chunk[]): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const chunk of chunks.filter((c) => c.kind === 'string')) {
    Object.assign(strings, parse(chunk.text, { raw: true }).strings);
  }
  return strings;
}

function nameOf(creator: Creator): string | null {
  const name = creator.name ?? [creator.firstName, creator.prefix, creator.lastName, creator.suffix].join(' ');
  return plainText(name);
}

/** "and others" and "et al." stand for authors the entry does not name. */
function isOthers(name: string): boolean {
  return /^(?:others|et\.? al\.?)$/i.test(name);
}

function authorsOf(creators: Creator[] | undefined, warnings: string[]): AuthorRecord[] | null {
  if (!creators) return null;
  const names = creators
    .map((creator, index) => capName(nameOf(creator), `author ${index + 1}`, warnings))
    .filter((name): name is string => name !== null && !isOthers(name));
  return nonEmpty(names.map((name) => ({ name })));
}

function field(entry: Entry, name: string): string | null {
  const value = (entry.fields as Record<string, unknown>)[name];
  if (typeof value === 'string') return plainText(value);
  // Publisher, institution and school are lists ("A and B"); print them as the entry did.
  if (Array.isArray(value)) return plainText(value.join(' and '));
  return null;
}

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "5", "05", "may", "May", "September" -> the month's number; null for other text ("Spring"). */
function monthOf(text: string | null): number | null {
  if (!text) return null;
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const name = text.toLowerCase().replace(/\.$/, '');
  const index = monthNames.indexOf(name.slice(0, 3));
  if (index === -1) return null;
  const full = new Date(Date.UTC(2000, index, 1)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
  return name.length === 3 || full.toLowerCase() === name ? index + 1 : null;
}

/**
 * The year, and the date to the day or the month: biblatex `date` ("2020-05-17", "2020-05"), or
 * the year, month and day fields. A `year` field wins over the year of `date`.
 */
function dateOf(entry: Entry, warnings: string[]): PublicationDate {
  const [yearText, dateText] = [field(entry, 'year'), field(entry, 'date')];
  const yearField = /^-?\d+$/.test(yearText ?? '') ? Number(yearText) : null;
  const fromDate = isoDateParts(dateText);
  if (fromDate) {
    const date = publicationDate(fromDate, 'date', warnings);
    return yearField === null ? date : { ...date, year: checkedYear(yearField, 'year', warnings) };
  }
  const dateYear = /^-?\d+/.exec(dateText ?? '')?.[0];
  const year = yearField ?? (dateYear === undefined ? null : Number(dateYear));
  const day = field(entry, 'day');
  return publicationDate(
    { year, month: monthOf(field(entry, 'month')), day: day && /^\d{1,2}$/.test(day) ? Number(day) : null },
    yearField === null ? 'date' : 'year',
    warnings,
  );
}

function arxivIdOf(entry: Entry): string | null {
  const archive = field(entry, 'archiveprefix') ?? field(entry, 'eprinttype');
  const eprint = field(entry, 'eprint');
  const fromEprint = archive?.toLowerCase() === 'arxiv' ? normalizeArxivId(eprint) : arxivIdInText(eprint);
  return (
    fromEprint ??
    arxivIdInText(field(entry, 'journal')) ??
    arxivIdInText(field(entry, 'url')) ??
    arxivIdInText(field(entry, 'doi')) ??
    arxivIdInText(field(entry, 'howpublished'))
  );
}

/** A @misc's howpublished names its venue, unless it is a link (as it often is). */
function publishedIn(entry: Entry): string | null {
  const text = field(entry, 'howpublished');
  return text && !/:\/\/|^www\.|^\\url/i.test(text) ? text : null;
}

function typeOf(entryType: string, arxivId: string | null): WorkType {
  if (entryType === 'misc' && arxivId) return 'PREPRINT';
  return entryTypes[entryType] ?? 'OTHER';
}

function workOf(entry: Entry, recordKey: string, warnings: string[]): WorkRecord {
  const arxivId = arxivIdOf(entry);
  const date = dateOf(entry, warnings);
  return {
    ids: { doi: normalizeDoi(field(entry, 'doi')) ?? normalizeDoi(field(entry, 'url')), arxivId },
    title: field(entry, 'title'),
    publicationYear: date.year,
    publicationDate: date.date,
    publicationDatePrecision: date.precision,
    type: typeOf(entry.type.toLowerCase(), arxivId),
    venue: capName(
      field(entry, 'journal') ?? field(entry, 'journaltitle') ?? field(entry, 'booktitle') ?? publishedIn(entry),
      'venue',
      warnings,
    ),
    biblio: {
      volume: field(entry, 'volume'),
      issue: field(entry, 'number') ?? field(entry, 'issue'),
      pages: normalizePages(field(entry, 'pages')),
      publisher: field(entry, 'publisher') ?? field(entry, 'institution') ?? field(entry, 'school'),
      url: field(entry, 'url'),
      citationKey: entry.key || null,
    },
    authors: authorsOf(entry.fields.author, warnings),
    recordKey,
  };
}

/** The usual cause of a malformed entry, said plainly: braces that do not pair up. */
function braceProblem(text: string): string | null {
  const braces = text.replace(/\\[{}]/g, '');
  const balance = (braces.match(/\{/g)?.length ?? 0) - (braces.match(/\}/g)?.length ?? 0);
  if (balance > 0) return `${balance} unclosed "{"`;
  return balance < 0 ? `${-balance} unmatched "}"` : null;
}

/** Parser messages count lines from the entry's own start; make them lines of the file. */
function withFileLine(message: string, chunkLine: number): string {
  return message.replace(/ at line (\d+), column (\d+)/, (_all, line: string, column: string) => {
    return ` at line ${chunkLine + Number(line) - 1}, column ${column}`;
  });
}

function parseChunk(chunk: Chunk, file: string, strings: Record<string, string>): LocatedRecord<WorkRecord>[] {
  const warnings: string[] = [];
  const nulCount = chunk.text.split('\u0000').length - 1;
  // A NUL byte is no text (and would break the database write); drop it and say so.
  if (nulCount > 0) warnings.push(`removed ${nulCount} NUL character(s)`);
  const library = parse(chunk.text.replaceAll('\u0000', ''), {
    english: false,
    sentenceCase: false,
    caseProtection: false,
    strings,
    unsupported: (node, tex) => {
      // "Rend.\ Accad." uses "\ " for an inter-word space.
      if (node.type === 'macro' && node.content === ' ') return ' ';
      warnings.push(`unknown LaTeX command ${tex.trim()} kept as written`);
      return tex;
    },
  });
  const failure = library.errors[0];
  const entries = library.entries;
  if (entries.length === 0 || entries.some((entry) => entry.input === '')) {
    const message = failure ? withFileLine(failure.error.split('\n')[0] ?? failure.error, chunk.line) : 'no entry';
    return [
      {
        line: chunk.line,
        parsed: { ok: false, reason: `malformed BibTeX entry: ${braceProblem(chunk.text) ?? message}` },
      },
    ];
  }
  warnings.push(...library.errors.map((error) => error.error));
  return entries.map((entry) => ({ line: chunk.line, parsed: usableWork(entry, `${file}:${chunk.line}`, warnings) }));
}

function usableWork(entry: Entry, fallbackKey: string, chunkWarnings: string[]): Parsed<WorkRecord> {
  const warnings = [...chunkWarnings];
  const work = workOf(entry, entry.key || fallbackKey, warnings);
  if (!work.title && !work.ids.doi && !work.ids.arxivId) {
    return { ok: false, reason: 'entry has neither a title nor a DOI or arXiv id' };
  }
  const all = entry.key ? warnings : [...warnings, 'entry has no citation key'];
  return all.length > 0 ? { ok: true, value: work, warnings: all } : { ok: true, value: work };
}

/**
 * The works of a .bib file, one result per entry in file order; @string definitions apply to
 * the whole file, @comment and @preamble are skipped. A malformed entry becomes a reason at its
 * own line and costs no other entry.
 */
export function parseBibtex(text: string, file: string): ParsedWorks {
  const chunks = splitEntries(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  const strings = stringsOf(chunks);
  const entries = chunks.filter((chunk) => !['string', 'comment', 'preamble'].includes(chunk.kind));
  return { records: entries.flatMap((chunk) => parseChunk(chunk, file, strings)) };
}
