import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, freshPostgresUrl } from './ingest-kit.js';
import { createTestApp, type TestApp } from './kit.js';

/**
 * Timeouts on a PostgreSQL server (the pglite project leaves this file out: one embedded
 * connection cannot be made to wait on another). A second connection holds a lock on the works
 * table, so any read of it waits — until the lock timeout, or the request's deadline.
 */

let app: TestApp;
let blocker: pg.Client;
beforeAll(async () => {
  app = await createTestApp({ statementTimeoutMs: 300, deadlineMs: 2_000 });
  blocker = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await blocker.connect();
});
afterAll(async () => {
  await blocker?.end();
  await app?.close();
});

async function whileWorksLocked<T>(action: () => Promise<T>): Promise<T> {
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE work IN ACCESS EXCLUSIVE MODE');
  try {
    return await action();
  } finally {
    await blocker.query('ROLLBACK');
  }
}

describe('timeouts', () => {
  it('answer a statement stopped at its time limit with 504 QUERY_TIMEOUT, and free its connection', async () => {
    const started = performance.now();
    const response = await whileWorksLocked(() => app.post({ query: '{ works(first: 3) { nodes { title } } }' }));
    expect(response.status).toBe(504);
    expect(response.body.errors[0].extensions.code).toBe('QUERY_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(1_900);
    const after = await app.post({ query: '{ works(first: 3) { nodes { title } } }' });
    expect(after.status).toBe(200);
    expect(after.body.data.works.nodes).toHaveLength(3);
  });
});

describe('the request deadline', () => {
  let slow: TestApp;
  beforeAll(async () => {
    // Statements may wait 5 s; the request may not.
    slow = await createTestApp({ statementTimeoutMs: 5_000, deadlineMs: 200 });
  });
  afterAll(() => slow?.close());

  it('stops the execution and answers 504 QUERY_TIMEOUT when it passes', async () => {
    const started = performance.now();
    const response = await whileWorksLocked(() => slow.post({ query: '{ works(first: 3) { nodes { title } } }' }));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(response.status).toBe(504);
    expect(response.body.errors[0].extensions.code).toBe('QUERY_TIMEOUT');
    expect(response.body.errors[0].message).toMatch(/deadline/);
  });

  it('cancels the statement the stopped execution had waiting, rather than leaving it to statement_timeout', async () => {
    const waiters = () =>
      blocker
        .query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'work'::regclass`)
        .then((result) => result.rows[0].n as number);
    const seen = await whileWorksLocked(async () => {
      const answer = slow.post({ query: '{ works(first: 3) { nodes { title } } }' });
      let during = 0;
      for (let i = 0; i < 20 && during === 0; i += 1) {
        during = await waiters();
        if (during === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const response = await answer;
      // The answer does not wait for the cancel; the statement ends well before its 5 s timeout.
      let after = await waiters();
      for (let i = 0; i < 50 && after > 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        after = await waiters();
      }
      return { during, after, status: response.status };
    });
    expect(seen).toEqual({ during: 1, after: 0, status: 504 });
  });
});

describe('load shedding', () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await createTestApp({ statementTimeoutMs: 5_000, deadlineMs: 1_000, maxInFlight: 2 });
  });
  afterAll(() => small?.close());

  it('answers requests past the limit in flight with 503 at once, and serves again when they end', async () => {
    const answers = await whileWorksLocked(async () => {
      const waiting = [0, 1].map(() => small.post({ query: '{ works(first: 1) { nodes { title } } }' }));
      // Both are now held by the lock; the next three find the server full.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = performance.now();
      const shed = await Promise.all([0, 1, 2].map(() => small.post({ query: '{ __typename }' })));
      const shedMs = performance.now() - started;
      return { shed, shedMs, waiting: await Promise.all(waiting) };
    });
    expect(answers.shed.map((response) => response.status)).toEqual([503, 503, 503]);
    expect(answers.shed[0]?.headers.get('retry-after')).toBe('1');
    expect(answers.shed[0]?.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(answers.shedMs).toBeLessThan(500);
    expect(answers.waiting.map((response) => response.status)).toEqual([504, 504]);
    const after = await small.post({ query: '{ works(first: 1) { nodes { title } } }' });
    expect(after.status).toBe(200);
  });
});

describe('readiness', () => {
  it('fails while the database is gone, and the process stays up', async () => {
    const url = await freshPostgresUrl('readiness');
    const port = await freePort();
    const server = spawn(process.execPath, ['dist/server.js'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: url, PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    try {
      const readyz = () => fetch(`http://127.0.0.1:${port}/readyz`).then(async (response) => response.status);
      for (let attempt = 0; (await readyz().catch(() => 0)) !== 200; attempt += 1) {
        if (attempt > 300) throw new Error('the server did not become ready');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
      await admin.end();
      const gone = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(gone.status).toBe(503);
      expect((await gone.json()).status).toBe('unavailable');
      // Alive all the same, and GraphQL answers with a code rather than a crash.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ works(first: 1) { nodes { title } } }' }),
      });
      expect((await answer.json()).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect(server.exitCode).toBeNull();
    } finally {
      server.kill('SIGKILL');
    }
  });
});
