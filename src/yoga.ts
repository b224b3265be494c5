import { randomUUID } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { useContentEncoding } from '@whatwg-node/server';
import { GraphQLError } from 'graphql';
import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import { useApiKeys } from './auth.js';
import { type ResponseCacheSetup, useCacheControl } from './cache.js';
import { defaultLimits, type QueryLimits } from './config.js';
import { createContext } from './context.js';
import { apiErrorLogger, classifiedError, classifyError } from './errors.js';
import { exampleQuery } from './examples.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { type ReadinessCheck, useHealth } from './health.js';
import { useIdempotency } from './idempotency.js';
import { useAdmission, useDeadline, useQueryLimits } from './limits.js';
import type { Logger } from './logger.js';
import { useMetrics } from './metrics.js';
import { type Counters, type RateLimits, useRateLimits } from './ratelimit.js';
import { schema } from './schema/index.js';
import { keyVerifier } from './services/keys.js';
import { useTransportRules } from './transport.js';

export interface YogaOptions {
  /** The client a request reads with, or a function giving one per request (read replicas in turn). */
  prisma: PrismaClient | (() => PrismaClient);
  logger: Logger;
  /** GraphiQL opens on the example queries unless turned off. */
  graphiql?: boolean;
  /** The response cache; without it every request reads the database. */
  cache?: ResponseCacheSetup | null;
  /** What one request may ask for; defaultLimits unless configured. */
  limits?: QueryLimits;
  /** Bytes a request body may have, chunked bodies counted as they arrive. */
  maxBodyBytes?: number;
  /** Milliseconds an execution may run before it is stopped with QUERY_TIMEOUT. */
  deadlineMs?: number;
  /** Whether the schema may be introspected (and unknown fields answered with suggestions). */
  introspection?: boolean;
  /** Origins whose pages may call the API from a browser; none by default (no CORS headers). */
  corsOrigins?: string[];
  /** Requests served at once; more are answered 503 at once. */
  maxInFlight?: number;
  /** What GET /readyz asks; ready whenever asked unless given. */
  ready?: ReadinessCheck;
  /** Whether reads, too, need an API key (writes always do). */
  requireKeyForReads?: boolean;
  /** The primary, where mutations write; the client given for reads unless set. */
  writer?: PrismaClient;
  /** Rate limits charged by cost; none unless given. */
  rateLimits?: RateLimits | null;
  /** Where rate-limit counters live (Redis, shared by several servers); this process unless given. */
  rateLimitCounters?: Counters;
  /** Called after a mutation commits (the response cache follows the data version at once). */
  dataWritten?: () => Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1_000_000;
export const DEFAULT_DEADLINE_MS = 10_000;
export const DEFAULT_MAX_IN_FLIGHT = 64;

/** Echoes the caller's x-request-id, or makes one, on every response. */
function useRequestId(): Plugin {
  const ids = new WeakMap<Request, string>();
  return {
    onRequest({ request }) {
      ids.set(request, request.headers.get('x-request-id')?.slice(0, 128) || randomUUID());
    },
    onResponse({ request, response }) {
      const id = ids.get(request);
      if (id) response.headers.set('x-request-id', id);
    },
  };
}

export function buildYoga({
  prisma,
  logger,
  graphiql = true,
  cache = null,
  limits = defaultLimits,
  maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
  deadlineMs = DEFAULT_DEADLINE_MS,
  introspection = true,
  corsOrigins = [],
  maxInFlight = DEFAULT_MAX_IN_FLIGHT,
  ready = async () => null,
  requireKeyForReads = false,
  writer,
  dataWritten,
  rateLimits = null,
  rateLimitCounters,
}: YogaOptions) {
  const client = () => (typeof prisma === 'function' ? prisma() : prisma);
  const primary = writer ?? client();
  return createYoga({
    schema,
    context: () => createContext(client(), primary, dataWritten),
    logging: apiErrorLogger(logger),
    maskedErrors: {
      // Pothos rejects bad ids and cursors with a validation error: the client's to fix.
      maskError(error, message, isDev) {
        const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
        const from = error instanceof GraphQLError ? error : undefined;
        if (original instanceof Error && original.name === 'PothosValidationError') {
          return classifiedError({ code: 'BAD_USER_INPUT', message: original.message }, from);
        }
        const classified = classifyError(original);
        if (classified) return classifiedError(classified, from);
        return maskError(error, message, isDev);
      },
    },
    landingPage: false,
    // Never with credentials: reads are public and writes carry a key, not a cookie.
    cors: corsOrigins.length > 0 ? { origin: corsOrigins, credentials: false } : false,
    maxRequestBodySize: maxBodyBytes,
    graphiql: graphiql ? { title: 'citegraph', defaultQuery: exampleQuery } : false,
    // GraphiQL's assets are served from the package, so the playground works offline too.
    renderGraphiQL,
    plugins: [
      useMetrics(),
      useHealth(ready),
      useAdmission(maxInFlight),
      useTransportRules({ introspection }),
      useApiKeys({ verify: keyVerifier(client), requireKeyForReads }),
      useIdempotency(() => primary),
      useContentEncoding(),
      useRequestId(),
      useQueryLimits(limits),
      useDeadline(deadlineMs),
      ...(rateLimits ? [useRateLimits(rateLimits, rateLimitCounters)] : []),
      // Yoga runs onResponse hooks last plugin first: the cache's ETag is set when this one looks.
      ...(cache ? [useCacheControl(), cache.plugin] : []),
    ],
  });
}
