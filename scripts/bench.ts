import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { dashboardQueries } from '../bench/dashboard.js';
import {
  type Answer,
  globalId,
  type ReadQuery,
  type Request,
  type Row,
  readQueries,
  type Subjects,
} from '../bench/reads.js';
import { contributionsPath, defaultOutput, generateDataset } from '../src/generate/files.js';
import { personYearlySql } from '../src/services/metrics.js';
import { metricsStatement } from '../src/services/windows.js';

/**
 * Read throughput, side by side in one run on one database: citegraph as users run it in
 * production (`npm start`: the build in dist/ on node, NODE_ENV=production) with its response
 * cache off, PostGraphile 5 (connection filters, relation filters), the floor — node:http and pg
 * with one hand-written statement per query (bench/peers/floor.ts) — and citegraph again with its
 * response cache on, as repeated dashboard queries meet it.
 *
 * The database holds a generated dataset (`npm run gen`) on top of the demo data, imported by
 * citegraph's own importer into a database of its own that later runs reuse. Each query is
 * first checked to return the same rows from all three servers; then autocannon drives each
 * server in turn (citegraph, PostGraphile, floor, cached citegraph, and again, --runs times) at each connection
 * count, loopback only, for --duration seconds. Per query it prints requests/s, p50 and p99,
 * server CPU per request (the server's process and its database backends, from /proc), SQL
 * statements per request, and the ratios; the medians go to bench/results/<date>.json.
 *
 *   npm run bench -- [--works 100000] [--runs 3] [--duration 5] [--connections 1,10] [--only <text>]
 *                    [--database <url>: an already loaded database instead] [--load-only]
 *                    [--servers floor,cached: which of these to measure beside citegraph and PostGraphile]
 *
 * PostgreSQL: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres) names
 * the server; the benchmark creates citegraph_bench_reads_<works> there and leaves it for the next run.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const exec = promisify(execFile);
const server = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Run as a script, or imported for its pieces (scripts/loadtest.ts): then it reads no arguments and runs nothing. */
const entry = process.argv[1] === fileURLToPath(import.meta.url);

const { values } = parseArgs({
  args: entry ? process.argv.slice(2) : [],
  options: {
    works: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '1,10' },
    only: { type: 'string' },
    seed: { type: 'string', default: '1' },
    database: { type: 'string' },
    'load-only': { type: 'boolean', default: false },
    /** `--servers floor` leaves the cached citegraph out, e.g. for a build without a response cache. */
    servers: { type: 'string', default: 'floor,cached' },
  },
});
const works = Number(values.works);
const runs = Number(values.runs);
const duration = Number(values.duration);
const connectionCounts = (values.connections ?? '1,10').split(',').map(Number);
const seed = Number(values.seed);
const measured = new Set((values.servers ?? '').split(','));
/** The API's lines, then the dashboard's pages. */
const benchQueries = [...readQueries, ...dashboardQueries];
const queries = benchQueries.filter((query) => !values.only || query.name.includes(values.only));

/**
 * citegraph runs twice: with its response cache off (every request executes), and as `npm start`
 * runs it, with the in-memory response cache on (repeated dashboard queries).
 */
export type ServerName = 'citegraph' | 'postgraphile' | 'floor' | 'cached';
const allServers: ServerName[] = ['citegraph', 'postgraphile', 'floor', 'cached'];
const serverNames = allServers.filter((name) => name === 'citegraph' || name === 'postgraphile' || measured.has(name));

interface Point {
  rps: number;
  p50: number;
  p99: number;
  /** CPU milliseconds per request: the server process, then its database backends. */
  cpuMs: number;
  dbCpuMs: number;
  statements: number;
}

export const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

export const withPath = (url: string, database: string, applicationName?: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  if (applicationName) parsed.searchParams.set('application_name', applicationName);
  return parsed.toString();
};

// ---------------------------------------------------------------- the database

