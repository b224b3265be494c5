import { GraphQLError } from 'graphql';
import type { Logger } from './logger.js';

/**
 * The one error model: every error an answer carries has an `extensions.code`, tabled with its
 * HTTP status in README.md ("Errors").
 * Errors of the client's making say what to fix; failures of the database that the client can
 * wait out say so with their HTTP status; anything else is masked as `Unexpected error.` and
 * logged with its cause.
 */

interface Classified {
  code: string;
  message: string;
  status?: number;
}

/** What the driver adapter says went wrong with the connection (its error kinds), if anything. */
function connectionFailure(error: unknown): boolean {
  const failure = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  const kind = failure?.meta?.driverAdapterError?.cause?.kind;
  return (
    (typeof kind === 'string' && unreachableKinds.has(kind)) ||
    // Prisma's own codes: can't reach the server, timed out reaching it, it closed the connection.
    (typeof failure?.code === 'string' && ['P1001', 'P1002', 'P1017'].includes(failure.code))
  );
}

const unreachableKinds = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TlsConnectionError',
  'DatabaseDoesNotExist',
]);

/** PostgreSQL's SQLSTATE of a failed statement, through Prisma's driver adapters. */
export function sqlState(error: unknown): string | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { code?: unknown; originalCode?: unknown } } } })
    ?.meta;
  const cause = meta?.driverAdapterError?.cause;
  const code = cause?.originalCode ?? cause?.code;
  return typeof code === 'string' ? code : undefined;
}

const unavailable =
  /timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|Connection terminated|the database system is (starting up|shutting down)|terminating connection|database "[^"]*" does not exist|Can't reach database server|Server has closed the connection/i;

/** What an error thrown while resolving means to the client, when it is not a bug. */
export function classifyError(error: unknown): Classified | undefined {
  if (error instanceof GraphQLError && typeof error.extensions?.code === 'string') return undefined;
  const state = sqlState(error);
  if (state === '57014' || state === '55P03') {
    return {
      code: 'QUERY_TIMEOUT',
      message: 'The database stopped a statement of this query at its time limit. Ask for less, or try again later.',
      status: 504,
    };
  }
  if (state === '22021' || state === '22P05') {
    return { code: 'BAD_USER_INPUT', message: 'Text arguments must not contain the NUL character (U+0000).' };
  }
  if (state === '23505') {
    return { code: 'CONFLICT', message: 'This write would duplicate a record that must be unique.' };
  }
  if (state === '40001' || state === '40P01') {
    return {
      code: 'CONFLICT',
      message: 'This write collided with another one at the same time. Send it again.',
      status: 409,
    };
  }
  // Connection failures, the server shutting down or full, the database dropped under the server.
  if (state?.startsWith('08') || state === '57P01' || state === '57P03' || state === '53300' || state === '3D000') {
    return { code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable. Try again shortly.', status: 503 };
  }
  const message =
    error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : '';
  // Prisma's interactive transactions: no connection in time, or the transaction ran out of time.
  if (/Unable to start a transaction in the given time/i.test(message)) {
    return { code: 'SERVICE_UNAVAILABLE', message: 'The database is busy. Try again shortly.', status: 503 };
  }
  if (
    /Transaction (already closed|API error: Transaction already closed)|expired transaction|timeout for this transaction/i.test(
      message,
    )
  ) {
    return {
      code: 'QUERY_TIMEOUT',
      message: 'The write ran out of time and was rolled back. Try again later.',
      status: 504,
    };
  }
  if (connectionFailure(error) || unavailable.test(message)) {
    return { code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable. Try again shortly.', status: 503 };
  }
  return undefined;
}

export function classifiedError(classified: Classified, from: GraphQLError | undefined): GraphQLError {
  return new GraphQLError(classified.message, {
    nodes: from?.nodes,
    path: from?.path,
    extensions: { code: classified.code, ...(classified.status ? { http: { status: classified.status } } : {}) },
  });
}

/** An answer refused before GraphQL runs (server full, wrong media type), in the same error shape. */
export function errorResponse(
  fetchAPI: { Response: typeof Response },
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/**
 * The logger the API's errors go to. An unexpected error is logged as an error with its cause. An
 * error classified above is the client's or the database's, not a bug: it is logged as a warning,
 * and while the database is unavailable one line every `quietMs` stands for all the failures of
 * that interval, so an outage does not flood the log with a line per request.
 */
export function apiErrorLogger(logger: Logger, quietMs = 5_000): Logger {
  let quietUntil = 0;
  let suppressed = 0;
  return {
    ...logger,
    error(...args: unknown[]) {
      const [first] = args;
      const original = first instanceof GraphQLError ? (first.originalError ?? first) : first;
      const classified = classifyError(original);
      if (!classified) {
        logger.error(...args);
        return;
      }
      if (classified.code !== 'SERVICE_UNAVAILABLE') {
        logger.warn(...args);
        return;
      }
      const now = Date.now();
      if (now < quietUntil) {
        suppressed += 1;
        return;
      }
      const more = suppressed > 0 ? ` (and ${suppressed} more like it since the last such line)` : '';
      logger.warn(
        `The database is unavailable: ${original instanceof Error ? original.message : String(original)}${more}`,
      );
      suppressed = 0;
      quietUntil = now + quietMs;
    },
  };
}
