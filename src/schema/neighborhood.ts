import {
  decodeBase64,
  decodeCursorChunk,
  encodeBase64,
  encodeCursorTuple,
  parseCursorConnectionArgs,
} from '@pothos/core';
import { getRefFromModel, queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { builder, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../builder.js';
import type { Context } from '../context.js';
import type { Work } from '../generated/prisma/client.js';
import type { FieldCost } from '../limits.js';
import type { NeighborWorksPage } from '../services/loaders.js';
import { type NeighborKey, type NeighborKind, SCAN_BOUND } from '../services/neighborhood.js';
import { badInput, isDatabaseInt } from './common.js';
import { WorkListConnectionRef, WorkListEdgeRef } from './work-list.js';

/**
 * A work's citation neighbourhood: co-cited works, bibliographically coupled works and the works
 * within one or two citation links, each a connection whose edges carry the count beside the
 * work. The counting and its bound are in src/services/neighborhood.ts.
 */

const bound = SCAN_BOUND.toLocaleString('en-US');

/** How a scan is bounded: `read` works are read, each with all its `each`. */
const boundedScan = (read: string, each: string, order = 'most cited first (citationCount, then id, descending)') =>
  `${read} are read ${order}, each with all its ${each}, while the citation rows read that way total at most ${bound}; the first one whose ${each} would pass that, and every one after it, is left out, and the counts are over the rest (exact is then false; scannedWorks says how many were read).`;

/** A listed work with its place in the order. */
interface NeighborEdge {
  cursor: string;
  node: Work;
  count: number;
  distance: number;
}

interface NeighborConnection extends Omit<NeighborWorksPage, 'entries'> {
  edges: NeighborEdge[];
  pageInfo: { startCursor: string | null; endCursor: string | null; hasPreviousPage: boolean; hasNextPage: boolean };
}

/**
 * Cursors hold the whole keyset, so a page after one starts where it ended even when counts move
 * between requests: (count, citationCount + 1, id), with the distance first in the neighbourhood.
 * citationCount is shifted by one because a cursor's parts are positive database integers
 * (src/limits.ts checks that shape before execution).
 */
function toCursor(kind: NeighborKind, key: NeighborKey): string {
  const parts = [key.count, key.citationCount + 1, key.id];
  return encodeBase64(`GPC:${encodeCursorTuple(kind === 'neighborhood' ? [key.distance, ...parts] : parts)}`);
}

function fromCursor(kind: NeighborKind, cursor: string | undefined): NeighborKey | null {
  if (cursor === undefined) return null;
  let parts: unknown;
  try {
    parts = decodeCursorChunk(decodeBase64(cursor).replace(/^GPC:/, ''));
  } catch {
    parts = null;
  }
  const width = kind === 'neighborhood' ? 4 : 3;
  if (!Array.isArray(parts) || parts.length !== width || !parts.every(isDatabaseInt)) {
    throw badInput('The cursor is not one this connection returned.');
  }
  const [count, shifted, id] = parts.slice(-3) as [number, number, number];
  return { distance: width === 4 ? (parts[0] as number) : 1, count, citationCount: shifted - 1, id };
}

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

async function neighborConnection(
  kind: NeighborKind,
  depth: number,
  workId: number,
  args: ConnectionArgs,
  ctx: Context,
  info: GraphQLResolveInfo,
): Promise<NeighborConnection> {
  const { limit, expectedSize, inverted, after, before, hasNextPage, hasPreviousPage } = parseCursorConnectionArgs({
    args,
    defaultSize: DEFAULT_PAGE_SIZE,
    maxSize: MAX_PAGE_SIZE,
  });
  // The fields the request selects on the listed works, under `edges.node` and `nodes` alike.
  const shape = queryFromInfo({
    context: ctx,
    info,
    typeName: 'Work',
    paths: [['edges', 'node'], ['nodes']],
    select: { id: true },
  }) as { select: object };
  const page = await ctx.loaders.neighborPage.load({
    kind,
    depth,
    parentId: workId,
    limit,
    backward: inverted,
    after: fromCursor(kind, after),
    before: fromCursor(kind, before),
    shape,
  });
  const { entries, ...figures } = page;
  const listed = entries.slice(0, expectedSize);
  if (inverted) listed.reverse();
  const edges = listed.map(({ row, work }) => ({
    cursor: toCursor(kind, row),
    node: work,
    count: row.count,
    distance: row.distance,
  }));
  return {
    ...figures,
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
      hasPreviousPage: hasPreviousPage(entries.length),
      hasNextPage: hasNextPage(entries.length),
    },
  };
}

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

/** The figures every neighbour connection carries beside its page. */
function figureFields<Shape extends Omit<NeighborWorksPage, 'entries'>>(
  c: Pick<PothosSchemaTypes.FieldBuilder<BuilderTypes, Shape, 'Object'>, 'int' | 'boolean'>,
  described: { totalCount: string; scannedWorks: string },
) {
  return {
    totalCount: c.int({ description: described.totalCount, resolve: (connection) => connection.totalCount }),
    exact: c.boolean({
      description: 'True when the counts are over every work one hop away; false when the scan bound left some out.',
      resolve: (connection) => connection.exact,
    }),
    scannedWorks: c.int({ description: described.scannedWorks, resolve: (connection) => connection.scannedWorks }),
  };
}

const scanCost: FieldCost = () => SCAN_BOUND;

/** The Work node type of src/schema/work.ts, as the listed works' type. */
const WorkRef = getRefFromModel('Work', builder);

builder.prismaObjectFields('Work', (t) => ({
  coCitedWith: t.connection(
    {
      type: WorkRef,
      description: `Works most often cited together with this one (co-citation). An edge's count is the number of works in citegraph that cite both this work and the edge's work. Ordered by count, then the work's citationCount, then id, all descending. The scan is bounded: ${boundedScan("this work's citing works", 'references')} Charged ${bound} rows in extensions.cost beside its page.`,
      extensions: { cost: scanCost },
      resolve: (work, args, ctx, info) => neighborConnection('coCitation', 1, work.id, args, ctx, info),
    },
    {
      name: 'CoCitedWorkConnection',
      interfaces: [WorkListConnectionRef],
      description: 'Works cited together with a work, with how often.',
      fields: (c) => ({
        ...figureFields(c, {
          totalCount:
            'Works cited together with this one at least once, counted over the same citing works as the edges.',
          scannedWorks: 'Citing works of this one whose references were read and counted.',
        }),
      }),
    },
    {
      name: 'CoCitedWorkEdge',
      interfaces: [WorkListEdgeRef],
      description: 'A work cited together with this one.',
      fields: (e) => ({
        count: e.int({
          description:
            "Works that cite both this work and the edge's work (among the scanned citing works; see exact).",
          resolve: (edge) => edge.count,
        }),
      }),
    },
  ),
  bibliographicCoupling: t.connection(
    {
      type: WorkRef,
      description: `Works sharing the most references with this one (bibliographic coupling). An edge's count is the number of works that both this work and the edge's work cite. Ordered by count, then the work's citationCount, then id, all descending. The scan is bounded: ${boundedScan("this work's references", 'citing works', 'least cited first (citationCount, then id, ascending: a much-cited reference, with as many citing works, would otherwise use the bound up alone)')} Charged ${bound} rows in extensions.cost beside its page.`,
      extensions: { cost: scanCost },
      resolve: (work, args, ctx, info) => neighborConnection('coupling', 1, work.id, args, ctx, info),
    },
    {
      name: 'CoupledWorkConnection',
      interfaces: [WorkListConnectionRef],
      description: 'Works sharing references with a work, with how many.',
      fields: (c) => ({
        ...figureFields(c, {
          totalCount:
            'Works sharing at least one reference with this one, counted over the same references as the edges.',
          scannedWorks: 'References of this one whose citing works were read and counted.',
        }),
      }),
    },
    {
      name: 'CoupledWorkEdge',
      interfaces: [WorkListEdgeRef],
      description: 'A work sharing references with this one.',
      fields: (e) => ({
        count: e.int({
          description:
            "References shared: works both this work and the edge's work cite (among the scanned references; see exact).",
          resolve: (edge) => edge.count,
        }),
      }),
    },
  ),
  neighborhood: t.connection(
    {
      type: WorkRef,
      description: `The works within \`depth\` citation links of this one, in either direction, the work itself left out. A link is one work citing another. An edge's distance is the fewest links from this work to the edge's work; its count is the number of links joining the edge's work to the works one step nearer: at distance 1, links with this work (2 when each cites the other); at distance 2, links with distance-1 works. Ordered by distance ascending, then count, the work's citationCount and id, descending. Distance 1 is always complete. At depth 2 the scan is bounded: ${boundedScan('the distance-1 works', 'links')} Depth 2 is charged ${bound} rows in extensions.cost beside its page.`,
      args: {
        depth: t.arg.int({ defaultValue: 1, description: 'How many citation links away: 1 or 2.' }),
      },
      extensions: { cost: ((args) => (args.depth === 2 ? SCAN_BOUND : 0)) satisfies FieldCost },
      resolve: (work, args, ctx, info) => {
        const depth = args.depth ?? 1;
        if (depth !== 1 && depth !== 2) throw badInput(`depth must be 1 or 2; ${depth} was given.`);
        return neighborConnection('neighborhood', depth, work.id, args, ctx, info);
      },
    },
    {
      name: 'NeighborWorkConnection',
      interfaces: [WorkListConnectionRef],
      description: 'The works around a work in the citation graph.',
      fields: (c) => ({
        ...figureFields(c, {
          totalCount: 'Works within depth links of this one (the edges of every page).',
          scannedWorks: 'Distance-1 works whose links were read to find distance-2 works: 0 at depth 1.',
        }),
      }),
    },
    {
      name: 'NeighborWorkEdge',
      interfaces: [WorkListEdgeRef],
      description: 'A work near this one in the citation graph.',
      fields: (e) => ({
        distance: e.int({
          description: "The fewest citation links between this work and the edge's work: 1 or 2.",
          resolve: (edge) => edge.distance,
        }),
        count: e.int({
          description:
            "Citation links joining the edge's work to the works one step nearer: this work at distance 1, the scanned distance-1 works at distance 2.",
          resolve: (edge) => edge.count,
        }),
      }),
    },
  ),
}));
