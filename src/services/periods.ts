/**
 * Dated periods (affiliations, contributions). A DATE holds the first day of a period known
 * to DAY, MONTH or YEAR precision. One rule, written three ways (TypeScript and a Prisma
 * filter below, SQL as the database's year_in_period function): a period runs from its start
 * to the end of its end date's period; with no end date it runs to date when not ended, and is
 * known only in its start year when ended.
 */

export interface Period {
  startDate: Date | null;
  endDate: Date | null;
  ended: boolean;
}

export const currentYear = () => new Date().getUTCFullYear();

/** Calendar years a period touches. */
export function periodYears(period: Period): number[] {
  if (!period.startDate) return [];
  const first = period.startDate.getUTCFullYear();
  const last = period.endDate ? period.endDate.getUTCFullYear() : period.ended ? first : currentYear();
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, index) => first + index);
}

/** A Prisma filter for periods that touch calendar year `year`. */
export function periodTouchesYear(year: number) {
  const yearStart = new Date(Date.UTC(year, 0, 1));
  const nextYear = new Date(Date.UTC(year + 1, 0, 1));
  return {
    startDate: { lt: nextYear },
    OR: [
      { endDate: { gte: yearStart } },
      { endDate: null, ended: false },
      { endDate: null, ended: true, startDate: { gte: yearStart } },
    ],
  };
}

/**
 * SQL: whether month `month` (a first-of-month DATE) falls in the period of the row aliased
 * `c` (start_date, end_date, end_precision, ended). Activity is monthly, so a period starting
 * mid-month counts that whole month.
 */
export const monthInPeriodSql = (month: string) => `(
  ${month} >= date_trunc('month', c.start_date)
  AND (
    (c.end_date IS NOT NULL AND ${month} < c.end_date
      + CASE c.end_precision WHEN 'YEAR' THEN interval '1 year' WHEN 'MONTH' THEN interval '1 month' ELSE interval '1 day' END)
    OR (c.end_date IS NULL AND NOT c.ended)
    OR (c.end_date IS NULL AND c.ended AND ${month} < date_trunc('year', c.start_date) + interval '1 year')
  ))`;
