import type { ServerResponse } from 'node:http';
import { decodeBase64, decodeCursorChunk } from '@pothos/core';
import {
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './builder.js';
import { executionSignal } from './cancel.js';
import { defaultLimits, type QueryLimits } from './config.js';
import { errorResponse } from './errors.js';
import { isDatabaseInt } from './schema/common.js';

/** The estimate a query is charged, returned in `extensions.cost` of every answer that executed. */
export interface QueryCost {
  /** Rows the query may touch at most (see estimateNodes). */
  nodes: number;
  /** The budget it was checked against. */
  limit: number;
}

/**
 * A field's own cost, beyond what its shape counts: rows it reads to compute its answer (a
 * set-level sum, a neighbourhood), from its coerced arguments. A field declares it in its
 * definition as `extensions: { cost: (args) => rows }`; it is charged once per parent row.
 */
export type FieldCost = (args: Record<string, unknown>) => number;

/** Rows assumed for a list field that takes no page size (a work's authors, a person's years). */
export const UNPAGED_LIST_ROWS = 10;

const limitError = (code: string, message: string, limit: number, found: number) =>
  new GraphQLError(message, { extensions: { code, limit, found, http: { status: 400 } } });

export function useQueryLimits(limits: QueryLimits = defaultLimits): Plugin {
  const rules = [depthRule(limits.depth), aliasRule(limits.aliases), directiveRule(limits.directives)];
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => {
        const text = typeof source === 'string' ? source : source.body;
        if (text.length > limits.length) {
          throw limitError(
            'QUERY_LENGTH_LIMIT',
            `The query is ${text.length} characters long; the limit is ${limits.length}.`,
            limits.length,
            text.length,
          );
        }
        try {
          return parse(source, { ...options, maxTokens: limits.tokens });
        } catch (error) {
          if (error instanceof GraphQLError && error.message.includes('tokens. Parsing aborted')) {
            throw limitError(
              'QUERY_TOKEN_LIMIT',
              `The query has more than ${limits.tokens} tokens, the limit.`,
              limits.tokens,
              limits.tokens + 1,
            );
          }
          throw error;
        }
      });
    },
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const operation = findOperation(args.document, args.operationName ?? undefined);
      if (!operation) return;
      const estimate = estimateNodes(args.schema, args.document, operation, args.variableValues ?? {});
      if (estimate.problem) {
        setResultAndStopExecution({ errors: [estimate.problem] });
        return;
      }
      const cost = { nodes: estimate.nodes, limit: limits.nodes };
      // The rate limiter (src/ratelimit.ts) charges by it.
      (args.contextValue as { cost?: QueryCost }).cost = cost;
      if (estimate.nodes > limits.nodes) {
        setResultAndStopExecution({
          errors: [
            limitError(
              'QUERY_COST_LIMIT',
              `This query may touch up to ${estimate.nodes} rows; the limit is ${limits.nodes}. Ask for smaller pages (first/last) or fewer nested lists.`,
              limits.nodes,
              estimate.nodes,
            ),
          ],
          extensions: { cost },
        });
        return;
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (!('data' in result) && !('errors' in result)) return;
          setResult({ ...result, extensions: { ...result.extensions, cost } });
        },
      };
    },
  };
}

function findOperation(document: DocumentNode, name: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  return name === undefined ? operations[0] : operations.find((operation) => operation.name?.value === name);
}

const isConnection = (type: GraphQLNamedType) => type.name.endsWith('Connection');

/**
 * The node budget's estimate, from the coerced arguments: every connection's rows are its page
 * size (`first` or `last`, 20 when neither is given) times the rows of the lists above it; a list
 * that takes no page size counts UNPAGED_LIST_ROWS rows per parent; a single object counts 1;
 * `nodes(ids:)` counts its ids. So `works(first: 10) { nodes { citedBy(first: 100) { nodes { title } } } }`
 * is 1 + 10 × (1 + 1 + 100) = 1,021. Also checks each connection's arguments (page size 0..100, not both
 * first and last, cursors of the shape the connection issues) and `nodes` ids, and returns the first problem.
 */
