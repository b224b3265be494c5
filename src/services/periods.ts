/** Dated periods: a DATE holds the first day of a period known to DAY, MONTH or YEAR. */

export interface Period {
  startDate: Date | null;
  endDate: Date | null;
  /** True when the period is over; with no end date the end is unknown. */
  ended: boolean;
}

export const currentYear = () => new Date().getUTCFullYear();

/** Calendar years a period touches. An open period runs to this year; an ended one with no end date is known only in its start year. */
export function periodYears(period: Period): number[] {
  if (!period.startDate) return [];
  const first = period.startDate.getUTCFullYear();
  const last = period.endDate ? period.endDate.getUTCFullYear() : period.ended ? first : currentYear();
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, index) => first + index);
}

/** SQL for the first instant after a period's end, given its end-date and precision columns. */
export const periodEndSql = (endColumn: string, precisionColumn: string) =>
  `(${endColumn} + CASE ${precisionColumn} WHEN 'YEAR' THEN interval '1 year' WHEN 'MONTH' THEN interval '1 month' ELSE interval '1 day' END)`;
