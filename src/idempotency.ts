import { createHash } from 'node:crypto';
import { type ExecutionResult, GraphQLError, Source } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isMutation, viewerOf } from './auth.js';
import type { PrismaClient } from './generated/prisma/client.js';

/**
 * Writes sent with an `Idempotency-Key` header are answered once, as Stripe's and GitHub's
 * APIs treat them: the key (per API key) is reserved before the write runs and its answer is
 * kept for 24 hours, so the same request sent again — a client retrying after a lost answer —
 * gets the first answer (with `Idempotent-Replayed: true`) and writes nothing. The same key with a
 * different request is refused (422 `IDEMPOTENCY_KEY_REUSED`), and while the first is still being
 * answered a second gets 409 `CONFLICT` with Retry-After. An answer that says the write did not
 * happen (the database was unavailable or timed out, or an unexpected error) is not kept, so a
 * retry writes. A reservation whose answer never came (the server stopped mid-write) is given up
 * after a minute.
 */

/** Hours a key's answer is kept. */
export const IDEMPOTENCY_HOURS = 24;

/** Answers that mean the write did not take place: a retry with the same key runs again. */
const RETRYABLE = new Set(['SERVICE_UNAVAILABLE', 'QUERY_TIMEOUT', 'INTERNAL_SERVER_ERROR']);

const refusal = (message: string, code: string, status: number, headers?: Record<string, string>) => ({
  errors: [new GraphQLError(message, { extensions: { code, http: { status, ...(headers ? { headers } : {}) } } })],
});

interface Reservation {
  keyId: number;
  key: string;
}

type StoredError = {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
};

export function useIdempotency(primary: () => PrismaClient): Plugin {
  const reserved = new WeakMap<Request, Reservation>();
  const replayed = new WeakSet<Request>();
  let swept = 0;
  return {
    async onParams({ params, request, setResult }) {
      const key = request.headers.get('idempotency-key');
      const viewer = viewerOf(request);
      if (key === null || !viewer || !isMutation(params.query, params.operationName)) return;
      if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
        setResult(refusal('Idempotency-Key is 1 to 255 visible ASCII characters.', 'BAD_USER_INPUT', 400));
        return;
      }
      const request_ = createHash('sha256')
        .update(JSON.stringify([params.query, params.variables ?? {}, params.operationName ?? null]))
        .digest('hex');
      const prisma = primary();
      if (Date.now() - swept > 3_600_000) {
        swept = Date.now();
        await prisma.$executeRawUnsafe(
          `DELETE FROM idempotent_request WHERE created_at < now() - make_interval(hours => $1)`,
          IDEMPOTENCY_HOURS,
        );
      }
      const fresh = await prisma.$queryRawUnsafe<unknown[]>(
        `INSERT INTO idempotent_request (api_key_id, key, request) VALUES ($1, $2, $3)
         ON CONFLICT (api_key_id, key) DO UPDATE SET request = EXCLUDED.request, response = NULL, created_at = now()
           WHERE idempotent_request.created_at < now() - make_interval(hours => $4)
              OR (idempotent_request.response IS NULL AND idempotent_request.created_at < now() - interval '1 minute')
         RETURNING 1`,
        viewer.keyId,
        key,
        request_,
        IDEMPOTENCY_HOURS,
      );
      if (fresh.length > 0) {
        reserved.set(request, { keyId: viewer.keyId, key });
        return;
      }
      const [first] = await prisma.$queryRawUnsafe<{ request: string; response: ExecutionResult | null }[]>(
        `SELECT request, response FROM idempotent_request WHERE api_key_id = $1 AND key = $2`,
        viewer.keyId,
        key,
      );
      if (first && first.request !== request_) {
        setResult(
          refusal(
            'This Idempotency-Key was used with a different request. Use a new key for a new write.',
            'IDEMPOTENCY_KEY_REUSED',
            422,
          ),
        );
      } else if (!first?.response) {
        setResult(
          refusal('A request with this Idempotency-Key is still being answered; retry shortly.', 'CONFLICT', 409, {
            'retry-after': '1',
          }),
        );
      } else {
        replayed.add(request);
        setResult(revive(first.response, params.query ?? ''));
      }
    },
    async onResultProcess({ request, result }) {
      const reservation = reserved.get(request);
      if (!reservation || Array.isArray(result) || Symbol.asyncIterator in result) return;
      reserved.delete(request);
      const answer = result as ExecutionResult;
      const failed = (answer.errors ?? []).some((error) =>
        RETRYABLE.has(String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')),
      );
      const prisma = primary();
      if (failed) {
        await prisma.$executeRawUnsafe(
          `DELETE FROM idempotent_request WHERE api_key_id = $1 AND key = $2`,
          reservation.keyId,
          reservation.key,
        );
      } else {
        await prisma.$executeRawUnsafe(
          `UPDATE idempotent_request SET response = $3::jsonb WHERE api_key_id = $1 AND key = $2`,
          reservation.keyId,
          reservation.key,
          JSON.stringify(answer),
        );
      }
    },
    onResponse({ request, response }) {
      if (replayed.has(request)) response.headers.set('idempotent-replayed', 'true');
    },
  };
}

/** A kept answer as it was first given: its errors are errors again, with their HTTP status and place in the query. */
function revive(stored: ExecutionResult, query: string): ExecutionResult {
  if (!stored.errors) return stored;
  const source = new Source(query);
  const lineStarts = [0];
  for (let at = query.indexOf('\n'); at >= 0; at = query.indexOf('\n', at + 1)) lineStarts.push(at + 1);
  return {
    ...stored,
    errors: (stored.errors as unknown as StoredError[]).map(
      (error) =>
        new GraphQLError(error.message, {
          ...(error.locations
            ? { source, positions: error.locations.map(({ line, column }) => (lineStarts[line - 1] ?? 0) + column - 1) }
            : {}),
          path: error.path,
          extensions: error.extensions,
        }),
    ),
  };
}
