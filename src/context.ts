import type { PrismaClient } from './generated/prisma/client.js';
import type { QueryCost } from './limits.js';
import type { RateLimitState } from './ratelimit.js';
import type { Viewer } from './services/keys.js';
import { createLoaders, type Loaders } from './services/loaders.js';

export interface Context {
  /** The client this request reads with (with read replicas, one of them). */
  prisma: PrismaClient;
  /** The primary: mutations write here and read their results back from here. */
  writer: PrismaClient;
  loaders: Loaders;
  /** The API key the request came with (src/auth.ts); null without one. */
  viewer?: Viewer | null;
  /** The node budget's estimate for this operation (src/limits.ts). */
  cost?: QueryCost;
  /** What this operation cost of the client's rate limit, when rate limits are on (src/ratelimit.ts). */
  rateLimit?: RateLimitState;
  /** Called after a write commits, so this process's cached answers stop at once. */
  dataWritten?: () => Promise<void>;
}

export function createContext(
  prisma: PrismaClient,
  writer: PrismaClient = prisma,
  dataWritten?: () => Promise<void>,
): Context {
  return { prisma, writer, loaders: createLoaders(prisma), ...(dataWritten ? { dataWritten } : {}) };
}
