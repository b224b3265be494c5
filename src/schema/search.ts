import { brandWithType, decodeBase64, decodeCursorChunk, encodeBase64, encodeCursorTuple } from '@pothos/core';
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { builder, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../builder.js';
import type { Context } from '../context.js';
import type { FieldCost } from '../limits.js';
import {
  MAX_QUERY_LENGTH,
  SCORE_UNITS,
  SEARCH_TYPES,
  type SearchHit,
  type SearchPosition,
  type SearchType,
  searchHits,
  typeRank,
} from '../services/search.js';
import { badInput, checkSearchQuery, isDatabaseInt } from './common.js';
import { OrganizationNode } from './organization.js';
import { PersonNode } from './person.js';
import { ProjectNode } from './project.js';
import { WorkNode } from './work.js';

const SearchTypeEnum = builder.enumType('SearchType', {
  description: 'What Query.search looks through.',
  values: {
    WORK: { description: 'Works, by title.' },
    PERSON: { description: 'People, by name.' },
    PROJECT: { description: 'Software projects, by name.' },
    ORGANIZATION: { description: 'Organizations, by name.' },
  } as const,
});

const nodeRefOf = { WORK: WorkNode, PERSON: PersonNode, PROJECT: ProjectNode, ORGANIZATION: OrganizationNode };

const SearchResult = builder.unionType('SearchResult', {
  description: 'A work, person, project or organization that Query.search found.',
  types: [WorkNode, PersonNode, ProjectNode, OrganizationNode],
});

type SearchNode = typeof SearchResult.$inferType;

interface SearchEdge {
  cursor: string;
  score: number;
  node: SearchNode;
}

interface SearchPage {
  edges: SearchEdge[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const SearchConnection = builder.connectionObject(
  {
    type: SearchResult,
    name: 'SearchResultConnection',
    description: 'A page of search hits, best first.',
  },
  {
    name: 'SearchResultEdge',
    description: 'One hit and its score.',
    fields: (t) => ({
      score: t.float({
        description:
          'How well the hit matches, between 0 (exclusive) and 1, to 6 decimal places. A work: the cover density of its title for the query (ts_rank_cd with every matched word weighing 1) divided by ln(1 + the number of words in the title), normalized to rank / (rank + 1), so a short title that is mostly the query scores above a long one that mentions it. A person, project or organization: the mean of pg_trgm similarity(name, query) and word_similarity(query, name), so 1 for the exact name.',
        resolve: (edge) => (edge as unknown as SearchEdge).score / SCORE_UNITS,
      }),
    }),
  },
);

const encodeCursor = (hit: SearchHit) =>
  encodeBase64(`GPC:${encodeCursorTuple([hit.score, typeRank(hit.type), hit.id])}`);

/** The position a cursor of this connection holds; the node budget (src/limits.ts) has checked its shape. */
function decodeCursor(cursor: string): SearchPosition {
  try {
    const decoded = decodeBase64(cursor);
    const parts = decoded.startsWith('GPC:') ? decodeCursorChunk(decoded.slice(4)) : null;
    if (Array.isArray(parts) && parts.length === 3 && parts.every(isDatabaseInt) && (parts[1] as number) <= 4) {
      const [score, rank, id] = parts as number[];
      return { score: score as number, typeRank: rank as number, id: id as number };
    }
  } catch {}
  throw badInput('`after` on the `search` connection is not a cursor this API returned.');
}

/**
 * The hits' records, one statement per type found, each with the fields the client selected
 * under `edges.node` and `nodes` (Pothos plans them from the query), branded with their type.
 */
async function loadNodes(ctx: Context, info: GraphQLResolveInfo, hits: SearchHit[]): Promise<Map<string, SearchNode>> {
  const found = new Map<string, SearchNode>();
  const loaders = {
    WORK: (ids: number[], query: object) => ctx.prisma.work.findMany({ ...query, where: { id: { in: ids } } }),
    PERSON: (ids: number[], query: object) => ctx.prisma.person.findMany({ ...query, where: { id: { in: ids } } }),
    PROJECT: (ids: number[], query: object) => ctx.prisma.project.findMany({ ...query, where: { id: { in: ids } } }),
    ORGANIZATION: (ids: number[], query: object) =>
      ctx.prisma.organization.findMany({ ...query, where: { id: { in: ids } } }),
  };
  await Promise.all(
    SEARCH_TYPES.map(async (type) => {
      const ids = hits.filter((hit) => hit.type === type).map((hit) => hit.id);
      if (ids.length === 0) return;
      const ref = nodeRefOf[type];
      const query = queryFromInfo({
        context: ctx,
        info,
        typeName: ref.name,
        select: { id: true },
        paths: [['edges', 'node'], ['nodes']],
      });
      for (const row of (await loaders[type](ids, query)) as (SearchNode & { id: number })[]) {
        brandWithType(row, ref);
        found.set(`${type}:${row.id}`, row);
      }
    }),
  );
  return found;
}

const searchCost: FieldCost = (args) => {
  const types = Array.isArray(args.types) ? new Set(args.types).size : SEARCH_TYPES.length;
  return types * (((args.first as number | null | undefined) ?? DEFAULT_PAGE_SIZE) + 1);
};

builder.queryField('search', (t) =>
  t.field({
    type: SearchConnection,
    description: `Works, people, projects and organizations matching a query, best match first: by score (see SearchResultEdge.score), then works before people before projects before organizations, then by id. Works match on their titles by full-text search over English text (word endings and stop words ignored; the query is read as a web search: "quoted phrases", \`or\`, \`-word\`). People, projects and organizations match on their names by trigram similarity, so a misspelled name still matches: a name matches when pg_trgm's similarity(name, query) is at least 0.3 or word_similarity(query, name) at least 0.6. Costs (first + 1) rows per type searched.`,
    args: {
      query: t.arg.string({
        required: true,
        description: `What to look for: 1 to ${MAX_QUERY_LENGTH} characters, after leading and trailing spaces are removed.`,
      }),
      types: t.arg({
        type: [SearchTypeEnum],
        description: 'What to look through; all four when not given. An empty list finds nothing.',
      }),
      first: t.arg.int({
        description: `Hits on the page: 0 to ${MAX_PAGE_SIZE}, ${DEFAULT_PAGE_SIZE} when not given.`,
      }),
      after: t.arg.string({ description: 'The endCursor of the previous page, to read the next one.' }),
    },
    extensions: { cost: searchCost },
    resolve: async (_root, args, ctx, info): Promise<SearchPage> => {
      const query = checkSearchQuery(args.query);
      const first = args.first ?? DEFAULT_PAGE_SIZE;
      if (first < 0 || first > MAX_PAGE_SIZE) throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}.`);
      const after = args.after == null ? null : decodeCursor(args.after);
      const types = (args.types ?? SEARCH_TYPES) as SearchType[];
      const hits = await searchHits(ctx.prisma, query, types, first + 1, after);
      const page = hits.slice(0, first);
      const nodes = await loadNodes(ctx, info, page);
      // A record deleted between the two statements drops out of the page; the cursors keep the hits' places.
      const edges = page.flatMap((hit) => {
        const node = nodes.get(`${hit.type}:${hit.id}`);
        return node ? [{ cursor: encodeCursor(hit), score: hit.score, node }] : [];
      });
      return {
        edges,
        pageInfo: {
          hasNextPage: hits.length > first,
          hasPreviousPage: after !== null,
          startCursor: page[0] ? encodeCursor(page[0]) : null,
          endCursor: page.at(-1) ? encodeCursor(page.at(-1) as SearchHit) : null,
        },
      };
    },
  }),
);
