import { createHash } from 'node:crypto';
import { createRedisCache } from '@envelop/response-cache-redis';
import { type Cache, createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { cacheReads } from './metrics.js';
import type { DataVersion } from './services/version.js';

/**
 * The response cache for public reads: a query answered once is answered again from memory
 * (or from Redis, shared by several citegraph processes) without touching the database, until
 * the data version changes — every committed import batch and correction changes it — or the
 * entry's time to live runs out. Answers carry an ETag; a client sending it back in
 * If-None-Match gets 304 Not Modified while the answer stands.
 */

export interface ResponseCacheOptions {
  /** Seconds an answer may be served from the cache; 0 turns the cache off. */
  ttlSeconds: number;
  /** Entries the in-memory cache keeps (least recently used go first). */
  maxEntries: number;
  /** A Redis URL: the cache is then shared by every process using it. */
  redisUrl?: string;
}

export interface ResponseCacheSetup {
  plugin: Plugin;
  close(): Promise<void>;
}

export function responseCache(options: ResponseCacheOptions, version: DataVersion): ResponseCacheSetup {
  const redis = options.redisUrl ? new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 }) : null;
  const store: Cache = redis ? createRedisCache({ redis }) : createInMemoryCache({ max: options.maxEntries });
  // Hits and misses are counted for GET /metrics.
  const cache: Cache = {
    ...store,
    get: async (key) => {
      const found = await store.get(key);
      if (found === undefined || found === null) cacheReads.misses += 1;
      else cacheReads.hits += 1;
      return found;
    },
    set: (...args) => store.set(...args),
    invalidate: (...args) => store.invalidate(...args),
  };
  const plugin = useResponseCache({
    cache,
    ttl: options.ttlSeconds * 1000,
    // Reads are public: one answer serves every client.
    session: () => null,
    enabled: () => version.known(),
    // A client's rate limit is its own and changes with every query.
    ttlPerSchemaCoordinate: { 'Query.rateLimit': 0 },
    buildResponseCacheKey: async ({ documentString, variableValues, operationName }) =>
      `${version.current()}:${sha256(JSON.stringify([documentString, variableValues ?? {}, operationName ?? '']))}`,
  });
  return {
    plugin,
    close: async () => {
      await redis?.quit();
    },
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Cacheable answers (those the response cache gave an ETag) may be stored by browsers and
 * proxies but must be revalidated, which costs a 304 while the data stands.
 */
export function useCacheControl(): Plugin {
  return {
    onResponse({ response }) {
      if (response.headers.has('etag')) response.headers.set('cache-control', 'public, max-age=0, must-revalidate');
    },
  };
}
