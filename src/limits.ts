import { decodeBase64, decodeCursorChunk } from '@pothos/core';
import {
  GraphQLError,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  isInterfaceType,
  isObjectType,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { MAX_PAGE_SIZE } from './builder.js';
import { isDatabaseInt } from './schema/common.js';

/**
 * Checks every connection's arguments before anything runs, reading the coerced values
 * (variables included): a page size within 0..limit, not both `first` and `last`, and
 * cursors that citegraph issued; and at most `limit` ids for `nodes`. Like GitHub's API it refuses an oversized page rather than
 * silently returning fewer items than asked for.
 */
export function useConnectionGuards(limit = MAX_PAGE_SIZE): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const problem = findBadConnectionArgs(args.schema, args.document.definitions, args.variableValues ?? {}, limit);
      if (problem) setResultAndStopExecution({ errors: [problem] });
    },
  };
}

function findBadConnectionArgs(
  schema: GraphQLSchema,
  definitions: readonly { kind: string }[],
  variables: Record<string, unknown>,
  limit: number,
): GraphQLError | undefined {
  const typeInfo = new TypeInfo(schema);
  let problem: GraphQLError | undefined;
  for (const definition of definitions) {
    if (definition.kind !== 'OperationDefinition' || problem) continue;
    visit(
      definition as OperationDefinitionNode,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const fieldDef = typeInfo.getFieldDef();
          const parent = typeInfo.getParentType();
          if (problem || !fieldDef || !(isObjectType(parent) || isInterfaceType(parent))) return;
          if (parent.name === 'Query' && fieldDef.name === 'nodes') {
            const ids = argumentValues(fieldDef, node, variables)?.ids;
            if (Array.isArray(ids) && ids.length > limit) {
              problem = new GraphQLError(`\`nodes\` takes at most ${limit} ids; ${ids.length} were given.`, {
                nodes: [node],
                extensions: { code: 'BAD_USER_INPUT' },
              });
            }
            return;
          }
          if (!getNamedType(fieldDef.type).name.endsWith('Connection')) return;
          const values = argumentValues(fieldDef, node, variables);
          if (!values) return;
          const fail = (message: string) => {
            problem = new GraphQLError(message, { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } });
          };
          const connection = `\`${node.name.value}\``;
          if (values.first != null && values.last != null) {
            return fail(`Pass either \`first\` or \`last\` to the ${connection} connection, not both.`);
          }
          for (const name of ['first', 'last'] as const) {
            const value = values[name];
            if (typeof value === 'number' && (value < 0 || value > limit)) {
              return fail(
                `Requesting ${value} records on the ${connection} connection is outside the \`${name}\` limit of 0 to ${limit} records.`,
              );
            }
          }
          for (const name of ['after', 'before'] as const) {
            const cursor = values[name];
            if (typeof cursor === 'string' && !isCitegraphCursor(cursor)) {
              return fail(`\`${name}\` on the ${connection} connection is not a cursor this API returned.`);
            }
          }
        },
      }),
    );
  }
  return problem;
}

/** The coerced arguments of a field; undefined when invalid, which execution itself reports. */
function argumentValues(...args: Parameters<typeof getArgumentValues>): Record<string, unknown> | undefined {
  try {
    return getArgumentValues(...args);
  } catch {
    return undefined;
  }
}

/** Every cursor citegraph issues is one database integer or a tuple of them. */
function isCitegraphCursor(cursor: string): boolean {
  try {
    const decoded = decodeBase64(cursor);
    if (!decoded.startsWith('GPC:')) return false;
    const value = decodeCursorChunk(decoded.slice(4));
    return Array.isArray(value) ? value.length > 0 && value.every(isDatabaseInt) : isDatabaseInt(value);
  } catch {
    return false;
  }
}