async function latestMigration(): Promise<string> {
  return (
    (await readdir(join(root, 'prisma/migrations')))
      .filter((name) => /^\d/.test(name))
      .sort()
      .at(-1) ?? ''
  );
}

export async function run(args: string[], env: Record<string, string>) {
  await exec(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20,
  });
}

/**
 * The database of this size, loaded once: migrations, the demo data, the generated works and
 * the generated projects' activity, each through citegraph's own commands. Its comment names
 * what it holds, so a later run reuses it and a new migration or dataset reloads it.
 */
async function benchDatabase(): Promise<string> {
  const name = `citegraph_bench_reads_${works}`;
  const file = join(root, defaultOutput(works, seed));
  if (!(await stat(file).catch(() => null))) {
    console.log(`generating ${works.toLocaleString('en-US')} works (npm run gen -- --works ${works} --seed ${seed}) …`);
    await generateDataset({ works, seed, out: file });
  }
  const marker = `citegraph bench: demo + ${defaultOutput(works, seed)}, ${await latestMigration()}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [name],
    );
    if (rows[0]?.comment === marker) return withPath(server, name);
    console.log(`loading ${name}: migrations, demo data, ${defaultOutput(works, seed)} …`);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    const env = { DATABASE_URL: withPath(server, name), LOG_LEVEL: 'warn' };
    await run(['scripts/db.ts', 'migrate'], env);
    await run(['scripts/db.ts', 'seed'], env);
    const started = performance.now();
    await run(['bin/citegraph.mjs', 'import', 'openalex', file, '--json'], env);
    await run(['bin/citegraph.mjs', 'import', 'contributions', contributionsPath(file), '--json'], env);
    console.log(`  imported in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const db = new pg.Client({ connectionString: withPath(server, name) });
    await db.connect();
    await db.query('VACUUM ANALYZE').finally(() => db.end());
    await admin.query(`COMMENT ON DATABASE "${name}" IS '${marker.replaceAll("'", "''")}'`);
    return withPath(server, name);
  } finally {
    await admin.end();
  }
}

// ---------------------------------------------------------------- the servers

export interface Server {
  name: ServerName;
  process: ChildProcess;
  url: string;
  applicationName: string;
  post(request: Request | Subjects, index: number): { path: string; body: string };
  statements(): Promise<number>;
}

const isCitegraph = (name: ServerName) => name === 'citegraph' || name === 'cached';