export function estimateNodes(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): { nodes: number; problem?: GraphQLError } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  let problem: GraphQLError | undefined;
  // A fragment's rows per parent row, by fragment and page size: a fragment spread many times,
  // or fragments spreading each other, are walked once each.
  const fragmentRows = new Map<string, number>();

  const walk = (selectionSet: SelectionSetNode, type: GraphQLNamedType, pageSize: number, seen: string[]): number => {
    let rows = 0;
    for (const selection of selectionSet.selections) {
      if (problem) return rows;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        rows += walk(selection.selectionSet, condition ?? type, pageSize, seen);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Validation refuses cycles and unknown fragments before execution; this only guards the walk.
        if (!fragment || seen.includes(name)) continue;
        const key = `${name}:${pageSize}`;
        let fragmentCost = fragmentRows.get(key);
        if (fragmentCost === undefined) {
          const condition = schema.getType(fragment.typeCondition.name.value) ?? type;
          fragmentCost = walk(fragment.selectionSet, condition, pageSize, [...seen, name]);
          fragmentRows.set(key, fragmentCost);
        }
        rows += fragmentCost;
      } else {
        rows += fieldRows(selection, type, pageSize, seen);
      }
    }
    return rows;
  };

  const fieldRows = (node: FieldNode, parent: GraphQLNamedType, pageSize: number, seen: string[]): number => {
    if (!(isObjectType(parent) || isInterfaceType(parent))) return 0;
    const field = parent.getFields()[node.name.value];
    if (!field) return 0;
    const cost = (field.extensions as { cost?: FieldCost } | undefined)?.cost;
    const own = cost ? cost(argumentValues(field, node, variables) ?? {}) : 0;
    return own + shapeRows(node, parent, field, pageSize, seen);
  };

  const shapeRows = (
    node: FieldNode,
    parent: GraphQLObjectType | GraphQLInterfaceType,
    field: GraphQLField<unknown, unknown>,
    pageSize: number,
    seen: string[],
  ): number => {
    if (!node.selectionSet) return 0;
    const named = getNamedType(field.type);
    if (!isCompositeType(named)) return 0;
    const values = argumentValues(field, node, variables) ?? {};
    const fail = (message: string) => {
      problem = new GraphQLError(message, { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } });
      return 0;
    };
    if (parent.name === 'Query' && field.name === 'nodes') {
      const ids = Array.isArray(values.ids) ? values.ids.length : 0;
      if (ids > MAX_PAGE_SIZE) return fail(`\`nodes\` takes at most ${MAX_PAGE_SIZE} ids; ${ids} were given.`);
      return ids * (1 + walk(node.selectionSet, named, pageSize, seen));
    }
    if (isConnection(named)) {
      const connection = `\`${node.name.value}\``;
      if (values.first != null && values.last != null) {
        return fail(`Pass either \`first\` or \`last\` to the ${connection} connection, not both.`);
      }
      for (const name of ['first', 'last'] as const) {
        const value = values[name];
        if (typeof value === 'number' && (value < 0 || value > MAX_PAGE_SIZE)) {
          return fail(
            `Requesting ${value} records on the ${connection} connection is outside the \`${name}\` limit of 0 to ${MAX_PAGE_SIZE} records.`,
          );
        }
      }
      for (const name of ['after', 'before'] as const) {
        const cursor = values[name];
        if (typeof cursor === 'string' && !isCitegraphCursor(cursor, cursorParts.get(named.name) ?? 1)) {
          return fail(`\`${name}\` on the ${connection} connection is not a cursor this API returned.`);
        }
      }
      const size = (values.first ?? values.last ?? DEFAULT_PAGE_SIZE) as number;
      // The connection itself is one; its rows are counted where its nodes or edges are asked for.
      return 1 + walk(node.selectionSet, named, size, seen);
    }
    if (isConnection(parent) && (field.name === 'nodes' || field.name === 'edges')) {
      return pageSize * (1 + walk(node.selectionSet, named, pageSize, seen));
    }
    if (isListType(getNullableType(field.type))) {
      return UNPAGED_LIST_ROWS * (1 + walk(node.selectionSet, named, pageSize, seen));
    }
    // An edge's node is the edge's row, already counted.
    if (field.name === 'node' && parent.name.endsWith('Edge')) return walk(node.selectionSet, named, pageSize, seen);
    return 1 + walk(node.selectionSet, named, pageSize, seen);
  };

  const queryType = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  const nodes = queryType ? walk(operation.selectionSet, queryType, DEFAULT_PAGE_SIZE, []) : 0;
  return { nodes, problem };
}

/** The deepest field nesting of each operation, fragments flattened (each fragment measured once). */
function depthRule(limit: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragmentDepths = new Map<string, number>();
    const depth = (selectionSet: SelectionSetNode | undefined, seen: string[]): number => {
      if (!selectionSet) return 0;
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        let found = 0;
        if (selection.kind === Kind.FIELD) {
          found = selection.name.value.startsWith('__') ? 0 : 1 + depth(selection.selectionSet, seen);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          found = depth(selection.selectionSet, seen);
        } else {
          const name = selection.name.value;
          if (seen.includes(name)) continue;
          const known = fragmentDepths.get(name);
          if (known !== undefined) found = known;
          else {
            found = depth(context.getFragment(name)?.selectionSet, [...seen, name]);
            fragmentDepths.set(name, found);
          }
        }
        deepest = Math.max(deepest, found);
      }
      return deepest;
    };
    return {
      OperationDefinition(operation) {
        const found = depth(operation.selectionSet, []);
        if (found > limit) {
          context.reportError(
            limitError(
              'QUERY_DEPTH_LIMIT',
              `The query nests ${found} fields deep; the limit is ${limit}.`,
              limit,
              found,
            ),
          );
        }
      },
    };
  };
}

