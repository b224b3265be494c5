import { readFile } from 'node:fs/promises';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { inject } from 'vitest';
import type { RateLimits } from '../src/config.js';
import { type Db, openDatabase } from '../src/db.js';
import type { PrismaClient } from '../src/generated/prisma/client.js';
import { createLogger } from '../src/logger.js';
import { statementsSent } from '../src/metrics.js';
import { applyMigrations } from '../src/migrations.js';
import { seedDemo } from '../src/seed/demo.js';
import { buildYoga } from '../src/yoga.js';
import { freshPostgresUrl } from './ingest-kit.js';

/**
 * The test kit: a citegraph app on the demo dataset, an `execute` helper for typed
 * documents, and a record of the SQL operations each request made.
 */

export interface TestApp {
  db: Db;
  /** Prisma operations since the last reset, as "Model.operation" or "$queryRawUnsafe". */
  operations: string[];
  /** SQL statements the last request sent to the database (one Prisma operation may send several, or share one). */
  statements(): number;
  execute<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables?: Variables): Promise<Result>;
  /** The raw response for a request, for error cases. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response JSON.
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>;
  /** A GET as a browser sends it. */
  page(path: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** PostgreSQL only: the API connections' statement_timeout (lock_timeout follows it up to 2 s). */
  statementTimeoutMs?: number;
  /** The request deadline (buildYoga's default otherwise). */
  deadlineMs?: number;
  introspection?: boolean;
  corsOrigins?: string[];
  maxInFlight?: number;
  requireKeyForReads?: boolean;
  /**
   * PostgreSQL only: a database of the test file's own, named with this suffix and loaded with the
   * demo data, for tests that write (the shared one is only read). PGlite apps are each their own.
   */
  ownDatabase?: string;
  rateLimits?: RateLimits;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const onPostgres = process.env.CITEGRAPH_TEST_DB === 'postgres';
  const url =
    onPostgres && options.ownDatabase
      ? await freshPostgresUrl(options.ownDatabase)
      : (process.env.TEST_DATABASE_URL as string);
  const db = onPostgres
    ? await openDatabase({ kind: 'postgres', url }, { statementTimeoutMs: options.statementTimeoutMs })
    : await openDatabase({ kind: 'memory', loadDataDir: new Blob([await readFile(inject('pgliteDump'))]) });
  if (onPostgres && options.ownDatabase) {
    await applyMigrations(db.migrationAdapter());
    await seedDemo(db.prisma);
  }
  const operations: string[] = [];
  let statementsAtReset = statementsSent();
  const recording = db.prisma.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        operations.push(model ? `${model}.${operation}` : operation);
        return query(args);
      },
    },
  }) as unknown as PrismaClient;
  const yoga = buildYoga({
    prisma: recording,
    logger: createLogger('silent'),
    deadlineMs: options.deadlineMs,
    introspection: options.introspection,
    corsOrigins: options.corsOrigins,
    maxInFlight: options.maxInFlight,
    requireKeyForReads: options.requireKeyForReads,
    rateLimits: options.rateLimits ?? null,
  });

  const post: TestApp['post'] = async (body, headers = {}) => {
    statementsAtReset = statementsSent();
    const response = await yoga.fetch('http://citegraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body: typeof body === 'string' || body instanceof ReadableStream ? body : JSON.stringify(body),
      // A stream is sent as it comes, without a declared length (chunked).
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, headers: response.headers, body: parsed };
  };

  return {
    db,
    operations,
    statements: () => statementsSent() - statementsAtReset,
    post,
    async execute(document, variables) {
      operations.length = 0;
      const query = print(document);
      const { status, body } = await post({ query, variables });
      if (status !== 200 || body.errors) {
        throw new Error(
          `GraphQL request failed (${status})\n--- query ---\n${query}\n--- variables ---\n${JSON.stringify(variables)}\n--- response ---\n${JSON.stringify(body, null, 2)}`,
        );
      }
      return body.data;
    },
    async page(path) {
      const response = await yoga.fetch(`http://citegraph.test${path}`, { headers: { accept: 'text/html' } });
      return { status: response.status, text: await response.text() };
    },
    close: () => db.close(),
  };
}
