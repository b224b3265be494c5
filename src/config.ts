import { resolve } from 'node:path';
import { z } from 'zod';
import type { ResponseCacheOptions } from './cache.js';

/** The only reader of process.env: parsed once, every problem reported together. */

const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * What one GraphQL request may ask for. Every limit is checked before any SQL runs: length and
 * tokens while parsing, depth, aliases and directives while validating (they do not depend on
 * variables, so Yoga's validation cache may keep the verdict), and page sizes, cursors and the
 * node budget at the start of execution from the coerced arguments — `first: $n` counts exactly
 * as a literal does, and the same document is judged anew for each set of variables.
 */
export interface QueryLimits {
  /** Characters of query text. */
  length: number;
  /** Lexical tokens; the parser stops at the first one past the limit. */
  tokens: number;
  /** Nesting of fields, fragments flattened (`{ works { nodes { title } } }` is 3). */
  depth: number;
  /** Aliased fields in the document, `__typename` aside. */
  aliases: number;
  /** Directives used in the document. */
  directives: number;
  /** The node budget: rows the query may touch, estimated as `estimateNodes` documents. */
  nodes: number;
}

export const defaultLimits: QueryLimits = {
  length: 15_000,
  tokens: 2_000,
  depth: 12,
  aliases: 30,
  directives: 20,
  nodes: 10_000,
};

/** Rate limits charged by cost (src/ratelimit.ts). */
export interface RateLimits {
  /** Points an hour for requests without an API key, per client address. */
  anonymousPerHour: number;
  /** Points an hour per API key. */
  keyPerHour: number;
  /** Points a minute per client (key or address): the burst limit. */
  perMinute: number;
  /**
   * Proxies in front of citegraph that append the client's address to X-Forwarded-For: the
   * address is taken that many entries from the right. 0 uses the connection's address.
   */
  trustProxyHops: number;
}

export const defaultRateLimits: RateLimits = {
  anonymousPerHour: 5_000,
  keyPerHour: 20_000,
  perMinute: 1_000,
  trustProxyHops: 0,
};

/** The settings of the query limits (src/limits.ts), each a positive whole number. */
export const limitSettings = {
  QUERY_MAX_LENGTH: 'length',
  QUERY_MAX_TOKENS: 'tokens',
  QUERY_MAX_DEPTH: 'depth',
  QUERY_MAX_ALIASES: 'aliases',
  QUERY_MAX_DIRECTIVES: 'directives',
  QUERY_MAX_NODES: 'nodes',
} as const satisfies Record<string, keyof QueryLimits>;

const positiveInt = (setting: string, fallback: number) =>
  z.coerce
    .number({ error: `${setting} must be a number` })
    .int(`${setting} must be a whole number`)
    .min(1, `${setting} must be at least 1`)
    .default(fallback);

/** A setting listing values separated by commas, each of the given shape; unset is an empty list. */
const commaList = (shape: RegExp, message: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .refine((items) => items.every((item) => shape.test(item)), { message });

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
  DATABASE_REPLICA_URLS: commaList(
    /^postgres(ql)?:\/\/.+/,
    'DATABASE_REPLICA_URLS must be postgresql:// URLs separated by commas',
  ),
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
  ...Object.fromEntries(
    Object.entries(limitSettings).map(([setting, key]) => [setting, positiveInt(setting, defaultLimits[key])]),
  ),
  MAX_BODY_BYTES: positiveInt('MAX_BODY_BYTES', 1_000_000),
  REQUEST_DEADLINE_MS: positiveInt('REQUEST_DEADLINE_MS', 10_000),
  STATEMENT_TIMEOUT_MS: positiveInt('STATEMENT_TIMEOUT_MS', 5_000),
  MAX_IN_FLIGHT: positiveInt('MAX_IN_FLIGHT', 64),
  HOST: z.string().trim().min(1, 'HOST must not be empty').default('127.0.0.1'),
  CORS_ORIGINS: commaList(
    /^https?:\/\/[^/]+$/,
    'CORS_ORIGINS must be origins such as https://dashboard.example.org, separated by commas',
  ),
  INTROSPECTION: z.enum(['true', 'false'], { error: 'INTROSPECTION must be true or false' }).optional(),
  LOG_FORMAT: z.enum(['text', 'json'], { error: 'LOG_FORMAT must be text or json' }).optional(),
  READS_REQUIRE_KEY: z.enum(['true', 'false'], { error: 'READS_REQUIRE_KEY must be true or false' }).default('false'),
  RATE_LIMIT: z.enum(['on', 'off'], { error: 'RATE_LIMIT must be on or off' }).default('on'),
  RATE_LIMIT_POINTS: positiveInt('RATE_LIMIT_POINTS', defaultRateLimits.anonymousPerHour),
  RATE_LIMIT_KEY_POINTS: positiveInt('RATE_LIMIT_KEY_POINTS', defaultRateLimits.keyPerHour),
  RATE_LIMIT_POINTS_PER_MINUTE: positiveInt('RATE_LIMIT_POINTS_PER_MINUTE', defaultRateLimits.perMinute),
  TRUST_PROXY_HOPS: z.coerce
    .number({ error: 'TRUST_PROXY_HOPS must be a number' })
    .int('TRUST_PROXY_HOPS must be a whole number')
    .min(0, 'TRUST_PROXY_HOPS must be 0 or more')
    .max(10, 'TRUST_PROXY_HOPS must be at most 10')
    .default(0),
});

