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

/**
 * Rejects a page size over the limit before anything runs, reading `first`/`last` from the
 * coerced arguments (variables included), as GitHub's API does, instead of silently
 * returning fewer items than asked for.
 */
export function usePageSizeLimit(limit = MAX_PAGE_SIZE): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const problem = findOversizedPage(args.schema, args.document.definitions, args.variableValues ?? {}, limit);
      if (problem) setResultAndStopExecution({ errors: [problem] });
    },
  };
}

function findOversizedPage(
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
          if (!fieldDef || !(isObjectType(parent) || isInterfaceType(parent))) return;
          if (!fieldDef.args.some((arg) => arg.name === 'first' || arg.name === 'last')) return;
          if (!getNamedType(fieldDef.type).name.endsWith('Connection')) return;
          let values: Record<string, unknown>;
          try {
            values = getArgumentValues(fieldDef, node, variables);
          } catch {
            return; // Invalid arguments are reported by execution itself.
          }
          for (const name of ['first', 'last'] as const) {
            const value = values[name];
            if (typeof value === 'number' && (value < 0 || value > limit)) {
              problem ??= new GraphQLError(
                `Requesting ${value} records on the \`${node.name.value}\` connection is outside the \`${name}\` limit of 0 to ${limit} records.`,
                { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } },
              );
            }
          }
        },
      }),
    );
  }
  return problem;
}
