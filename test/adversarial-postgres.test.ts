import { createServer, type Server } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db.js';
import { statementsSent } from '../src/metrics.js';
import { durabilityWarnings } from '../src/setup.js';
import { buildYoga } from '../src/yoga.js';
import { freePort, freshPostgresUrl } from './ingest-kit.js';
import { createTestApp, type TestApp } from './kit.js';

/**
 * The adversarial cases that need a PostgreSQL server (the pglite project leaves this file out):
 * a second connection holds a lock on the works table, so a read waits on it for as long as the
 * test wants, behind a real HTTP server that can see its client go away.
 */

let app: TestApp;
let blocker: pg.Client;
let server: Server;
let url: string;
const logged: unknown[] = [];

beforeAll(async () => {
  app = await createTestApp({ statementTimeoutMs: 5_000 });
  blocker = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await blocker.connect();
  const keep = (...args: unknown[]) => logged.push(...args);
  const yoga = buildYoga({
    prisma: app.db.prisma,
    logger: { debug: () => {}, info: () => {}, warn: keep, error: keep },
  });
  server = createServer(yoga);
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${port}/graphql`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await blocker?.end();
  await app?.close();
});

/** Waits for `condition`, checking every 20 ms, and fails with `what` if it never holds. */
const until = async (what: string, condition: () => Promise<boolean> | boolean) => {
  for (let attempt = 0; !(await condition()); attempt += 1) {
    if (attempt === 1_000) throw new Error(`gave up waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** Works, each with who cites it, what it cites and its authors: one statement per level. */
const QUERY = `{ works(first: 3) { nodes { title
  citedBy(first: 2) { nodes { title } } references(first: 2) { nodes { title } } authors { name } } } }`;

const send = (signal?: AbortSignal) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: QUERY }),
    signal,
  });

describe('D4: a client that goes away', () => {
  it('stops its execution and cancels its SQL: no statement after the one in flight, the connection freed, nothing logged as an error', async () => {
    let before = statementsSent();
    const full = await send();
    expect(full.status).toBe(200);
    const answer = await full.json();
    expect(answer.errors).toBeUndefined();
    expect(answer.data.works.nodes).toHaveLength(3);
    const statementsOfFullRun = statementsSent() - before;
    expect(statementsOfFullRun).toBeGreaterThan(1);

    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE work IN ACCESS EXCLUSIVE MODE');
    before = statementsSent();
    const client = new AbortController();
    const aborted = send(client.signal);
    try {
      // The first statement now waits on the lock; the client gives up.
      await until('the query waits on the lock', async () => {
        const { rows } = await blocker.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
           WHERE wait_event_type = 'Lock' AND datname = current_database()`,
        );
        return rows[0].waiting > 0;
      });
      client.abort();
      await expect(aborted).rejects.toThrow(/aborted/i);
      // The statement waiting on the lock is cancelled while the lock is still held.
      await until('the waiting statement is cancelled', async () => {
        const { rows } = await blocker.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
           WHERE wait_event_type = 'Lock' AND datname = current_database()`,
        );
        return rows[0].waiting === 0;
      });
    } finally {
      await blocker.query('ROLLBACK');
    }
    const pool = app.db.poolUse;
    expect(pool).toBeDefined();
    await until('the pool has every connection back', () => {
      const use = pool?.() ?? { total: 0, idle: 0, waiting: 0 };
      return use.waiting === 0 && use.idle === use.total;
    });
    const again = await send();
    expect(again.status).toBe(200);
    expect((await again.json()).data).toEqual(answer.data);
    // The statement in flight when the client left is the abandoned query's only one.
    expect(statementsSent() - before).toBe(1 + statementsOfFullRun);

    // A client gone away is no error of the server's.
    expect(logged).toEqual([]);
    const alive = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(alive.status).toBe(200);
    expect((await alive.json()).data).toEqual({ __typename: 'Query' });
  });
});

describe('C7: durability', () => {
  it('warns at start when the database runs with synchronous_commit or fsync off', async () => {
    const url = await freshPostgresUrl('durability');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`ALTER DATABASE "${new URL(url).pathname.slice(1)}" SET synchronous_commit = off`);
    await admin.end();
    const db = await openDatabase({ kind: 'postgres', url });
    try {
      const warnings = await durabilityWarnings(db);
      expect(warnings).toEqual([expect.stringMatching(/^PostgreSQL runs with synchronous_commit = off/)]);
    } finally {
      await db.close();
    }
    // The suite's own database keeps the defaults: no warning.
    expect(await durabilityWarnings(app.db)).toEqual([]);
  });
});
