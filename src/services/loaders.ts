import DataLoader from 'dataloader';
import type { PrismaClient } from '../generated/prisma/client.js';
import { contributionCommits } from './involvement.js';
import {
  type PersonMetrics,
  type PersonYearly,
  personMetrics,
  personYearlyCitations,
  workYearlyCitations,
  type YearCount,
} from './metrics.js';

/**
 * Per-request batch loaders: a field resolved for every item of a page costs one SQL
 * statement per page, not one per item.
 */
export interface Loaders {
  workYearly: DataLoader<number, YearCount[]>;
  personYearly: DataLoader<number, PersonYearly>;
  personMetrics: DataLoader<{ personId: number; since: number | null }, PersonMetrics, string>;
  contributionCommits: DataLoader<number, number | null>;
}

export function createLoaders(prisma: PrismaClient): Loaders {
  return {
    workYearly: new DataLoader((ids) => workYearlyCitations(prisma, ids)),
    personYearly: new DataLoader((ids) => personYearlyCitations(prisma, ids)),
    personMetrics: new DataLoader(
      async (keys) => {
        // One statement per distinct `since` in the request.
        const bySince = new Map<number | null, number[]>();
        for (const key of keys) bySince.set(key.since, [...(bySince.get(key.since) ?? []), key.personId]);
        const results = await Promise.all([...bySince].map(([since, ids]) => personMetrics(prisma, ids, since)));
        const found = new Map(results.flat().map((metrics) => [`${metrics.personId}:${metrics.since}`, metrics]));
        return keys.map((key) => found.get(`${key.personId}:${key.since}`) as PersonMetrics);
      },
      { cacheKeyFn: (key) => `${key.personId}:${key.since}` },
    ),
    contributionCommits: new DataLoader((ids) => contributionCommits(prisma, ids)),
  };
}
