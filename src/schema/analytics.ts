import { builder } from '../builder.js';
import type { FieldCost } from '../limits.js';
import { zeroFill } from '../services/metrics.js';
import { currentYear } from '../services/periods.js';
import { YearCountRef, yearRange } from './common.js';
import { CitationMetricsRef, HIndexYearRef, seriesCost, seriesRange, windowOf } from './figures.js';
import { OrganizationNode } from './organization.js';
import { PersonNode } from './person.js';
import { ProjectNode } from './project.js';

/**
 * Metrics in time for people, projects and organizations: each is a set of works (a person's
 * authored works, a project's linked works, an organization's works), answered for a page of
 * parents with one statement per field. An organization's citations per year and all-time metrics
 * read its rollups (organization_year, organization_citation_count), not its works.
 */

/** Rows a set-level figure reads per parent, beyond its own: the set's works, as an unpaged list. */
const setCost: FieldCost = () => 10;

const owners = [
  { node: PersonNode, kind: 'person', works: "the person's authored works" },
  { node: ProjectNode, kind: 'project', works: 'the works linked to the project (Project.works)' },
  {
    node: OrganizationNode,
    kind: 'organization',
    works: "the organization's works (as WorkFilter.organizationId defines them)",
  },
] as const;

for (const { node, kind, works } of owners) {
  builder.objectFields(node as typeof PersonNode, (t) => ({
    metrics: t.field({
      type: CitationMetricsRef,
      description: `Citation metrics over ${works}, optionally in a window of years (see CitationMetrics).`,
      args: {
        since: t.arg.int({ description: 'Count only citations received in years >= since.' }),
        asOf: t.arg.int({ description: 'As the metrics stood at the end of this year.' }),
      },
      extensions: { cost: setCost },
      resolve: (parent, args, ctx) => ctx.loaders.metrics[kind].load({ id: parent.id, ...windowOf(args) }),
    }),
    hIndexByYear: t.field({
      type: [HIndexYearRef],
      description: `The h-index over ${works} at the end of each year from..to, with bounds where the per-year counts leave it open.`,
      args: {
        from: t.arg.int({ required: true, description: 'First year of the series.' }),
        to: t.arg.int({
          description: 'Last year of the series (default: the current year); at most 100 years after from.',
        }),
      },
      extensions: { cost: seriesCost },
      resolve: (parent, args, ctx) =>
        ctx.loaders.hIndexByYear[kind].load({ id: parent.id, ...seriesRange(args.from, args.to ?? currentYear()) }),
    }),
  }));
}

for (const { node, kind, works } of owners.filter((owner) => owner.kind !== 'person')) {
  builder.objectField(node as typeof ProjectNode, 'citationsByYear', (t) =>
    t.field({
      type: [YearCountRef],
      description: `Citations received per calendar year, summed over ${works}, zero-filled over from..to (default: the first year with citations to the current year). Works without per-year counts add nothing to any year: see citationsWithoutYear.`,
      args: {
        from: t.arg.int({ description: 'First year of the series.' }),
        to: t.arg.int({ description: 'Last year of the series.' }),
      },
      extensions: { cost: setCost },
      resolve: async (parent, args, ctx) => {
        const yearly = await ctx.loaders.setYearly[kind].load(parent.id);
        const range = yearRange(args.from, args.to, [yearly.years[0]?.year ?? currentYear(), currentYear()]);
        return zeroFill(yearly.years, range.from, range.to);
      },
    }),
  );
  builder.objectField(node as typeof ProjectNode, 'citationsWithoutYear', (t) =>
    t.int({
      description: `Citations to ${works} that no per-year count places in a year (works without per-year counts included): the sum of citationsByYear over all years plus this is the sum of the works' citationCount.`,
      extensions: { cost: setCost },
      resolve: async (parent, _args, ctx) => (await ctx.loaders.setYearly[kind].load(parent.id)).citationsWithoutYear,
    }),
  );
}
