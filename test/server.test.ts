import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedServer, startServer } from './server-kit.js';

/**
 * The server as `npm start` runs it in production: the JavaScript build in dist/ (npm test
 * builds it first) on plain node, against the test database.
 */

let port = 0;
let server: ChildProcess;
let exited: Promise<number | null>;
let started: StartedServer;

const query = JSON.stringify({ query: '{ person(name: "Yangqing Jia") { name } }' });

beforeAll(async () => {
  started = await startServer();
  port = started.port;
  server = started.process;
  exited = started.exited;
});

afterAll(() => started?.stop());

/** Sends a request whose body arrives in two parts, calling `between` after the first. */
function slowRequest(between: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += String(chunk);
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(query)}\r\n\r\n${query.slice(0, 10)}`,
    );
    setTimeout(() => {
      between();
      setTimeout(() => socket.write(query.slice(10)), 300);
    }, 300);
  });
}

describe('the production server', () => {
  it('runs from the JavaScript build on plain node and answers GraphQL', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: query,
    });
    expect(await response.json()).toMatchObject({ data: { person: { name: 'Yangqing Jia' } } });
    // Rate limits are on by default, charged to the client's address.
    expect(response.headers.get('ratelimit-limit')).toBe('5000');
    expect(Number(response.headers.get('ratelimit-remaining'))).toBeLessThan(5000);
  });

  it('compresses answers for clients that accept gzip, /metrics included', async () => {
    for (const [path, init] of [
      ['/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: query }],
      ['/metrics', {}],
    ] as const) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        ...init,
        headers: { ...('headers' in init ? init.headers : {}), 'accept-encoding': 'gzip' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-encoding')).toBe('gzip');
      // fetch inflates the body again.
      expect(await response.text()).toMatch(
        path === '/metrics' ? /^citegraph_http_requests_total \d+$/m : /Yangqing Jia/,
      );
    }
  });

  it('serves no GraphiQL, no introspection and no field suggestions in production', async () => {
    const page = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);
    expect(page.status).not.toBe(200);
    for (const probe of ['{ __schema { types { name } } }', '{ wrks { title } }']) {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: probe }),
      });
      const body = await response.json();
      expect(body.data).toBeUndefined();
      expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(body)).not.toMatch(/Did you mean/);
    }
  });

  it('logs one JSON line per request, with the id its response echoes', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'access-probe-7' },
      body: query,
    });
    expect(response.headers.get('x-request-id')).toBe('access-probe-7');
    await response.text();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = started.log
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
    expect(lines.find((line) => line.requestId === 'access-probe-7')).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'POST',
      path: '/graphql',
      status: 200,
    });
    // Production logs are JSON only: every line parses.
    expect(started.log.split('\n').filter((line) => line.trim() && !line.startsWith('{'))).toEqual([]);
  });

  it('answers /healthz while alive and /readyz while the database holds every migration', async () => {
    for (const [path, status] of [
      ['/healthz', 'ok'],
      ['/readyz', 'ready'],
    ]) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(response.status, path).toBe(200);
      expect(await response.json()).toEqual({ status });
    }
  });

  it('reports latency, statuses, error codes and, on PostgreSQL, pool use at /metrics', async () => {
    await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ works(first: 1000) { nodes { title } } }' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^citegraph_http_request_duration_seconds_bucket\{le="\+Inf"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^citegraph_http_responses_total\{status="200"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^citegraph_graphql_errors_total\{code="BAD_USER_INPUT"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^citegraph_response_cache_reads_total\{result="hit"\} \d+$/m);
    if (process.env.CITEGRAPH_TEST_DB === 'postgres') {
      expect(metrics).toMatch(/^citegraph_db_pool_connections\{state="open"\} [1-9]\d*$/m);
    }
  });

  it('finishes the request in flight when sent SIGTERM, refuses new ones, and exits cleanly', async () => {
    let refused: Promise<boolean> = Promise.resolve(false);
    const answer = await slowRequest(() => {
      server.kill('SIGTERM');
      refused = new Promise((resolve) => {
        setTimeout(() => {
          const probe = connect(port, '127.0.0.1');
          probe.on('error', () => resolve(true));
          probe.on('connect', () => {
            probe.destroy();
            resolve(false);
          });
        }, 100);
      });
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('"name":"Yangqing Jia"');
    expect(await refused).toBe(true);
    expect(await exited).toBe(0);
    expect(started.log).toContain('SIGTERM: finishing the requests in flight');
  });
});
