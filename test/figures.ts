/**
 * An independent reckoning of citation figures in a window of years, from what the API says of
 * each work (its total, count basis and per-year series), for tests to check the SQL against.
 */

export interface WorkFigures {
  citationCount: number | null;
  countBasis: { kind: string; hasYearlyCounts: boolean; citationsWithoutYear: number | null };
  citationsByYear: { year: number; count: number }[] | null;
}

export interface Window {
  since?: number | null;
  asOf?: number | null;
}

/** The least and the most citations a work can have received in the window. */
export function workRange(work: WorkFigures, window: Window, thisYear = new Date().getUTCFullYear()): [number, number] {
  const total = work.citationCount ?? 0;
  const since = window.since ?? null;
  const asOf = window.asOf != null && window.asOf < thisYear ? window.asOf : null;
  if (total === 0) return [0, 0];
  if (since === null && asOf === null) return [total, total];
  if (!work.countBasis.hasYearlyCounts) return [0, total];
  const counted = (work.citationsByYear ?? []).filter((row) => row.count > 0);
  let known = 0;
  for (const row of counted) {
    if ((since === null || row.year >= since) && (asOf === null || row.year <= asOf)) known += row.count;
  }
  const rest = Math.max(0, work.countBasis.citationsWithoutYear ?? 0);
  if (rest === 0) return [known, known];
  // Edge counts: the rest are citing works with no year, anywhere in time.
  if (work.countBasis.kind !== 'REPORTED') return [known, known + rest];
  // A reported count's rest precedes its first counted year.
  const first = counted[0]?.year ?? Number.POSITIVE_INFINITY;
  const windowStart = since ?? Number.NEGATIVE_INFINITY;
  const windowEnd = asOf ?? Number.POSITIVE_INFINITY;
  if (windowStart >= first) return [known, known];
  if (since === null && windowEnd >= first - 1) return [known + rest, known + rest];
  return [known, known + rest];
}

export function hIndex(counts: number[]): number {
  const sorted = [...counts].sort((a, b) => b - a);
  let h = 0;
  while (h < sorted.length && (sorted[h] ?? 0) >= h + 1) h += 1;
  return h;
}

/** Sum, h-index and i10-index of the works in the window, each as [lower, upper]. */
export function setRange(works: WorkFigures[], window: Window) {
  const ranges = works.map((work) => workRange(work, window));
  const lows = ranges.map(([low]) => low);
  const highs = ranges.map(([, high]) => high);
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return {
    citationCount: [sum(lows), sum(highs)],
    hIndex: [hIndex(lows), hIndex(highs)],
    i10Index: [lows.filter((n) => n >= 10).length, highs.filter((n) => n >= 10).length],
    unknown: ranges.filter(([low, high]) => low !== high).length,
  };
}