export type Database =
  | { kind: 'embedded'; dataDir: string }
  /** replicaUrls: streaming-replication standbys of url; the API reads from them. */
  | { kind: 'postgres'; url: string; replicaUrls?: string[] };

export interface Config {
  port: number;
  /** The address the server listens on. */
  host: string;
  database: Database;
  logLevel: LogLevel;
  /** One JSON object a line (the default in production), or text. */
  logFormat: 'text' | 'json';
  production: boolean;
  responseCache: ResponseCacheOptions;
  limits: QueryLimits;
  maxBodyBytes: number;
  deadlineMs: number;
  statementTimeoutMs: number;
  corsOrigins: string[];
  introspection: boolean;
  maxInFlight: number;
  requireKeyForReads: boolean;
  /** Null when RATE_LIMIT=off. */
  rateLimits: RateLimits | null;
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
    MAX_BODY_BYTES,
    REQUEST_DEADLINE_MS,
    STATEMENT_TIMEOUT_MS,
    HOST,
    CORS_ORIGINS,
    INTROSPECTION,
    MAX_IN_FLIGHT,
    LOG_FORMAT,
    READS_REQUIRE_KEY,
    RATE_LIMIT,
    RATE_LIMIT_POINTS,
    RATE_LIMIT_KEY_POINTS,
    RATE_LIMIT_POINTS_PER_MINUTE,
    TRUST_PROXY_HOPS,
  } = parsed.data;
  const settings = parsed.data as unknown as Record<keyof typeof limitSettings, number>;
  const limits = Object.fromEntries(
    Object.entries(limitSettings).map(([setting, key]) => [key, settings[setting as keyof typeof limitSettings]]),
  ) as unknown as QueryLimits;
  if (DATABASE_REPLICA_URLS.length > 0 && !DATABASE_URL) {
    throw new ConfigError(['DATABASE_REPLICA_URLS needs DATABASE_URL: replicas are standbys of a PostgreSQL server']);
  }
  return {
    port: PORT,
    host: HOST,
    database: DATABASE_URL
      ? { kind: 'postgres', url: DATABASE_URL, replicaUrls: DATABASE_REPLICA_URLS }
      : { kind: 'embedded', dataDir: resolve(DATA_DIR) },
    logLevel: LOG_LEVEL,
    logFormat: LOG_FORMAT ?? (NODE_ENV === 'production' ? 'json' : 'text'),
    production: NODE_ENV === 'production',
    responseCache: { ttlSeconds: RESPONSE_CACHE_TTL, maxEntries: RESPONSE_CACHE_MAX_ENTRIES, redisUrl: REDIS_URL },
    limits,
    maxBodyBytes: MAX_BODY_BYTES,
    deadlineMs: REQUEST_DEADLINE_MS,
    statementTimeoutMs: STATEMENT_TIMEOUT_MS,
    corsOrigins: CORS_ORIGINS,
    introspection: INTROSPECTION ? INTROSPECTION === 'true' : NODE_ENV !== 'production',
    maxInFlight: MAX_IN_FLIGHT,
    requireKeyForReads: READS_REQUIRE_KEY === 'true',
    rateLimits:
      RATE_LIMIT === 'off'
        ? null
        : {
            anonymousPerHour: RATE_LIMIT_POINTS,
            keyPerHour: RATE_LIMIT_KEY_POINTS,
            perMinute: RATE_LIMIT_POINTS_PER_MINUTE,
            trustProxyHops: TRUST_PROXY_HOPS,
          },
  };
}