/** `env` adds to or overrides the server's environment. */
export async function startServer(
  name: ServerName,
  database: string,
  port: number,
  env: Record<string, string> = {},
): Promise<Server> {
  const applicationName = `bench_${name}`;
  const environment = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    DATABASE_URL: withPath(database, new URL(database).pathname.slice(1), applicationName),
    RESPONSE_CACHE_TTL: name === 'cached' ? '300' : '0',
    // One client sending thousands of queries a second: the point of the run, not abuse. BENCH_RATE_LIMIT=on
    // (with RATE_LIMIT_* budgets large enough) measures what the rate limiter costs.
    RATE_LIMIT: process.env.BENCH_RATE_LIMIT ?? 'off',
    ...env,
  };
  const args = {
    citegraph: ['dist/server.js'],
    cached: ['dist/server.js'],
    postgraphile: ['--import', './bench/peers/with-resolvers.mjs', 'bench/peers/postgraphile.mjs'],
    floor: ['--import', 'tsx', 'bench/peers/floor.ts'],
  }[name];
  const child = spawn(process.execPath, args, { cwd: root, env: environment, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt += 1) {
    const up = await fetch(`${url}/${isCitegraph(name) ? 'metrics' : 'statements'}`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null || attempt > 300) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start:\n${stderr.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    name,
    process: child,
    url,
    applicationName,
    post: (request, index) =>
      name === 'floor'
        ? { path: `/${index}`, body: JSON.stringify(request) }
        : { path: '/graphql', body: JSON.stringify(request) },
    async statements() {
      if (!isCitegraph(name)) return Number(await (await fetch(`${url}/statements`)).text());
      const text = await (await fetch(`${url}/metrics`)).text();
      return Number(/^citegraph_sql_statements_total (\d+)/m.exec(text)?.[1]);
    },
  };
}

export async function answer(target: Server, index: number, request: Request | Subjects): Promise<Answer> {
  const { path, body } = target.post(request, index);
  const response = await fetch(`${target.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const json = (await response.json()) as { data?: unknown; errors?: unknown };
  if (!response.ok || json.errors)
    throw new Error(`${target.name}: ${response.status} ${JSON.stringify(json).slice(0, 1000)}`);
  return json.data;
}

// ---------------------------------------------------------------- CPU, from /proc

let ticksPerSecond = 100;

async function cpuTicks(pid: number): Promise<number> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!text) return 0;
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU ticks of every backend the server holds open, by pid. */
async function backendTicks(db: pg.Client, applicationName: string): Promise<Map<number, number>> {
  const { rows } = await db.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
  const ticks = new Map<number, number>();
  for (const { pid } of rows as { pid: number }[]) ticks.set(pid, await cpuTicks(pid));
  return ticks;
}

// ---------------------------------------------------------------- the run

/** Without PostGraphile, its cursors are left empty. */
export async function subjectsOf(database: string, citegraph: Server, postgraphile?: Server): Promise<Subjects> {
  const db = new pg.Client({ connectionString: database });
  await db.connect();
  try {
    const top = await db.query(
      'SELECT cited_id, count(*)::int AS n FROM citation GROUP BY cited_id ORDER BY n DESC, cited_id LIMIT 1',
    );
    const workId = top.rows[0].cited_id as number;
    const citing = top.rows[0].n as number;
    const offset = Math.max(
      1,
      Math.min(2000, citing >= 200 ? Math.floor(citing / 2 / 50) * 50 : Math.floor(citing / 2)),
    );
    const deep = await db.query(
      `SELECT w.id, w.citation_count FROM work w
       WHERE EXISTS (SELECT 1 FROM citation c WHERE c.citing_id = w.id AND c.cited_id = $1)
       ORDER BY w.citation_count DESC, w.id DESC OFFSET $2 LIMIT 1`,
      [workId, offset - 1],
    );
    const person = await db.query(
      `SELECT a.person_id FROM authorship a JOIN work w ON w.id = a.work_id
       GROUP BY a.person_id HAVING bool_and(w.has_yearly_counts) ORDER BY count(*) DESC, a.person_id LIMIT 1`,
    );
    const jia = await db.query(`SELECT id FROM person WHERE name = 'Yangqing Jia'`);
    const googlenet = await db.query(
      `SELECT id FROM work WHERE title = 'Going deeper with convolutions' ORDER BY id LIMIT 1`,
    );
    const google = await db.query(`SELECT id FROM organization WHERE slug = 'google'`);
    const organization = await db.query(
      'SELECT organization_id FROM authorship_institution GROUP BY organization_id ORDER BY count(DISTINCT work_id) DESC, organization_id LIMIT 1',
    );
    const frameworks = ['caffe', 'caffe2', 'onnx', 'torch7', 'theano', 'keras'];
    const frameworkIds = await db.query(
      'SELECT id FROM project WHERE slug = ANY($1::text[]) ORDER BY array_position($1::text[], slug)',
      [frameworks],
    );
    const partial: Subjects = {
      workId,
      deep: { offset, citationCount: deep.rows[0].citation_count, id: deep.rows[0].id },
      cursors: { citegraph: '', postgraphile: '' },
      deepWorks: { offset: 0, citationCount: 0, id: 0, cursors: { citegraph: '', postgraphile: '' } },
      personId: person.rows[0].person_id,
      involvedPersonId: jia.rows[0].id,
      frameworkIds: frameworkIds.rows.map((row) => row.id as number),
      years: { from: 2010, to: 2015 },
      pages: {
        workId: googlenet.rows[0].id,
        organizationId: google.rows[0].id,
        largestOrganizationId: organization.rows[0].organization_id,
      },
    };
    // Each API's own cursor for that row: page through it 100 at a time.
    let citegraphCursor: string | null = null;
    let postgraphileCursor: string | null = null;
    for (let seen = 0; seen < offset; seen += 100) {
      const take = Math.min(100, offset - seen);
      const a = await answer(citegraph, 0, {
        query: `query ($id: ID!, $after: String) { work(id: $id) { citedBy(first: ${take}, after: $after) { pageInfo { endCursor } } } }`,
        variables: { id: globalId('Work', workId), after: citegraphCursor },
      });
      citegraphCursor = a.work.citedBy.pageInfo.endCursor;
      if (!postgraphile) continue;
      const b = await answer(postgraphile, 0, {
        query: `query ($id: Int!, $after: Cursor) { allWorks(first: ${take}, after: $after, orderBy: [CITATION_COUNT_DESC, PRIMARY_KEY_DESC], filter: { citationsByCitingId: { some: { citedId: { equalTo: $id } } } }) { pageInfo { endCursor } } }`,
        variables: { id: workId, after: postgraphileCursor },
      });
      postgraphileCursor = b.allWorks.pageInfo.endCursor;
    }
    // The same for all works, 2,000 rows in (half way on a database as small as the demo data).
    const total = await db.query('SELECT count(*)::int AS n FROM work');
    const worksOffset = Math.min(2000, Math.max(1, Math.floor(total.rows[0].n / 2)));
    const deepWork = await db.query(
      'SELECT id, citation_count FROM work ORDER BY citation_count DESC, id DESC OFFSET $1 LIMIT 1',
      [worksOffset - 1],
    );
    let citegraphWorksCursor: string | null = null;
    let postgraphileWorksCursor: string | null = null;
    for (let seen = 0; seen < worksOffset; seen += 100) {
      const take = Math.min(100, worksOffset - seen);
      const a = await answer(citegraph, 0, {
        query: `query ($after: String) { works(first: ${take}, after: $after) { pageInfo { endCursor } } }`,
        variables: { after: citegraphWorksCursor },
      });
      citegraphWorksCursor = a.works.pageInfo.endCursor;
      if (!postgraphile) continue;
      const b = await answer(postgraphile, 0, {
        query: `query ($after: Cursor) { allWorks(first: ${take}, after: $after, orderBy: [CITATION_COUNT_DESC, PRIMARY_KEY_DESC]) { pageInfo { endCursor } } }`,
        variables: { after: postgraphileWorksCursor },
      });
      postgraphileWorksCursor = b.allWorks.pageInfo.endCursor;
    }
    return {
      ...partial,
      cursors: { citegraph: citegraphCursor ?? '', postgraphile: postgraphileCursor ?? '' },
      deepWorks: {
        offset: worksOffset,
        citationCount: deepWork.rows[0].citation_count,
        id: deepWork.rows[0].id,
        cursors: { citegraph: citegraphWorksCursor ?? '', postgraphile: postgraphileWorksCursor ?? '' },
      },
    };
  } finally {
    await db.end();
  }
}

/** Every server's rows for the query, checked equal to citegraph's. */
async function agree(query: ReadQuery, index: number, subjects: Subjects, servers: Record<ServerName, Server>) {
  const rows: Partial<Record<ServerName, Row[]>> = {
    citegraph: query.rows.citegraph(await answer(servers.citegraph, index, query.citegraph(subjects))),
  };
  if (query.postgraphile && query.rows.postgraphile)
    rows.postgraphile = query.rows.postgraphile(
      await answer(servers.postgraphile, index, query.postgraphile(subjects)),
    );
  if (query.floor && query.rows.floor) rows.floor = query.rows.floor(await answer(servers.floor, index, subjects));
  const expected = JSON.stringify(rows.citegraph);
  if (!rows.citegraph?.length) throw new Error(`${query.name}: citegraph answered no rows`);
  for (const [name, got] of Object.entries(rows)) {
    if (JSON.stringify(got) !== expected) {
      throw new Error(
        `${query.name}: ${name} answers other rows than citegraph.\n citegraph: ${expected.slice(0, 600)}\n ${name}: ${JSON.stringify(got).slice(0, 600)}`,
      );
    }
  }
  return rows.citegraph.length;
}

/** An autocannon run, with each response's time kept (its own histogram rounds to whole milliseconds). */
export function cannon(options: autocannon.Options): Promise<{ result: autocannon.Result; latencies: number[] }> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve({ result, latencies })));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

async function measure(
  target: Server,
  request: { path: string; body: string },
  connections: number,
  db: pg.Client,
): Promise<Point> {
  const options = {
    url: `${target.url}${request.path}`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: request.body,
    connections,
  };
  await cannon({ ...options, duration: 1 });
  const statementsBefore = await target.statements();
  const cpuBefore = await cpuTicks(target.process.pid ?? 0);
  const backendsBefore = await backendTicks(db, target.applicationName);
  const { result, latencies } = await cannon({ ...options, duration });
  const cpuAfter = await cpuTicks(target.process.pid ?? 0);
  const backendsAfter = await backendTicks(db, target.applicationName);
  const statementsAfter = await target.statements();
  if (result.errors || result.timeouts || result.non2xx) {
    throw new Error(
      `${target.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`,
    );
  }
  latencies.sort((a, b) => a - b);
  const quantile = (q: number) =>
    Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(2));
  const requests = result.requests.total;
  let backendDelta = 0;
  for (const [pid, ticks] of backendsAfter) backendDelta += ticks - (backendsBefore.get(pid) ?? 0);
  const ms = (ticks: number) => (ticks * 1000) / ticksPerSecond / requests;
  return {
    rps: requests / duration,
    p50: quantile(0.5),
    p99: quantile(0.99),
    cpuMs: ms(cpuAfter - cpuBefore),
    dbCpuMs: ms(backendDelta),
    statements: (statementsAfter - statementsBefore) / requests,
  };
}

interface QueryResult {
  name: string;
  connections: number;
  rows: number;
  postgraphileWouldNeed?: string;
  citegraph: Point;
  postgraphile: Point | null;
  floor: Point | null;
  /** citegraph with its response cache on: the same request answered from the cache after the first. */
  cached: Point | null;
}

const medianPoint = (points: Point[]): Point | null =>
  points.length === 0
    ? null
    : {
        rps: Math.round(median(points.map((point) => point.rps))),
        p50: median(points.map((point) => point.p50)),
        p99: median(points.map((point) => point.p99)),
        cpuMs: Number(median(points.map((point) => point.cpuMs)).toFixed(3)),
        dbCpuMs: Number(median(points.map((point) => point.dbCpuMs)).toFixed(3)),
        statements: Number(median(points.map((point) => point.statements)).toFixed(2)),
      };

const ratio = (a: Point | null, b: Point | null) => (a && b ? `${(a.rps / b.rps).toFixed(2)}×` : '–');
const cell = (point: Point | null) =>
  point
    ? `${Math.round(point.rps)} | ${point.p50} / ${point.p99} | ${point.cpuMs.toFixed(2)} + ${point.dbCpuMs.toFixed(2)} | ${point.statements}`
    : '– | – | – | –';

/** Throughput of the mix: each query asked equally often, so the time per round is the sum of the queries' times. */
function mixRps(results: QueryResult[], pick: (result: QueryResult) => Point | null): number | null {
  const points = results.map(pick);
  if (points.some((point) => !point)) return null;
  return results.length / points.reduce((sum, point) => sum + 1 / (point as Point).rps, 0);
}

async function main() {
  ticksPerSecond = Number((await exec('getconf', ['CLK_TCK'])).stdout.trim()) || 100;
  // citegraph as `npm start` runs it: the JavaScript build on plain node.
  await exec(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: root });
  const database = values.database ?? (await benchDatabase());
  if (values['load-only']) {
    console.log(`loaded: ${database}`);
    return;
  }
  const commit = (await exec('git', ['rev-parse', '--short', 'HEAD'], { cwd: root })).stdout.trim();
  const started: Server[] = [];
  const db = new pg.Client({ connectionString: database });
  await db.connect();
  try {
    for (const [index, name] of serverNames.entries()) started.push(await startServer(name, database, 5701 + index));
    const servers = Object.fromEntries(started.map((s) => [s.name, s])) as Record<ServerName, Server>;
    const subjects = await subjectsOf(database, servers.citegraph, servers.postgraphile);
    console.log(
      `read benchmark at ${commit}: ${works.toLocaleString('en-US')} generated works + demo data, ${runs} runs × ${duration} s per point, Node ${process.version}\n`,
    );
    const results: QueryResult[] = [];
    const failures: { name: string; reason: string }[] = [];
    for (const query of queries) {
      const index = benchQueries.indexOf(query);
      let rows: number;
      try {
        rows = await agree(query, index, subjects, servers);
      } catch (error) {
        // A query past the server's deadline is a finding, not the end of the run.
        const reason = (error as Error).message;
        if (!reason.includes('QUERY_TIMEOUT')) throw error;
        failures.push({ name: query.name, reason: reason.slice(0, 300) });
        console.log(`  ${query.name}: not measured, ${reason.slice(0, 200)}`);
        continue;
      }
      for (const connections of connectionCounts) {
        const points: Record<ServerName, Point[]> = { citegraph: [], postgraphile: [], floor: [], cached: [] };
        for (let round = 0; round < runs; round += 1) {
          for (const name of serverNames) {
            const request = isCitegraph(name)
              ? query.citegraph(subjects)
              : name === 'postgraphile'
                ? query.postgraphile?.(subjects)
                : query.floor && subjects;
            if (!request) continue;
            points[name].push(await measure(servers[name], servers[name].post(request, index), connections, db));
          }
        }
        const result: QueryResult = {
          name: query.name,
          connections,
          rows,
          ...(query.postgraphileWouldNeed ? { postgraphileWouldNeed: query.postgraphileWouldNeed } : {}),
          citegraph: medianPoint(points.citegraph) as Point,
          postgraphile: medianPoint(points.postgraphile),
          floor: medianPoint(points.floor),
          cached: medianPoint(points.cached),
        };
        results.push(result);
        console.log(
          `  ${query.name}, ${connections} conn: citegraph ${result.citegraph.rps} req/s, PostGraphile ${result.postgraphile?.rps ?? '–'}, floor ${result.floor?.rps ?? '–'}, citegraph cached ${result.cached?.rps ?? '–'}`,
        );
      }
    }
    print(results);
    for (const failure of failures) console.log(`not measured: ${failure.name}: ${failure.reason}`);
    const databaseTime = await timeInDatabase(db, subjects.personId);
    console.log(
      `\ndatabase time for person ${subjects.personId} (median of 20, EXPLAIN ANALYZE): h-index ${databaseTime.hIndex} ms, citations by year ${databaseTime.citationsByYear} ms`,
    );
    const out = await save(results, { commit, subjects, databaseTime, failures });
    console.log(`\nwritten: ${out}`);
  } finally {
    await db.end();
    for (const s of started) s.process.kill('SIGTERM');
  }
}

function print(results: QueryResult[]) {
  console.log(
    '\n| query | conns | citegraph req/s | p50 / p99 ms | CPU ms/req (server + db) | SQL/req | PostGraphile req/s | p50 / p99 ms | CPU ms/req | SQL/req | floor req/s | p50 / p99 ms | CPU ms/req | SQL/req | cg / PGL | cg / floor | cached req/s | cached / PGL |',
  );
  console.log(`|${'---|'.repeat(18)}`);
  for (const result of results) {
    console.log(
      `| ${result.name} | ${result.connections} | ${cell(result.citegraph)} | ${cell(result.postgraphile)} | ${cell(result.floor)} | ${ratio(result.citegraph, result.postgraphile)} | ${ratio(result.citegraph, result.floor)} | ${result.cached ? Math.round(result.cached.rps) : '–'} | ${ratio(result.cached, result.postgraphile)} |`,
    );
  }
  for (const connections of connectionCounts) {
    const shared = results.filter((result) => result.connections === connections && result.postgraphile);
    const cg = mixRps(shared, (result) => result.citegraph);
    const pgl = mixRps(shared, (result) => result.postgraphile);
    const cached = mixRps(shared, (result) => result.cached);
    if (cg && pgl) {
      console.log(
        `\nmix of the ${shared.length} queries both answer, ${connections} conn: citegraph ${Math.round(cg)} req/s, PostGraphile ${Math.round(pgl)} req/s: ${(cg / pgl).toFixed(2)}×${cached ? `; citegraph cached ${Math.round(cached)} req/s: ${(cached / pgl).toFixed(2)}×` : ''}`,
      );
    }
  }
}

interface DatabaseTime {
  /** The statement behind Person.metrics { hIndex }. */
  hIndex: number;
  /** The statement behind Person.citationsByYear (the rollup's rows, and the works without per-year counts). */
  citationsByYear: number;
}

/** Milliseconds PostgreSQL spends executing the person's analytics statements: EXPLAIN ANALYZE's execution time, median of 20 warm runs. */
async function timeInDatabase(db: pg.Client, personId: number): Promise<DatabaseTime> {
  const time = async (sql: string, values: unknown[]) => {
    const times: number[] = [];
    for (let run = 0; run < 21; run += 1) {
      const { rows } = await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, values);
      if (run > 0) times.push(rows[0]['QUERY PLAN'][0]['Execution Time'] as number);
    }
    return median(times);
  };
  const ids = [[personId]];
  const metrics = metricsStatement({ kind: 'person', ids: [personId] }, { since: null, asOf: null });
  return {
    hIndex: Number((await time(metrics.sql, metrics.values)).toFixed(3)),
    citationsByYear: Number((await time(personYearlySql, ids)).toFixed(3)),
  };
}

async function save(
  results: QueryResult[],
  context: {
    commit: string;
    subjects: Subjects;
    databaseTime: DatabaseTime;
    failures: { name: string; reason: string }[];
  },
): Promise<string> {
  const date = new Date().toISOString().slice(0, 10);
  await mkdir(join(root, 'bench/results'), { recursive: true });
  const out = join(root, `bench/results/${date}.json`);
  type Saved = { works: number };
  // A day's file keeps the sizes measured by earlier runs that day (1M works takes its own run).
  const earlier = await readFile(out, 'utf8')
    .then((text) => JSON.parse(text) as { queries: Saved[]; mix: Saved[]; runs: Saved[] })
    .catch(() => ({ queries: [], mix: [], runs: [] }));
  const others = <T extends Saved>(rows: T[]) => rows.filter((row) => row.works !== works);
  const mix = connectionCounts.map((connections) => {
    const shared = results.filter((result) => result.connections === connections && result.postgraphile);
    return {
      works,
      connections,
      queries: shared.length,
      citegraph: mixRps(shared, (result) => result.citegraph),
      postgraphile: mixRps(shared, (result) => result.postgraphile),
      cached: mixRps(shared, (result) => result.cached),
    };
  });
  const saved = {
    date,
    runs: [
      ...others(earlier.runs),
      {
        works,
        commit: context.commit,
        node: process.version,
        runs,
        durationSeconds: duration,
        subjects: context.subjects,
        databaseTime: context.databaseTime,
        notMeasured: context.failures,
      },
    ],
    mix: [...others(earlier.mix), ...mix],
    queries: [...others(earlier.queries), ...results.map((result) => ({ works, ...result }))],
  };
  await writeFile(out, `${JSON.stringify(saved, null, 2)}\n`);
  return out;
}

if (entry) await main();
