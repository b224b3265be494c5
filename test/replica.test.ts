import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../src/db.js';
import { applyMigrations } from '../src/migrations.js';
import { cli, fixture, freePort } from './ingest-kit.js';

/**
 * Past one machine on PostgreSQL's own replication: a primary and a streaming standby made
 * from it with pg_basebackup, two citegraph servers (as `npm start` runs them) reading from
 * the standby and sharing one Redis cache, and an import written to the primary. Runs with
 * the PostgreSQL suite; it needs the PostgreSQL 15 cluster tools (pg_createcluster), as the
 * CI machine has them.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const version = '15';
const primary = { name: `citegraph_primary_${process.pid}`, port: 0 };
const standby = { name: `citegraph_standby_${process.pid}`, port: 0 };
const urlOf = (cluster: { port: number }) => `postgresql://postgres@127.0.0.1:${cluster.port}/citegraph`;

let db: Db;
let allButLast = '';
const servers: { process: ChildProcess; url: string; log: string }[] = [];

async function createCluster(cluster: { name: string; port: number }) {
  cluster.port = await freePort();
  await run('pg_createcluster', [version, cluster.name, '--port', String(cluster.port), '--', '-A', 'trust']);
}

const dropCluster = (name: string) => run('pg_dropcluster', ['--stop', version, name]).catch(() => undefined);

async function sql(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

async function startServer(): Promise<void> {
  const port = await freePort();
  const entry = { process: null as unknown as ChildProcess, url: `http://127.0.0.1:${port}`, log: '' };
  entry.process = spawn(process.execPath, ['dist/server.js'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      PORT: String(port),
      DATABASE_URL: urlOf(primary),
      DATABASE_REPLICA_URLS: urlOf(standby),
      REDIS_URL: 'redis://127.0.0.1:6379',
      RESPONSE_CACHE_TTL: '300',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  entry.process.stdout?.on('data', (chunk) => {
    entry.log += String(chunk);
  });
  entry.process.stderr?.on('data', (chunk) => {
    entry.log += String(chunk);
  });
  servers.push(entry);
  for (let attempt = 0; !entry.log.includes('serving GraphQL'); attempt += 1) {
    if (entry.process.exitCode !== null || attempt > 600) throw new Error(`The server did not start:\n${entry.log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The number of works, as a server answers it, and the statements that answer cost it. */
async function worksCount(server: { url: string }): Promise<{ count: number; statements: number }> {
  const statements = async () =>
    Number(/^citegraph_sql_statements_total (\d+)/m.exec(await (await fetch(`${server.url}/metrics`)).text())?.[1]);
  const before = await statements();
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ works(first: 1) { totalCount } }' }),
  });
  const body = (await response.json()) as { data: { works: { totalCount: number } } };
  return { count: body.data.works.totalCount, statements: (await statements()) - before };
}

beforeAll(async () => {
  await createCluster(primary);
  await run('pg_ctlcluster', [version, primary.name, 'start']);
  await sql(urlOf(primary).replace('/citegraph', '/postgres'), 'CREATE DATABASE citegraph');
  db = await openDatabase({ kind: 'postgres', url: urlOf(primary) });
  await applyMigrations(db.migrationAdapter());
  // Every work of the fixture but the last, so that importing the whole file later adds one.
  const lines = (await readFile(fixture('openalex/works.jsonl'), 'utf8')).trimEnd().split('\n');
  allButLast = join(tmpdir(), `citegraph-replica-${process.pid}.jsonl`);
  await writeFile(allButLast, `${lines.slice(0, -1).join('\n')}\n`);
  expect((await cli(db, ['import', 'openalex', allButLast])).code).toBe(0);

  // The standby: a base backup of the primary that streams its changes from then on.
  await createCluster(standby);
  const dataDir = `/var/lib/postgresql/${version}/${standby.name}`;
  await rm(dataDir, { recursive: true, force: true });
  await run('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    dataDir,
    '-R',
    '-X',
    'stream',
    '-c',
    'fast',
  ]);
  await run('chown', ['-R', 'postgres:postgres', dataDir]);
  await run('pg_ctlcluster', [version, standby.name, 'start']);

  await startServer();
  await startServer();
}, 180_000);

afterAll(async () => {
  for (const server of servers) if (server.process.exitCode === null) server.process.kill('SIGKILL');
  await db?.close();
  await dropCluster(standby.name);
  await dropCluster(primary.name);
  if (allButLast) await rm(allButLast, { force: true });
});

describe('read replicas', () => {
  it('serves reads from the standby, which refuses writes', async () => {
    const [recovery] = await sql(urlOf(standby), 'SELECT pg_is_in_recovery() AS standby');
    expect(recovery.standby).toBe(true);
    await expect(sql(urlOf(standby), `SELECT data_changed()`)).rejects.toThrow(/read-only transaction/);
    const [{ n }] = await sql(urlOf(primary), 'SELECT count(*)::int AS n FROM work');
    const server = servers[0] as { url: string };
    expect((await worksCount(server)).count).toBe(n);
  });

  it('shares cached answers between servers through Redis', async () => {
    const [first, second] = servers as { url: string }[];
    const fromFirst = await worksCount(first as { url: string });
    const fromSecond = await worksCount(second as { url: string });
    expect(fromSecond.count).toBe(fromFirst.count);
    expect(fromSecond.statements).toBe(0);
  });

  it('sees an import into the primary once the standby has replayed it, never caching what a lagging standby said', async () => {
    const server = servers[0] as { url: string };
    const before = (await worksCount(server)).count;
    // Hold the standby back: the import commits on the primary, its notification arrives, the
    // standby still has the old rows.
    await sql(urlOf(standby), 'SELECT pg_wal_replay_pause()');
    expect((await cli(db, ['import', 'openalex', fixture('openalex/works.jsonl')])).code).toBe(0);
    const [{ n }] = await sql(urlOf(primary), 'SELECT count(*)::int AS n FROM work');
    expect(n).toBeGreaterThan(before);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Reads go to the standby: still the old figure, and read afresh rather than from the cache.
    const lagging = await worksCount(server);
    expect(lagging.count).toBe(before);
    expect(lagging.statements).toBeGreaterThan(0);
    await sql(urlOf(standby), 'SELECT pg_wal_replay_resume()');
    let count = before;
    for (let attempt = 0; attempt < 50 && count !== n; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      count = (await worksCount(server)).count;
    }
    expect(count).toBe(n);
    // Cached again under the new version, for both servers.
    for (const each of servers) {
      await worksCount(each);
      expect(await worksCount(each)).toEqual({ count: n, statements: 0 });
    }
  });
});
