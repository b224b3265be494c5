import { GraphQLError } from 'graphql';
import { builder, decodeGlobalID } from '../builder.js';
import { DatePrecision } from '../generated/prisma/enums.js';
import type { YearCount } from '../services/metrics.js';
import { MAX_QUERY_LENGTH } from '../services/search.js';

/** Types shared by several domains. */

export const DatePrecisionEnum = builder.enumType(DatePrecision, {
  name: 'DatePrecision',
  description: 'How precisely a date is known. The Date value is the first day of the period.',
  values: {
    DAY: { description: 'The day is known.' },
    MONTH: { description: 'Only the month is known: the date is its first day.' },
    YEAR: { description: 'Only the year is known: the date is 1 January.' },
  },
});

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

/** The end of a dated period, as Affiliation and Contribution show it. */
interface PeriodEnd {
  endDate: Date | null;
  endPrecision: DatePrecision | null;
  ended: boolean;
}

export function periodEndFields<Shape extends PeriodEnd>(
  t: Pick<PothosSchemaTypes.FieldBuilder<BuilderTypes, Shape, 'Object'>, 'field' | 'boolean'>,
) {
  return {
    endDate: t.field({
      type: 'Date',
      nullable: true,
      description: 'When the period ended; null while it runs, or when it ended at an unknown date (see ended).',
      resolve: (period) => period.endDate,
    }),
    endPrecision: t.field({
      type: DatePrecisionEnum,
      nullable: true,
      description: 'How precisely endDate is known; null without an endDate.',
      resolve: (period) => period.endPrecision,
    }),
    ended: t.boolean({
      description: 'True when the period is over; with no endDate the end is unknown.',
      resolve: (period) => period.ended,
    }),
    isCurrent: t.boolean({
      description: 'An open period: "to date".',
      resolve: (period) => period.endDate === null && !period.ended,
    }),
  };
}

/**
 * The totalCount field Pothos' prisma connections add, described: the same resolver (the
 * connection's count, or its count callback) and the same extension, which lets a selection of
 * totalCount alone skip loading the page.
 */
export function prismaTotalCount<Shape extends object>(
  c: Pick<PothosSchemaTypes.FieldBuilder<BuilderTypes, Shape, 'Object'>, 'int'>,
  description: string,
) {
  return c.int({
    description,
    extensions: { pothosPrismaTotalCount: true },
    resolve: (connection) => {
      const count = (connection as { totalCount?: number | (() => Promise<number>) }).totalCount;
      return (typeof count === 'function' ? count() : count) as number | Promise<number>;
    },
  });
}

export const YearCountRef = builder.objectRef<YearCount>('YearCount').implement({
  description: 'A count for one calendar year.',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The calendar year.' }),
    count: t.exposeInt('count', { description: 'The count for that year; 0 in a year without any.' }),
  }),
});

export const OrderDirection = builder.enumType('OrderDirection', {
  description: 'Which way a list is sorted.',
  values: {
    ASC: { value: 'asc', description: 'Lowest first.' },
    DESC: { value: 'desc', description: 'Highest first.' },
  } as const,
});

/** Ids and cursors are PostgreSQL `integer`s. */
export function isDatabaseInt(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 2_147_483_647;
}

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** The numeric database id behind a global id of the expected type. */
export function idOf(globalID: string, typename: string): number {
  const decoded = decodeGlobalID(globalID);
  if (decoded.typename !== typename) throw badInput(`Expected a ${typename} id, got a ${decoded.typename} id.`);
  return Number(decoded.id);
}

function checkYear(year: number, name: string) {
  if (!Number.isInteger(year) || year < 1000 || year > 9999)
    throw badInput(`${name}: ${year} is not a year between 1000 and 9999.`);
}

/** Optional bounds of a year range: each a year between 1000 and 9999, and not to before from. */
export function checkYears(from: number | null | undefined, to: number | null | undefined, names = ['from', 'to']) {
  if (from != null) checkYear(from, names[0] ?? 'from');
  if (to != null) checkYear(to, names[1] ?? 'to');
  if (from != null && to != null && to < from) {
    throw badInput(`The year range ${from}..${to} is empty: ${names[1]} is before ${names[0]}.`);
  }
  return { from: from ?? null, to: to ?? null };
}

/** A year range for a per-year series, filled in from defaults; at most 500 years, so a response stays small. */
export function yearRange(from: number | null | undefined, to: number | null | undefined, fallback: [number, number]) {
  const range = checkYears(from ?? fallback[0], to ?? fallback[1]);
  const start = range.from ?? fallback[0];
  const end = range.to ?? fallback[1];
  if (end - start > 500) throw badInput('A year range spans at most 500 years.');
  return { from: start, to: end };
}

export function checkSince(since: number | null | undefined): number | null {
  if (since == null) return null;
  checkYear(since, 'since');
  return since;
}

/** Words to search for (Query.search, WorkFilter.search): trimmed, some text, not too long, no NUL. */
export function checkSearchQuery(query: string): string {
  const text = query.trim();
  if (text === '') throw badInput('search needs a query: some text to look for.');
  if (text.length > MAX_QUERY_LENGTH) {
    throw badInput(`A search query is at most ${MAX_QUERY_LENGTH} characters; this one is ${text.length}.`);
  }
  if (text.includes('\u0000')) throw badInput('Text arguments must not contain the NUL character (U+0000).');
  return text;
}
