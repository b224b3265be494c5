import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { resolveNodes } from '@pothos/plugin-relay';
import { GraphQLError, Kind } from 'graphql';
import type { Context } from './context.js';
import type PrismaTypes from './generated/pothos-types.js';
import { getDatamodel } from './generated/pothos-types.js';
import type { PrismaClient } from './generated/prisma/client.js';

/** The schema builder: plugins and scalars only; domain types live in src/schema/. */

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    Date: { Input: Date; Output: Date };
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string | number };
  };
}>({
  defaultFieldNullability: false,
  plugins: [PrismaPlugin, RelayPlugin],
  prisma: {
    // Each request brings its client, so tests can count the SQL a query costs.
    client: (ctx) => ctx.prisma as unknown as PrismaClient,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
    maxConnectionSize: MAX_PAGE_SIZE,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'error',
  },
  // The connection, edge, page and node fields every type shares, described once (Relay's
  // Cursor Connections and Global Object Identification specifications).
  relay: {
    clientMutationId: 'omit',
    encodeGlobalID,
    decodeGlobalID,
    cursorType: 'String',
    nodeTypeOptions: {
      description: 'A record with a global id: fetch any of them by that id with Query.node or Query.nodes.',
    },
    idFieldOptions: {
      description: 'The global id: opaque, stable; pass it to Query.node, Query.nodes and the id arguments.',
    },
    nodeQueryOptions: {
      description:
        'The node with this id; null when no record has it. An id that is not a citegraph id is BAD_USER_INPUT.',
      args: { id: { description: 'A global id, as a node returned it.' } },
    },
    mutationInputArgOptions: { description: 'What to write.' },
    // Defined below: a malformed id fails its own entry, not the whole list.
    nodesQueryOptions: false,
    pageInfoTypeOptions: {
      description: 'Where a page stands in its list, and the cursors to read the pages around it.',
    },
    hasNextPageFieldOptions: {
      description: 'Whether a page follows this one (read it with first and after: endCursor).',
    },
    hasPreviousPageFieldOptions: {
      description: 'Whether a page precedes this one (read it with last and before: startCursor).',
    },
    startCursorFieldOptions: { description: "The first edge's cursor; null on an empty page." },
    endCursorFieldOptions: { description: "The last edge's cursor; null on an empty page." },
    pageInfoFieldOptions: { description: 'Where this page stands in the list.' },
    edgesFieldOptions: { description: "This page's items with their cursors, in order." },
    nodesOnConnection: { description: "This page's items, in order: the edges' nodes." },
    cursorFieldOptions: {
      description: 'Pass as after (or before) to read the items after (or before) this one. Opaque.',
    },
    nodeFieldOptions: { description: 'The item.' },
    firstArgOptions: {
      description: `Items on the page, from the start (or after \`after\`): 0 to ${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when neither first nor last is given.`,
    },
    afterArgOptions: { description: 'A cursor: the page starts after that item.' },
    lastArgOptions: { description: `Items on the page, from the end (or before \`before\`): 0 to ${MAX_PAGE_SIZE}.` },
    beforeArgOptions: { description: 'A cursor: the page ends before that item.' },
    defaultEdgeTypeOptions: { description: 'One item of a page, with its cursor.' },
  },
});

export const nodeTypes = new Set(['Affiliation', 'Contribution', 'Organization', 'Person', 'Project', 'Work']);

/** A node's global id: base64url("Type:id"). */
export function encodeGlobalID(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${id}`).toString('base64url');
}

/** Global ids are base64url("Type:id") of a node type; anything else is a client error, not a crash. */
export function decodeGlobalID(globalID: string): { typename: string; id: string } {
  const decoded = Buffer.from(globalID, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):(\d{1,10})$/.exec(decoded);
  if (!match?.[1] || !match[2] || !nodeTypes.has(match[1]) || Number(match[2]) > 2_147_483_647) {
    throw new GraphQLError(`"${globalID.slice(0, 64)}" is not a citegraph id.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return { typename: match[1], id: match[2] };
}

function parseDate(value: unknown): Date {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)) return date;
  }
  throw new GraphQLError('A Date is written YYYY-MM-DD.', { extensions: { code: 'BAD_USER_INPUT' } });
}

builder.scalarType('Date', {
  description:
    'A calendar date in UTC, written as an RFC 3339 full-date: a string YYYY-MM-DD, e.g. "2014-06-20". Where a date is known only to the month or year, a precision field says so and the date is the first day of that period.',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
  serialize: (date) => date.toISOString().slice(0, 10),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** RFC 3339 date-time: a full-date, T, a time with optional fraction, and Z or an offset. */
const rfc3339DateTime = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

builder.scalarType('DateTime', {
  description:
    'An instant, written as an RFC 3339 date-time in UTC with milliseconds: a string YYYY-MM-DDTHH:MM:SS.sssZ, e.g. "2026-12-04T03:40:41.000Z" (what JavaScript\'s Date.prototype.toISOString writes and new Date() reads).',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
  serialize: (date) => date.toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' && rfc3339DateTime.test(value) ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) {
      throw new GraphQLError('A DateTime is an RFC 3339 date-time, e.g. 2026-12-04T03:40:41.000Z.', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return date;
  },
});

builder.scalarType('JSON', {
  description:
    'A JSON value (ECMA-404), sent as itself in the response, not as a string: an object, array, string, number, boolean or null, as the field says (e.g. a CSL-JSON item or an array of them).',
  specifiedByURL: 'https://ecma-international.org/publications-and-standards/standards/ecma-404/',
  serialize: (value) => value,
  parseValue: (value) => value,
});

builder.queryType({
  description: 'The citegraph API: works, people, organizations, projects and their citation analytics.',
});

builder.queryField('nodes', (t) =>
  t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description:
      'The nodes with these ids (at most 100), in the order given: null where no record has the id; null with an error whose path ends at that index (BAD_USER_INPUT) where the id is not a citegraph id. The other entries are answered as usual.',
    args: { ids: t.arg.idList({ required: true, description: 'Global ids, as nodes returned them.' }) },
    resolve: async (_root, args, ctx, info) => {
      const decoded = args.ids.map((id) => {
        try {
          return decodeGlobalID(String(id));
        } catch (error) {
          return error as GraphQLError;
        }
      });
      const valid = decoded.filter(
        (entry): entry is { typename: string; id: string } => !(entry instanceof GraphQLError),
      );
      const found = await resolveNodes(builder, ctx, info, valid);
      let next = 0;
      // An Error in a list is completed as a null with that error at its index.
      return decoded.map((entry) => (entry instanceof GraphQLError ? entry : found[next++])) as never;
    },
  }),
);