/** Aliases in the whole document; `__typename` may be aliased freely. */
function aliasRule(limit: number) {
  return (context: ValidationContext): ASTVisitor => {
    let found = 0;
    return {
      Field(node) {
        if (node.alias && node.name.value !== '__typename') found += 1;
      },
      Document: {
        leave() {
          if (found > limit) {
            context.reportError(
              limitError('QUERY_ALIAS_LIMIT', `The query uses ${found} aliases; the limit is ${limit}.`, limit, found),
            );
          }
        },
      },
    };
  };
}

/** Directives used anywhere in the document. */
function directiveRule(limit: number) {
  return (context: ValidationContext): ASTVisitor => {
    let found = 0;
    return {
      Directive() {
        found += 1;
      },
      Document: {
        leave() {
          if (found > limit) {
            context.reportError(
              limitError(
                'QUERY_DIRECTIVE_LIMIT',
                `The query uses ${found} directives; the limit is ${limit}.`,
                limit,
                found,
              ),
            );
          }
        },
      },
    };
  };
}

/** The coerced arguments of a field; undefined when invalid, which execution itself reports. */
function argumentValues(...args: Parameters<typeof getArgumentValues>): Record<string, unknown> | undefined {
  try {
    return getArgumentValues(...args);
  } catch {
    return undefined;
  }
}

/**
 * Connections whose cursor is a tuple of ids, by connection type, with the tuple's length: a person's
 * works are paged by authorship, `workId_personId` (src/schema/work.ts); a work's neighbours by
 * (count, citationCount + 1, id), with the distance first in the neighbourhood
 * (src/schema/neighborhood.ts); search hits by score, type and id (src/schema/search.ts). Every
 * other cursor is one id.
 */
const cursorParts = new Map([
  ['AuthoredWorkConnection', 2],
  ['CoCitedWorkConnection', 3],
  ['CoupledWorkConnection', 3],
  ['NeighborWorkConnection', 4],
  ['SearchResultConnection', 3],
]);

/**
 * Whether a cursor has the shape the connection issues: one database integer, or a tuple of `parts`
 * of them. A tuple passed where one id is expected would otherwise reach Prisma as `{ id: [a, b] }`.
 */
function isCitegraphCursor(cursor: string, parts: number): boolean {
  try {
    const decoded = decodeBase64(cursor);
    if (!decoded.startsWith('GPC:')) return false;
    const value = decodeCursorChunk(decoded.slice(4));
    if (parts === 1) return isDatabaseInt(value);
    return Array.isArray(value) && value.length === parts && value.every(isDatabaseInt);
  } catch {
    return false;
  }
}

/**
 * Every execution ends by its deadline: past it, the request is answered with 504
 * `QUERY_TIMEOUT`, no further resolver starts, and a statement it has running on PostgreSQL is
 * cancelled (src/cancel.ts). A client that goes away stops the execution and its SQL the same way.
 */
export function useDeadline(deadlineMs: number): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const controller = new AbortController();
      const timer = setTimeout(
        () =>
          controller.abort(
            new GraphQLError(`The query ran past its deadline of ${deadlineMs / 1000} s and was stopped.`, {
              extensions: { code: 'QUERY_TIMEOUT', limit: deadlineMs, http: { status: 504 } },
            }),
          ),
        deadlineMs,
      );
      timer.unref();
      // On node:http, a connection closed before its answer was sent is a client gone away.
      const response = (args.contextValue as { res?: ServerResponse }).res;
      const gone = () => {
        // Nobody reads this answer; its code keeps it out of the error log (nginx's 499).
        if (!response?.writableFinished) {
          controller.abort(
            new GraphQLError('The client went away.', {
              extensions: { code: 'CLIENT_CLOSED_REQUEST', http: { status: 499 } },
            }),
          );
        }
      };
      response?.once('close', gone);
      (args as { signal?: AbortSignal }).signal = controller.signal;
      // The database pools cancel the statement this execution has running when the signal fires.
      setExecuteFn((executeArgs) => executionSignal.run(controller.signal, () => executeFn(executeArgs)));
      return {
        onExecuteDone() {
          clearTimeout(timer);
          response?.off('close', gone);
        },
      };
    },
  };
}

/**
 * Load shedding: at most `maxInFlight` GraphQL requests are served at once; the next is answered
 * at once with 503 `SERVICE_UNAVAILABLE` and `Retry-After`, rather than queueing for a database
 * connection until its timeout.
 */
export function useAdmission(maxInFlight: number): Plugin {
  let inFlight = 0;
  const admitted = new WeakSet<Request>();
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (!url.pathname.endsWith('/graphql') || request.method === 'OPTIONS') return;
      if (inFlight >= maxInFlight) {
        endResponse(
          errorResponse(
            fetchAPI,
            503,
            'SERVICE_UNAVAILABLE',
            `The server is answering ${maxInFlight} requests already. Try again in a moment.`,
            { 'retry-after': '1' },
          ),
        );
        return;
      }
      inFlight += 1;
      admitted.add(request);
    },
    onResponse({ request }) {
      if (admitted.delete(request)) inFlight -= 1;
    },
  };
}
