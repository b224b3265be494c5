import type { PrismaClient } from './generated/prisma/client.js';
import type { Viewer } from './services/keys.js';
import { createLoaders, type Loaders } from './services/loaders.js';

export interface Context {
  prisma: PrismaClient;
  loaders: Loaders;
  /** The API key the request came with (src/auth.ts); null without one. */
  viewer?: Viewer | null;
}

export function createContext(prisma: PrismaClient): Context {
  return { prisma, loaders: createLoaders(prisma) };
}
