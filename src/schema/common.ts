import { GraphQLError } from 'graphql';
import { builder, decodeGlobalID } from '../builder.js';
import { DatePrecision } from '../generated/prisma/enums.js';
import type { YearCount } from '../services/metrics.js';

/** Types shared by several domains. */

export const DatePrecisionEnum = builder.enumType(DatePrecision, {
  name: 'DatePrecision',
  description: 'How precisely a date is known. The Date value is the first day of the period.',
});

export const YearCountRef = builder.objectRef<YearCount>('YearCount').implement({
  description: 'A count for one calendar year.',
  fields: (t) => ({
    year: t.exposeInt('year'),
    count: t.exposeInt('count'),
  }),
});

export const OrderDirection = builder.enumType('OrderDirection', {
  values: { ASC: { value: 'asc' }, DESC: { value: 'desc' } } as const,
});

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** The numeric database id behind a global id of the expected type. */
export function idOf(globalID: string, typename: string): number {
  const decoded = decodeGlobalID(globalID);
  if (decoded.typename !== typename) throw badInput(`Expected a ${typename} id, got a ${decoded.typename} id.`);
  return Number(decoded.id);
}

/** Years run from 1000 to 9999 and a range spans at most 500 years, so a request stays small. */
export function yearRange(from: number | null | undefined, to: number | null | undefined, fallback: [number, number]) {
  const start = from ?? fallback[0];
  const end = to ?? fallback[1];
  for (const year of [start, end]) {
    if (!Number.isInteger(year) || year < 1000 || year > 9999) throw badInput(`${year} is not a year between 1000 and 9999.`);
  }
  if (end < start) throw badInput(`The year range ${start}..${end} is empty: "to" is before "from".`);
  if (end - start > 500) throw badInput('A year range spans at most 500 years.');
  return { from: start, to: end };
}

export function checkSince(since: number | null | undefined): number | null {
  if (since === null || since === undefined) return null;
  if (!Number.isInteger(since) || since < 1000 || since > 9999) throw badInput(`since: ${since} is not a year between 1000 and 9999.`);
  return since;
}
