import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { errorResponse } from './errors.js';

/**
 * What crosses the wire, with safe defaults for a public server:
 * - operations arrive as JSON (or `application/graphql`) in a POST, or in a GET's query string:
 *   a form or `text/plain` POST, which a browser sends cross-site without asking first, is
 *   refused with 415, so no page on another site can make a visitor's browser run an operation;
 * - text arguments holding the NUL character, which PostgreSQL cannot store or compare, are
 *   refused with BAD_USER_INPUT before the query is parsed, whether literal or in variables; so
 *   are variables holding a lone UTF-16 surrogate, which is not Unicode text: the driver would send
 *   it as U+FFFD and look up something else (in a literal, the parser refuses it);
 * - variables that do not fit their types are answered with BAD_USER_INPUT;
 * - introspection can be turned off, and field suggestions ("Did you mean …?") with it, so the
 *   schema is not read out by guessing. Both are off by default in production.
 */

const operationTypes = ['application/json', 'application/graphql-response+json', 'application/graphql'];

export function useTransportRules({ introspection }: { introspection: boolean }): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'POST' || !url.pathname.endsWith('/graphql')) return;
      const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (operationTypes.includes(type)) return;
      endResponse(
        errorResponse(
          fetchAPI,
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          `Send operations as application/json (or application/graphql); ${type || 'a body without a content type'} is not accepted.`,
        ),
      );
    },
    onParams({ params, setResult }) {
      const problem = textProblem(params.query ?? '', params.variables);
      if (!problem) return;
      setResult({
        errors: [new GraphQLError(problem, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } })],
      });
    },
    onValidate({ addValidationRule }) {
      if (introspection) return;
      addValidationRule(NoSchemaIntrospectionCustomRule);
      return ({ result, setResult }) => {
        if (result.length === 0) return;
        // Suggestions would name fields and types the caller did not know.
        setResult(
          result.map((error) => {
            const message = withoutSuggestions(error.message);
            return message === error.message
              ? error
              : new GraphQLError(message, { nodes: error.nodes, extensions: error.extensions });
          }),
        );
      };
    },
    onExecute() {
      return {
        // Variables that do not fit their types fail the request before any resolver runs. graphql-js
        // gives those errors no code, and guesses the input fields and enum values meant.
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors || result.data !== undefined) return;
          setResult({
            ...result,
            errors: result.errors.map((error) =>
              error.extensions?.code
                ? error
                : new GraphQLError(introspection ? error.message : withoutSuggestions(error.message), {
                    nodes: error.nodes,
                    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
                  }),
            ),
          });
        },
      };
    },
  };
}

const withoutSuggestions = (message: string) => message.replace(/ Did you mean .+\?$/, '');

/** The NUL character as a GraphQL escape in a query's text (a raw one is tested apart). */
const nulEscape = /\\u0000|\\u\{0+\}/i;
const nulInQuery = { test: (text: string) => text.includes('\u0000') || nulEscape.test(text) };

/** What makes a request's text arguments unusable, if anything. */
function textProblem(query: string, variables: unknown): string | undefined {
  if (nulInQuery.test(query) || holdsText(variables, (text) => text.includes('\u0000'))) {
    return 'Text arguments must not contain the NUL character (U+0000).';
  }
  if (holdsText(variables, (text) => loneSurrogate.test(text))) {
    return 'Text arguments must be Unicode text: a lone UTF-16 surrogate (U+D800 to U+DFFF) is not.';
  }
  return undefined;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
export const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether any string in a variables value, at any depth up to 32, is one `test` finds. */
function holdsText(value: unknown, test: (text: string) => boolean, depth = 0): boolean {
  if (typeof value === 'string') return test(value);
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  return Object.values(value).some((item) => holdsText(item, test, depth + 1));
}
