import { z } from 'zod';
import { matchKey } from '../../services/identifiers.js';

/** Helpers the formats share. */

/** A count or id for the database's 32-bit integer columns: larger values are no real counts or ids. */
export const nonNegativeInt32 = z.number().int().nonnegative().max(2_147_483_647);

/**
 * The value with NUL characters removed from every string in it, and the paths of the strings
 * that held one ("authorships[0].raw_affiliation_strings[1]"). PostgreSQL text cannot store NUL.
 */
export function removeNul<T>(value: T): { value: T; fields: string[] } {
  const fields: string[] = [];
  const clean = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') {
      if (!node.includes('\u0000')) return node;
      fields.push(path);
      return node.replaceAll('\u0000', '');
    }
    if (Array.isArray(node)) return node.map((item, index) => clean(item, `${path}[${index}]`));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([key, item]) => [key, clean(item, path ? `${path}.${key}` : key)]),
      );
    }
    return node;
  };
  return { value: clean(value, '') as T, fields };
}

export function nulWarnings(fields: string[]): string[] {
  return fields.map((field) => `removed NUL characters from ${field}`);
}

/** The first problem zod found, with the path of the offending field. */
export function zodReason(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid record';
  const path = issue.path.map((key, index) =>
    typeof key === 'number' ? `[${key}]` : `${index ? '.' : ''}${String(key)}`,
  );
  return `${path.join('') || 'record'}: ${issue.message}`;
}

/** Trimmed text, or null when there is none. */
export function text(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
}

/** An empty list of authors or references says nothing, so it must not read as "none" to the writer. */
export function nonEmpty<T>(list: T[]): T[] | null {
  return list.length ? list : null;
}

/** "2024-01-02T04:50:09.123" -> "2024-01-02"; null when the text does not start with a date. */
export function datePart(value: string | null | undefined): string | null {
  const match = value ? /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(value.trim()) : null;
  return match?.[1] ?? null;
}

/** What a record is when it is not a JSON object, for rejection reasons. */
export function describeNonObject(value: unknown): string | null {
  if (Array.isArray(value)) return 'not a JSON object but an array';
  if (value === null || typeof value !== 'object')
    return `not a JSON object but ${value === null ? 'null' : typeof value}`;
  return null;
}

/** Years a work can be published in: from 1000 to next year (issues are dated ahead). */
function yearRange(): { first: number; last: number } {
  return { first: 1000, last: new Date().getUTCFullYear() + 1 };
}

/**
 * The year when it is a plausible publication year, else null and a warning: 0, -5, 3025 and
 * 99999 are placeholders or typos, never stored.
 */
export function checkedYear(year: number | null | undefined, field: string, warnings: string[]): number | null {
  if (year === null || year === undefined) return null;
  const { first, last } = yearRange();
  if (Number.isInteger(year) && year >= first && year <= last) return year;
  warnings.push(`${field} ${year} is not a year from ${first} to ${last}; left out`);
  return null;
}

export type DatePrecision = 'DAY' | 'MONTH';

/** A publication date and how much of it the source gave. */
export interface PublicationDate {
  year: number | null;
  /** YYYY-MM-DD; the first of the month for a date known to the month. */
  date: string | null;
  precision: DatePrecision | null;
}

/**
 * Year and date from a source's parts: year, month and day make a DAY date, year and month a
 * MONTH date, a year alone only the year. A month or day that does not exist is dropped with a
 * warning; a year out of range drops the whole date.
 */
export function publicationDate(
  parts: { year?: number | null; month?: number | null; day?: number | null },
  field: string,
  warnings: string[],
): PublicationDate {
  const year = checkedYear(parts.year, field, warnings);
  const none = { year, date: null, precision: null };
  if (year === null || parts.month === null || parts.month === undefined) return none;
  const month = parts.month;
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    warnings.push(`${field} month ${month} is not 1-12; kept the year only`);
    return none;
  }
  const monthDate = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
  if (parts.day === null || parts.day === undefined) return { year, date: `${monthDate}-01`, precision: 'MONTH' };
  const day = parts.day;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth) {
    warnings.push(`${field} ${monthDate}-${day} is no date; kept the month`);
    return { year, date: `${monthDate}-01`, precision: 'MONTH' };
  }
  return { year, date: `${monthDate}-${String(day).padStart(2, '0')}`, precision: 'DAY' };
}

/** Year, month and day of "2014-06-03", or year and month of "2014-06"; null for other text. */
export function isoDateParts(text: string | null | undefined): { year: number; month: number; day?: number } | null {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?![\d-])/.exec(text?.trim() ?? '');
  if (!match) return null;
  return { year: Number(match[1]), month: Number(match[2]), ...(match[3] ? { day: Number(match[3]) } : {}) };
}

/**
 * Names, venues and project names are kept to this many UTF-8 bytes, and so are their match
 * keys (an NFKD expansion can make a key much longer than its name): each is in a btree index,
 * whose entries PostgreSQL limits to 2,704 bytes.
 */
export const MAX_NAME_BYTES = 1000;

const fitsIndex = (value: string) =>
  Buffer.byteLength(value) <= MAX_NAME_BYTES && Buffer.byteLength(matchKey(value)) <= MAX_NAME_BYTES;

/** The text cut to fit MAX_NAME_BYTES (at a character), with a warning when it had to be cut. */
export function capName(value: string, field: string, warnings: string[]): string;
export function capName(value: string | null, field: string, warnings: string[]): string | null;
export function capName(value: string | null, field: string, warnings: string[]): string | null {
  if (value === null || fitsIndex(value)) return value;
  // Every character takes a byte at least, so the kept part is among the first MAX_NAME_BYTES.
  const chars = Array.from(value.slice(0, MAX_NAME_BYTES + 1));
  let fits = 0;
  let tooLong = chars.length;
  while (tooLong - fits > 1) {
    const middle = Math.floor((fits + tooLong) / 2);
    if (fitsIndex(chars.slice(0, middle).join(''))) fits = middle;
    else tooLong = middle;
  }
  const capped = chars.slice(0, fits).join('').trimEnd();
  warnings.push(`${field} is ${Buffer.byteLength(value)} bytes long; kept its first ${Buffer.byteLength(capped)}`);
  return capped;
}
