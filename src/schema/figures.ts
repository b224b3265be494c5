import { builder } from '../builder.js';
import type { FieldCost } from '../limits.js';
import type { CitationMetrics, Facet, HIndexYear } from '../services/windows.js';
import { badInput, checkSince, checkYears } from './common.js';

/** The figures every set of works shares (a person's, a project's, an organization's, a filtered set). */

const BOUNDS =
  "Citations in a window come from the works' per-year counts. Where those leave a work's count in the window open (no per-year counts; citations the count basis gives no year), the figure is bounded rather than guessed: the value is given when the bounds meet, and is null otherwise. A work with 0 citations has 0 in every window. Citations the basis gives no year are, for a reported count, taken to precede its first per-year count (sources count recent years only: OpenAlex the last ten); counted from citation edges, they are citing works with no year and may fall in any year. Citations dated before a work's publication year count in the year they are dated (OpenAlex records such citations of preprints).";

export const CitationMetricsRef = builder.objectRef<CitationMetrics>('CitationMetrics').implement({
  description: `Citation metrics over a set of works, counting the citations received in years since..asOf (both optional). Each work counts with its citationCount under its count basis (see Work.countBasis) when the window is all time. ${BOUNDS}`,
  fields: (t) => ({
    since: t.exposeInt('since', {
      nullable: true,
      description: 'First year of citations counted; null: from the start.',
    }),
    asOf: t.exposeInt('asOf', {
      nullable: true,
      description:
        'As the metrics stood at the end of this year: citations dated after it are not counted, and worksCount counts only works published by then. Null: up to now.',
    }),
    worksCount: t.exposeInt('worksCount', {
      description: 'Works in the set; with asOf, those with a publication year at or before asOf.',
    }),
    worksWithoutYearlyCounts: t.exposeInt('worksWithoutYearlyCounts', {
      description: 'Works whose count basis has no per-year counts.',
    }),
    worksWithUnknownWindow: t.exposeInt('worksWithUnknownWindow', {
      description: 'Works whose citations in the window are bounded rather than known (0 when every figure is exact).',
    }),
    citationCount: t.int({
      nullable: true,
      description: "Sum of the works' citations in the window; null when it is only bounded.",
      resolve: (metrics) => metrics.citationCount.value,
    }),
    citationCountLowerBound: t.int({
      description: "The sum of each work's lowest possible count in the window.",
      resolve: (metrics) => metrics.citationCount.lowerBound,
    }),
    citationCountUpperBound: t.int({
      description: "The sum of each work's highest possible count in the window.",
      resolve: (metrics) => metrics.citationCount.upperBound,
    }),
    hIndex: t.int({
      nullable: true,
      description:
        'The largest h such that h works each have at least h citations in the window; null when the bounds differ.',
      resolve: (metrics) => metrics.hIndex.value,
    }),
    hIndexLowerBound: t.int({
      description: "The h-index of each work's lowest possible count in the window.",
      resolve: (metrics) => metrics.hIndex.lowerBound,
    }),
    hIndexUpperBound: t.int({
      description: "The h-index of each work's highest possible count in the window.",
      resolve: (metrics) => metrics.hIndex.upperBound,
    }),
    i10Index: t.int({
      nullable: true,
      description: 'The number of works with at least 10 citations in the window; null when the bounds differ.',
      resolve: (metrics) => metrics.i10Index.value,
    }),
    i10IndexLowerBound: t.int({
      description: "The i10-index of each work's lowest possible count in the window.",
      resolve: (metrics) => metrics.i10Index.lowerBound,
    }),
    i10IndexUpperBound: t.int({
      description: "The i10-index of each work's highest possible count in the window.",
      resolve: (metrics) => metrics.i10Index.upperBound,
    }),
    unknownReason: t.exposeString('unknownReason', {
      nullable: true,
      description: 'Why some figure is bounded rather than exact; null when all are exact.',
    }),
  }),
});

export const HIndexYearRef = builder.objectRef<HIndexYear>('HIndexYear').implement({
  description: `The h-index as it stood at the end of a year: each work counts the citations dated up to that year. ${BOUNDS}`,
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The calendar year: the h-index as it stood at its end.' }),
    hIndex: t.exposeInt('hIndex', { nullable: true, description: 'Null when lowerBound and upperBound differ.' }),
    lowerBound: t.exposeInt('lowerBound', { description: "The h-index of each work's lowest possible count." }),
    upperBound: t.exposeInt('upperBound', { description: "The h-index of each work's highest possible count." }),
  }),
});

export const GroupFieldEnum = builder.enumType('WorkGroupField', {
  description: 'What works are grouped by.',
  values: {
    YEAR: { description: 'Publication year; key null: no year.' },
    TYPE: { description: 'Work type; key null: no type.' },
    VENUE: { description: 'Venue name; key null: no venue.' },
    PROJECT: {
      description: 'Linked project (key: its database id); a work counts in each of its projects; key null: none.',
    },
    ORGANIZATION: {
      description:
        "Organization (key: its database id), as WorkFilter.organizationId defines an organization's works; a work counts once in each of its organizations; key null: none.",
    },
    AUTHOR: {
      description:
        "Author (key: the person's database id); a work counts in each author's group; key null: no authors.",
    },
  } as const,
});

export const FacetRef = builder.objectRef<Facet>('WorkFacet').implement({
  description: 'One group of a set of works.',
  fields: (t) => ({
    key: t.exposeString('key', { nullable: true, description: "The group's value; null for the works without one." }),
    label: t.exposeString('label', {
      nullable: true,
      description: 'A readable name for the key (a name or the value itself).',
    }),
    worksCount: t.exposeInt('worksCount', { description: 'Works of the set in the group.' }),
    citationCount: t.exposeInt('citationCount', { description: 'Sum of their citationCount.' }),
  }),
});

/** The window arguments of a metrics field, checked. */
export function windowOf(args: { since?: number | null; asOf?: number | null }) {
  const since = checkSince(args.since);
  const asOf = args.asOf == null ? null : checkYears(args.asOf, args.asOf, ['asOf', 'asOf']).from;
  if (since !== null && asOf !== null && asOf < since) {
    throw badInput(`The window ${since}..${asOf} is empty: asOf is before since.`);
  }
  return { since, asOf };
}

/** The year range of an h-index series: at most 100 years. */
export function seriesRange(from: number, to: number) {
  const range = checkYears(from, to);
  if (to - from > 100) throw badInput('hIndexByYear spans at most 100 years.');
  return { from: range.from ?? from, to: range.to ?? to };
}

/** Rows an h-index series reads: one per work and year; works assumed per set, as an unpaged list. */
export const seriesCost: FieldCost = (args) => {
  const from = typeof args.from === 'number' ? args.from : 0;
  const to = typeof args.to === 'number' ? args.to : from;
  return 10 * Math.max(1, Math.min(101, to - from + 1));
};
