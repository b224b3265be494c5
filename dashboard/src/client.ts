import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { useEffect, useState } from 'react';

/**
 * The dashboard's only way to the API: typed documents generated from schema/schema.graphql,
 * posted to the same origin's /graphql. Answers are kept for the page's lifetime, so going back
 * to a page shows it at once.
 */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly codes: string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const printed = new WeakMap<object, string>();
const answers = new Map<string, unknown>();

function source(document: TypedDocumentNode<unknown, unknown>): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

export async function request<Result, Variables>(
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  signal?: AbortSignal,
): Promise<Result> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: source(document as TypedDocumentNode<unknown, unknown>), variables }),
    signal: signal ?? null,
  });
  const body = (await response.json().catch(() => null)) as {
    data?: Result | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  } | null;
  if (body?.errors?.length) {
    throw new ApiError(
      body.errors.map((error) => error.message).join(' '),
      body.errors.map((error) => error.extensions?.code ?? ''),
    );
  }
  if (!response.ok || !body?.data) throw new ApiError(`The API answered ${response.status}.`);
  return body.data;
}

export interface QueryState<Result> {
  data: Result | undefined;
  error: Error | undefined;
  loading: boolean;
}

/**
 * Runs a query whenever its variables change; a newer request cancels the one in flight. While it
 * runs, `data` is the previous answer and `loading` is true.
 */
export function useQuery<Result, Variables>(
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  options: { skip?: boolean } = {},
): QueryState<Result> {
  const key = `${source(document as TypedDocumentNode<unknown, unknown>)}\n${JSON.stringify(variables)}`;
  const [state, setState] = useState<QueryState<Result> & { key: string }>(() => ({
    key,
    data: answers.get(key) as Result | undefined,
    error: undefined,
    loading: !answers.has(key),
  }));
  const skip = options.skip ?? false;
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for the document and its variables.
  useEffect(() => {
    if (skip) return;
    if (answers.has(key)) {
      setState({ key, data: answers.get(key) as Result, error: undefined, loading: false });
      return;
    }
    const controller = new AbortController();
    // The previous answer stays on screen until this one arrives: a changed filter does not blank the page.
    setState((previous) => ({ key, data: previous.data, error: undefined, loading: true }));
    request(document, variables, controller.signal).then(
      (data) => {
        answers.set(key, data);
        setState({ key, data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({
          key,
          data: undefined,
          error: error instanceof Error ? error : new Error(String(error)),
          loading: false,
        });
      },
    );
    return () => controller.abort();
  }, [key, skip]);
  if (skip) return { data: undefined, error: undefined, loading: false };
  // Until the effect runs for new variables, the state still describes the previous ones.
  if (state.key !== key) {
    return {
      data: (answers.get(key) as Result | undefined) ?? state.data,
      error: undefined,
      loading: !answers.has(key),
    };
  }
  return state;
}
