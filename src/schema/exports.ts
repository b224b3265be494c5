import type { builder } from '../builder.js';
import type { Context } from '../context.js';
import type { ExportWork } from '../export/formats.js';
import { toBibtexFile, toCslJsonFile, toRisFile } from '../export/formats.js';
import type { FieldCost } from '../limits.js';

/**
 * Bibliography exports of a connection's page: `bibtex`, `cslJson` and `ris` on every works
 * connection, each the page's works in page order, with citation keys unique within the page.
 * The page's works are loaded for export in one statement per request, whatever the formats
 * and connections asked for (ctx.loaders.exportWork).
 */

interface WorkPage {
  edges: readonly ({ node?: { id: number } | null } | null | undefined)[];
}

async function pageWorks(connection: WorkPage, ctx: Context): Promise<ExportWork[]> {
  const ids = connection.edges.flatMap((edge) => (edge?.node ? [edge.node.id] : []));
  const works = await ctx.loaders.exportWork.loadMany(ids);
  return works.flatMap((work) => (work instanceof Error || work === null ? [] : [work]));
}

/** Each format reads the page's rows again: charged as an unpaged list. */
const exportCost: FieldCost = () => 10;

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

/** The three export fields, for a works connection type's `fields`. */
export function exportFields<Shape extends WorkPage>(c: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, Shape>) {
  return {
    bibtex: c.string({
      description:
        "This page's works as a .bib file (UTF-8; biblatex and biber read it), in page order, each key unique within the page.",
      extensions: { cost: exportCost },
      resolve: async (connection, _args, ctx) => toBibtexFile(await pageWorks(connection, ctx)),
    }),
    cslJson: c.field({
      type: 'JSON',
      description: "This page's works as a CSL-JSON array, in page order, each id unique within the page.",
      extensions: { cost: exportCost },
      resolve: async (connection, _args, ctx) => toCslJsonFile(await pageWorks(connection, ctx)),
    }),
    ris: c.string({
      description: "This page's works as RIS records, in page order.",
      extensions: { cost: exportCost },
      resolve: async (connection, _args, ctx) => toRisFile(await pageWorks(connection, ctx)),
    }),
  };
}
