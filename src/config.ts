import { resolve } from 'node:path';
import { z } from 'zod';
import type { ResponseCacheOptions } from './cache.js';

/** The only reader of process.env: parsed once, every problem reported together. */

const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

const envSchema = z.object({
  PORT: z.coerce
    .number({ error: 'PORT must be a number' })
    .int('PORT must be a whole number')
    .min(1, 'PORT must be between 1 and 65535')
    .max(65535, 'PORT must be between 1 and 65535')
    .default(4000),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine((value) => value === undefined || /^postgres(ql)?:\/\/.+/.test(value), {
      message: 'DATABASE_URL must be a postgresql:// URL (leave it unset for the embedded database)',
    }),
  DATABASE_REPLICA_URLS: z
    .string()
    .trim()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean),
    )
    .refine((urls) => urls.every((url) => /^postgres(ql)?:\/\/.+/.test(url)), {
      message: 'DATABASE_REPLICA_URLS must be postgresql:// URLs separated by commas',
    }),
  DATA_DIR: z.string().trim().min(1, 'DATA_DIR must not be empty').default('./.data'),
  LOG_LEVEL: z.enum(logLevels, { error: `LOG_LEVEL must be one of ${logLevels.join(', ')}` }).default('info'),
  NODE_ENV: z.string().default('development'),
  RESPONSE_CACHE_TTL: z.coerce
    .number({ error: 'RESPONSE_CACHE_TTL must be a number of seconds' })
    .int('RESPONSE_CACHE_TTL must be a whole number of seconds')
    .min(0, 'RESPONSE_CACHE_TTL must be 0 (off) or more')
    .default(300),
  RESPONSE_CACHE_MAX_ENTRIES: z.coerce
    .number({ error: 'RESPONSE_CACHE_MAX_ENTRIES must be a number' })
    .int('RESPONSE_CACHE_MAX_ENTRIES must be a whole number')
    .min(1, 'RESPONSE_CACHE_MAX_ENTRIES must be at least 1')
    .default(1000),
  REDIS_URL: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine((value) => value === undefined || /^rediss?:\/\/.+/.test(value), {
      message: 'REDIS_URL must be a redis:// or rediss:// URL',
    }),
});

export type Database =
  | { kind: 'embedded'; dataDir: string }
  /** replicaUrls: streaming-replication standbys of url; the API reads from them. */
  | { kind: 'postgres'; url: string; replicaUrls?: string[] };

export interface Config {
  port: number;
  database: Database;
  logLevel: LogLevel;
  production: boolean;
  responseCache: ResponseCacheOptions;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  }
  const {
    PORT,
    DATABASE_URL,
    DATABASE_REPLICA_URLS,
    DATA_DIR,
    LOG_LEVEL,
    NODE_ENV,
    RESPONSE_CACHE_TTL,
    RESPONSE_CACHE_MAX_ENTRIES,
    REDIS_URL,
  } = parsed.data;
  if (DATABASE_REPLICA_URLS.length > 0 && !DATABASE_URL) {
    throw new ConfigError(['DATABASE_REPLICA_URLS needs DATABASE_URL: replicas are standbys of a PostgreSQL server']);
  }
  return {
    port: PORT,
    database: DATABASE_URL
      ? { kind: 'postgres', url: DATABASE_URL, replicaUrls: DATABASE_REPLICA_URLS }
      : { kind: 'embedded', dataDir: resolve(DATA_DIR) },
    logLevel: LOG_LEVEL,
    production: NODE_ENV === 'production',
    responseCache: { ttlSeconds: RESPONSE_CACHE_TTL, maxEntries: RESPONSE_CACHE_MAX_ENTRIES, redisUrl: REDIS_URL },
  };
}
