import type { TypedDocumentString } from './generated/graphql.js';

/** One entry of a GraphQL response's errors. */
export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** A response with errors, or without data: the request failed. */
export class GraphQLRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: GraphQLErrorEntry[],
  ) {
    super(errors.map((error) => error.message).join('; ') || `GraphQL request failed with HTTP ${status}`);
    this.name = 'GraphQLRequestError';
  }
}

export interface ClientOptions {
  /** citegraph's GraphQL endpoint, e.g. "https://citegraph.example.org/graphql". */
  endpoint: string;
  /** An API key, sent as Authorization: Bearer <key> (reads need one only where the server requires it). */
  apiKey?: string;
  /** fetch by default; another implementation of it (a test server's, one with retries) otherwise. */
  fetch?: typeof fetch;
}

/**
 * Sends one operation with fetch and returns its data, typed by the operation. Operations
 * without variables take none; the others require theirs.
 */
export async function execute<TResult, TVariables>(
  options: ClientOptions,
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<TResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json',
  };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const response = await (options.fetch ?? fetch)(options.endpoint, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await response.json()) as { data?: TResult | null; errors?: GraphQLErrorEntry[] };
  if (body.errors?.length || body.data == null) throw new GraphQLRequestError(response.status, body.errors ?? []);
  return body.data;
}
