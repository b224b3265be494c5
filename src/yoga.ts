import { randomUUID } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { useContentEncoding } from '@whatwg-node/server';
import { GraphQLError } from 'graphql';
import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import { type ResponseCacheSetup, useCacheControl } from './cache.js';
import { createContext } from './context.js';
import { exampleQuery } from './examples.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { useConnectionGuards } from './limits.js';
import type { Logger } from './logger.js';
import { useMetrics } from './metrics.js';
import { schema } from './schema/index.js';

export interface YogaOptions {
  /** The client a request reads with, or a function giving one per request (read replicas in turn). */
  prisma: PrismaClient | (() => PrismaClient);
  logger: Logger;
  /** GraphiQL opens on the example queries unless turned off. */
  graphiql?: boolean;
  /** The response cache; without it every request reads the database. */
  cache?: ResponseCacheSetup | null;
}

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

export function buildYoga({ prisma, logger, graphiql = true, cache = null }: YogaOptions) {
  return createYoga({
    schema,
    context: () => createContext(typeof prisma === 'function' ? prisma() : prisma),
    logging: logger,
    maskedErrors: {
      // Pothos rejects bad ids and cursors with a validation error: the client's to fix.
      maskError(error, message, isDev) {
        const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
        if (original instanceof Error && original.name === 'PothosValidationError') {
          return new GraphQLError(original.message, {
            nodes: error instanceof GraphQLError ? error.nodes : undefined,
            path: error instanceof GraphQLError ? error.path : undefined,
            extensions: { code: 'BAD_USER_INPUT' },
          });
        }
        return maskError(error, message, isDev);
      },
    },
    landingPage: false,
    graphiql: graphiql ? { title: 'citegraph', defaultQuery: exampleQuery } : false,
    // GraphiQL's assets are served from the package, so the playground works offline too.
    renderGraphiQL,
    plugins: [
      useMetrics(),
      useContentEncoding(),
      useRequestId(),
      useConnectionGuards(),
      // Yoga runs onResponse hooks last plugin first: the cache's ETag is set when this one looks.
      ...(cache ? [useCacheControl(), cache.plugin] : []),
    ],
  });
}
