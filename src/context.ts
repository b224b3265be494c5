import type { PrismaClient } from './generated/prisma/client.js';
import { createLoaders, type Loaders } from './services/loaders.js';

export interface Context {
  prisma: PrismaClient;
  loaders: Loaders;
}

export function createContext(prisma: PrismaClient): Context {
  return { prisma, loaders: createLoaders(prisma) };
}
