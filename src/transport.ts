import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { errorResponse } from './errors.js';

/**
 * What crosses the wire, with safe defaults for a public server:
 * - operations arrive as JSON (or `application/graphql`) in a POST, or in a GET's query string:
 *   a form or `text/plain` POST, which a browser sends cross-site without asking first, is
 *   refused with 415, so no page on another site can make a visitor's browser run an operation;
 * - text arguments holding the NUL character, which PostgreSQL cannot store or compare, are
 *   refused with BAD_USER_INPUT before the query is parsed, whether literal or in variables;
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
      if (!(nulInQuery.test(params.query ?? '') || holdsNul(params.variables))) return;
      setResult({
        errors: [
          new GraphQLError('Text arguments must not contain the NUL character (U+0000).', {
            extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
          }),
        ],
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
            const message = error.message.replace(/ Did you mean .+\?$/, '');
            return message === error.message
              ? error
              : new GraphQLError(message, { nodes: error.nodes, extensions: error.extensions });
          }),
        );
      };
    },
  };
}

/** The NUL character as a GraphQL escape in a query's text (a raw one is tested apart). */
const nulEscape = /\\u0000|\\u\{0+\}/i;
const nulInQuery = { test: (text: string) => text.includes('\u0000') || nulEscape.test(text) };

function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  return Object.values(value).some((item) => holdsNul(item, depth + 1));
}
