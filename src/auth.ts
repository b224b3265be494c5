import { type DocumentNode, GraphQLError, Kind, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Viewer } from './services/keys.js';

/**
 * Who is calling: an API key sent as `Authorization: Bearer cg_…`, checked before anything else.
 * A key that is not valid (unknown, revoked, malformed) is refused with 401 `UNAUTHENTICATED`
 * whatever the operation, as GitHub refuses bad credentials. An operation holding a mutation
 * needs a key with the WRITE or ADMIN scope, and without one is refused before it is validated,
 * so the schema of writes cannot be probed anonymously; reads are public unless
 * `requireKeyForReads` is set. The viewer is in the GraphQL context for the resolvers.
 */

export interface AuthOptions {
  verify(key: string): Promise<Viewer | null>;
  requireKeyForReads?: boolean;
}

const refusal = (message: string, code: string, status: number) => ({
  errors: [new GraphQLError(message, { extensions: { code, http: { status } } })],
});

/** The key each request came with, once useApiKeys has checked it. */
const viewers = new WeakMap<Request, Viewer>();

/** The viewer of a request whose key useApiKeys accepted; undefined without a key. */
export const viewerOf = (request: Request): Viewer | undefined => viewers.get(request);

export function useApiKeys({ verify, requireKeyForReads = false }: AuthOptions): Plugin {
  return {
    async onParams({ params, request, setResult }) {
      const header = request.headers.get('authorization');
      if (header) {
        const [kind, key] = header.trim().split(/\s+/, 2);
        const viewer = kind?.toLowerCase() === 'bearer' && key ? await verify(key) : null;
        if (!viewer) {
          setResult(refusal('The API key is not valid: unknown, revoked or malformed.', 'UNAUTHENTICATED', 401));
          return;
        }
        viewers.set(request, viewer);
        if (isMutation(params.query, params.operationName) && viewer.scope === 'READ') {
          setResult(refusal('Writes need an API key with the WRITE or ADMIN scope.', 'FORBIDDEN', 403));
        }
        return;
      }
      if (requireKeyForReads) {
        setResult(refusal('This server answers only requests with an API key.', 'UNAUTHENTICATED', 401));
        return;
      }
      if (isMutation(params.query, params.operationName)) {
        setResult(refusal('Writes need an API key: send Authorization: Bearer <key>.', 'UNAUTHENTICATED', 401));
      }
    },
    onContextBuilding({ context, extendContext }) {
      const request = (context as { request?: Request }).request;
      extendContext({ viewer: (request && viewers.get(request)) ?? null } as Record<string, unknown>);
    },
  };
}

/**
 * Whether the operation to run is a mutation. The word must appear for it to be one, so most
 * reads are not parsed here; a document that does not parse is left to the parser's own error.
 */
export function isMutation(query: string | undefined, operationName: string | null | undefined): boolean {
  if (!query?.includes('mutation')) return false;
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true, maxTokens: 10_000 });
  } catch {
    return false;
  }
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const chosen = operationName
    ? operations.find((operation) => operation.name?.value === operationName)
    : operations[0];
  // With several operations and no name, any mutation among them counts.
  return (chosen ? [chosen] : operations).some((operation) => operation.operation === 'mutation');
}
