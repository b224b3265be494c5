import { getRefFromModel } from '@pothos/plugin-prisma';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import type { ExportWork } from '../export/formats.js';
import { toBibtexFile, toCslJsonFile, toRisFile } from '../export/formats.js';
import type { FieldCost } from '../limits.js';

/**
 * What every connection of works shares (Query.works, Person.works, Work.citedBy, Work.references,
 * Work.coCitedWith, Work.bibliographicCoupling, Work.neighborhood): the interfaces
 * WorkListConnection and WorkListEdge, so one client fragment serves them all. Each connection
 * implements them and keeps its own name, extra fields and edge figures.
 *
 * The names end in Connection and Edge because the node budget (src/limits.ts) knows a connection
 * and its edges by those names, and walks a fragment on an interface as the interface.
 *
 * The bibliography exports (`bibtex`, `cslJson`, `ris`) are defined here once and inherited: each
 * the page's works in page order, with citation keys unique within the page. The page's works are
 * loaded for export in one statement per request, whatever the formats and connections asked for
 * (ctx.loaders.exportWork).
 */

/** What every implementing connection resolves to: its page's edges, each with a work row. */
interface WorkPage {
  edges: readonly ({ node?: { id: number } | null } | null | undefined)[];
}

async function pageWorks(connection: object, ctx: Context): Promise<ExportWork[]> {
  const ids = (connection as WorkPage).edges.flatMap((edge) => (edge?.node ? [edge.node.id] : []));
  const works = await ctx.loaders.exportWork.loadMany(ids);
  return works.flatMap((work) => (work instanceof Error || work === null ? [] : [work]));
}

/** The Work node type of src/schema/work.ts, as the listed works' type. */
const WorkRef = getRefFromModel('Work', builder);

/** Each format reads the page's rows again: charged as an unpaged list. */
const exportCost: FieldCost = () => 10;

export const WorkListEdgeRef = builder.interfaceRef<object>('WorkListEdge').implement({
  description: 'An edge of any connection of works: a work and the cursor to page on from it.',
  fields: (t) => ({
    cursor: t.string({ description: 'Pass as after (or before) to read the page after (or before) this edge.' }),
    node: t.field({ type: WorkRef, description: 'The work.' }),
  }),
});

export const WorkListConnectionRef = // The shape is left open: Pothos types each connection's edges as a possibly lazy iterable, while
  // every citegraph connection resolves them to an array (WorkPage).
  builder.interfaceRef<object>('WorkListConnection').implement({
    description:
      'Any page of works: the connections of Query.works, Person.works, Work.citedBy, Work.references, Work.coCitedWith, Work.bibliographicCoupling and Work.neighborhood implement it, so one fragment on it serves each. Their own fields (figures of the whole set, edge counts) are on the implementing types.',
    fields: (t) => ({
      edges: t.field({ type: [WorkListEdgeRef], description: "This page's works with their cursors, in order." }),
      nodes: t.field({ type: [WorkRef], description: "This page's works, in order (the edges' nodes)." }),
      pageInfo: t.field({ type: builder.pageInfoRef(), description: 'Where this page stands in the list.' }),
      totalCount: t.int({ description: 'Works in the whole list, over every page.' }),
      bibtex: t.string({
        description:
          "This page's works as a .bib file (UTF-8; biblatex and biber read it), in page order, each key unique within the page.",
        extensions: { cost: exportCost },
        resolve: async (connection, _args, ctx) => toBibtexFile(await pageWorks(connection, ctx)),
      }),
      cslJson: t.field({
        type: 'JSON',
        description: "This page's works as a CSL-JSON array, in page order, each id unique within the page.",
        extensions: { cost: exportCost },
        resolve: async (connection, _args, ctx) => toCslJsonFile(await pageWorks(connection, ctx)),
      }),
      ris: t.string({
        description: "This page's works as RIS records, in page order.",
        extensions: { cost: exportCost },
        resolve: async (connection, _args, ctx) => toRisFile(await pageWorks(connection, ctx)),
      }),
    }),
  });
