import type { z } from 'zod';

/** Helpers the JSON work formats (OpenAlex, Semantic Scholar, Crossref) share. */

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
