import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import type autocannon from 'autocannon';
import pg from 'pg';
import { globalId, readQueries, type Subjects } from '../bench/reads.js';
import { defaultOutput, generateDataset } from '../src/generate/files.js';
import type { ImportSummary } from '../src/ingest/run.js';
import { answer, cannon, median, run, type Server, startServer, subjectsOf, withPath } from './bench.js';

/**
 * A bounded load test on loopback, for the figures of a closing note. Four parts, each on its own
 * with `--only <part>` (several separated by commas):
 *
 * - soak: the dashboard mix of the read benchmark (bench/reads.ts) against citegraph as production
 *   runs it (the build in dist/ on node, NODE_ENV=production) with its response cache off, so every
 *   request reads the database: --duration seconds at each of --connections. Per run: requests,
 *   errors (non-2xx, connection errors, or `errors` in the body), p50/p95/p99 and the server's RSS
 *   (VmRSS of its own process) at the start and end of the run, after a short warm-up.
 * - restart: PostgreSQL stopped (`pg_ctlcluster stop -m fast`) under a steady cheap read, kept down,
 *   started again, on a cluster of the test's own: what the clients were answered during the
 *   outage and how fast, how long after the database is back the first read succeeds, and whether
 *   the server is still up.
 * - burst: 200 expensive requests at once, more than MAX_IN_FLIGHT admits: how many are answered,
 *   how fast the rest are refused with 503, and an ordinary request right after.
 * - import: `citegraph import openalex` of a generated dataset (`npm run gen`), uninterrupted into
 *   one database and killed (SIGKILL) half way then run again into another: every table's rows
 *   compared between the two, serial ids and timestamps aside.
 *
 *   npm run loadtest -- [--only soak,restart,burst,import] [--duration 60] [--connections 10,50]
 *                       [--database <url>: an already loaded database for soak and burst]
 *                       [--works 20000] [--batch-size 1000]: the import part's dataset and batches
 *
 * PostgreSQL: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres) names the
 * server for soak, burst and import; the test creates citegraph_loadtest* databases there and drops
 * them at the end. The restart part makes a cluster of its own (pg_createcluster, trust auth, a free
 * port) and drops it at the end. Results go to bench/results/loadtest-<date>.json, beside the parts
 * measured earlier that day.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const exec = promisify(execFile);
const postgres = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const parts = ['soak', 'restart', 'burst', 'import'] as const;
type Part = (typeof parts)[number];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '10,50' },
    database: { type: 'string' },
    works: { type: 'string', default: '20000' },
    'batch-size': { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
  },
});
const selected = (values.only ?? parts.join(',')).split(',').map((part) => part.trim());
for (const part of selected) {
  if (!parts.includes(part as Part)) throw new Error(`--only ${part}: the parts are ${parts.join(', ')}`);
}
const duration = Number(values.duration);
const connectionCounts = (values.connections ?? '10,50').split(',').map(Number);
const importWorks = Number(values.works);
const batchSize = values['batch-size'] ?? '1000';
const seed = Number(values.seed);
/** The server's code and caches settle first, so the RSS at a run's start is a working server's. */
const warmup = Math.min(5, Math.ceil(duration / 10));

// ---------------------------------------------------------------- small things

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const since = (start: number) => performance.now() - start;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

function percentile(numbers: number[], q: number): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
}

/** A port nothing listens on now, from the kernel. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The resident set size of a process in MiB, from /proc; null once it has exited. */
async function rssMiB(pid: number | undefined): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kib = status ? /VmRSS:\s+(\d+)/.exec(status)?.[1] : undefined;
  return kib ? round(Number(kib) / 1024) : null;
}

/** What to undo, newest first: at the end of each part, and on Ctrl-C. */
const undo: { what: string; step: () => Promise<unknown> }[] = [];

function defer(what: string, step: () => Promise<unknown>) {
  undo.push({ what, step });
}

async function unwind(depth = 0) {
  while (undo.length > depth) {
    const last = undo.pop();
    await last?.step().catch((error) => console.error(`cleaning up (${last.what}) failed: ${error}`));
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up …`);
    void unwind().finally(() => process.exit(130));
  });
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM (the server drains for up to 10 s), then SIGKILL. */
async function stopProcess(child: ChildProcess) {
  child.kill('SIGTERM');
  if (!(await exited(child, 12_000))) child.kill('SIGKILL');
  await exited(child, 2_000);
}

interface Citegraph extends Server {
  /** Warnings and errors the server logged (one JSON object a line on stderr), by message. */
  logged: Record<string, number>;
  /** Whatever else it wrote to stderr, e.g. a crash's stack: the first lines. */
  output: string[];
  /** When the process ended (performance.now()), if it did. */
  exitedAt: number | null;
}

/** Distinct messages kept; the rest are counted together. */
const LOGGED_MESSAGES = 20;
const OUTPUT_LINES = 40;

/** citegraph as production runs it, response cache off, no rate limit; stopped when the part ends. */
async function citegraph(database: string): Promise<Citegraph> {
  const server = await startServer('citegraph', database, await freePort(), { HOST: '127.0.0.1', RATE_LIMIT: 'off' });
  defer('citegraph server', () => stopProcess(server.process));
  const watched: Citegraph = { ...server, logged: {}, output: [], exitedAt: null };
  server.process.once('exit', () => {
    watched.exitedAt = performance.now();
  });
  let partial = '';
  server.process.stderr?.on('data', (chunk) => {
    const lines = (partial + String(chunk)).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      let entry: { level?: string; msg?: string } | null = null;
      try {
        entry = JSON.parse(line);
      } catch {
        if (watched.output.length < OUTPUT_LINES) watched.output.push(line);
        continue;
      }
      if (entry?.level !== 'warn' && entry?.level !== 'error') continue;
      let key = `${entry.level}: ${String(entry.msg).replace(/\s+/g, ' ').trim().slice(0, 160)}`;
      if (!(key in watched.logged) && Object.keys(watched.logged).length >= LOGGED_MESSAGES) key = 'other messages';
      watched.logged[key] = (watched.logged[key] ?? 0) + 1;
    }
  });
  return watched;
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** An empty database of this name on the server of `url`, dropped when the part ends. */
async function freshDatabase(url: string, name: string): Promise<string> {
  await admin(url, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  });
  defer(`database ${name}`, () =>
    admin(url, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  );
  return withPath(url, name);
}

/** Migrations and the demo data, through citegraph's own command. */
async function seedDemo(database: string) {
  await run(['scripts/db.ts', 'seed'], { DATABASE_URL: database, LOG_LEVEL: 'warn' });
}

// ---------------------------------------------------------------- answers

/** How an answer went: `200`, `503 SERVICE_UNAVAILABLE`, `200 with errors: QUERY_TIMEOUT`, `no answer: ECONNREFUSED` … */
function outcomeOf(status: number, body: string): { ok: boolean; outcome: string } {
  let codes: string[] = [];
  // Parsing every body would load the load generator, which shares the two cores with the server.
  if (body.includes('"errors"')) {
    try {
      const json = JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] };
      codes = (json.errors ?? []).map((error) => error.extensions?.code ?? 'no code');
    } catch {
      codes = ['unreadable body'];
    }
  }
  const ok = status >= 200 && status < 300 && codes.length === 0 && body.includes('"data"');
  const detail = [...new Set(codes)].join(', ');
  if (ok) return { ok, outcome: String(status) };
  if (status >= 200 && status < 300) return { ok, outcome: `${status} with errors: ${detail || 'no data'}` };
  return { ok, outcome: `${status}${detail ? ` ${detail}` : ''}` };
}

interface Asked {
  start: number;
  end: number;
  ms: number;
  ok: boolean;
  outcome: string;
  /** The node budget's charge for the query and the budget, from `extensions.cost`. */
  cost?: { nodes: number; limit: number };
}

async function ask(url: string, request: { query: string; variables?: Record<string, unknown> }): Promise<Asked> {
  const start = performance.now();
  try {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(20_000),
    });
    const body = await response.text();
    const end = performance.now();
    const cost = /"cost":\{"nodes":(\d+),"limit":(\d+)/.exec(body);
    return {
      start,
      end,
      ms: end - start,
      ...outcomeOf(response.status, body),
      ...(cost ? { cost: { nodes: Number(cost[1]), limit: Number(cost[2]) } } : {}),
    };
  } catch (error) {
    const end = performance.now();
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return { start, end, ms: end - start, ok: false, outcome: `no answer: ${cause}` };
  }
}

const tally = (outcomes: string[]) => {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
};
const describeTally = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([outcome, count]) => `${count} × ${outcome}`)
    .join('; ') || '–';

interface ServerLog {
  logged: Record<string, number>;
  output: string[];
}

const serverLog = (server: Citegraph): ServerLog => ({ logged: server.logged, output: server.output });

function printLogged({ logged, output }: ServerLog) {
  const entries = Object.entries(logged).sort((a, b) => b[1] - a[1]);
  if (entries.length > 0) console.log('  the server logged:');
  for (const [message, count] of entries) console.log(`    ${count} × ${message}`);
  if (output.length > 0)
    console.log(`  the server wrote to stderr:\n${output.map((line) => `    ${line}`).join('\n')}`);
}

// ---------------------------------------------------------------- soak

interface SoakRun {
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  errors: number;
  errorRate: number;
  /** Answers other than a 2xx with data, by outcome; connection errors and timeouts as `no answer`. */
  failures: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
  rssStartMiB: number | null;
  rssEndMiB: number | null;
  rssPeakMiB: number | null;
  rssGrowthPercent: number | null;
}

interface SoakResult {
  database: string;
  subjects: Subjects;
  warmupSeconds: number;
  rssIdleMiB: number | null;
  runs: SoakRun[];
  serverLog: ServerLog;
}

async function soak(database: string): Promise<SoakResult> {
  const target = await citegraph(database);
  const pid = target.process.pid;
  const subjects = await subjectsOf(database, target);
  // Each query of the mix answers with data before any load: a broken query is no load test.
  for (const [index, query] of readQueries.entries()) await answer(target, index, query.citegraph(subjects));
  const rssIdleMiB = await rssMiB(pid);
  const runs: SoakRun[] = [];
  for (const connections of connectionCounts) {
    const failures: string[] = [];
    let counting = false;
    const requests: autocannon.Request[] = readQueries.map((query) => ({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(query.citegraph(subjects)),
      onResponse: (status: number, body: string) => {
        if (!counting) return;
        const { ok, outcome } = outcomeOf(status, body);
        if (!ok) failures.push(`${outcome} (${query.name})`);
      },
    }));
    const options = { url: target.url, requests, connections };
    console.log(`soak: ${connections} connections, ${warmup} s warm-up then ${duration} s …`);
    await cannon({ ...options, duration: warmup });
    counting = true;
    const rssStartMiB = await rssMiB(pid);
    let rssPeakMiB = rssStartMiB;
    const sampler = setInterval(async () => {
      const rss = await rssMiB(pid);
      if (rss !== null && (rssPeakMiB === null || rss > rssPeakMiB)) rssPeakMiB = rss;
    }, 1000);
    const { result, latencies } = await cannon({ ...options, duration });
    clearInterval(sampler);
    counting = false;
    const rssEndMiB = await rssMiB(pid);
    for (let i = 0; i < result.errors; i += 1) failures.push(i < result.timeouts ? 'no answer: timeout' : 'no answer');
    const requestsDone = result.requests.total;
    runs.push({
      connections,
      seconds: duration,
      requests: requestsDone,
      rps: Math.round(requestsDone / duration),
      errors: failures.length,
      errorRate: requestsDone ? round((failures.length / requestsDone) * 100, 3) : 0,
      failures: tally(failures),
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      p99: percentile(latencies, 0.99),
      rssStartMiB,
      rssEndMiB,
      rssPeakMiB,
      rssGrowthPercent:
        rssStartMiB && rssEndMiB !== null ? round(((rssEndMiB - rssStartMiB) / rssStartMiB) * 100) : null,
    });
  }
  return {
    database: new URL(database).pathname.slice(1),
    subjects,
    warmupSeconds: warmup,
    rssIdleMiB,
    runs,
    serverLog: serverLog(target),
  };
}

function printSoak(result: SoakResult) {
  console.log(
    `\nsoak: the dashboard mix (${readQueries.length} queries) on ${result.database}, response cache off; server RSS idle ${result.rssIdleMiB} MiB; each run after a ${result.warmupSeconds} s warm-up`,
  );
  console.log(
    '| conns | s | requests | req/s | errors | error % | p50 ms | p95 ms | p99 ms | RSS start → end MiB (peak) | RSS growth |',
  );
  console.log(`|${'---|'.repeat(11)}`);
  for (const run of result.runs) {
    console.log(
      `| ${run.connections} | ${run.seconds} | ${run.requests} | ${run.rps} | ${run.errors} | ${run.errorRate} | ${run.p50} | ${run.p95} | ${run.p99} | ${run.rssStartMiB} → ${run.rssEndMiB} (${run.rssPeakMiB}) | ${run.rssGrowthPercent} % |`,
    );
  }
  for (const run of result.runs) {
    if (run.errors) console.log(`  errors at ${run.connections} conns: ${describeTally(run.failures)}`);
  }
  const last = result.runs.at(-1);
  if (last) {
    const verdict = (pass: boolean) => (pass ? 'met' : 'MISSED');
    console.log(
      `  targets at ${last.connections} conns: 0 errors ${verdict(last.errors === 0)}, p95 < 300 ms ${verdict(last.p95 < 300)}, RSS growth < 10 % ${verdict((last.rssGrowthPercent ?? 100) < 10)}`,
    );
  }
  printLogged(result.serverLog);
  if (Object.keys(result.serverLog.logged).some((message) => message.includes('The client went away'))) {
    console.log('  (autocannon closes its connections at the end of each run, with requests still in flight)');
  }
}

// ---------------------------------------------------------------- restart

const RESTART_CONNECTIONS = 10;
/** Each connection asks at most this often, so the outage's fast failures do not turn into a spin. */
const RESTART_PACE_MS = 20;
const cheapRead = { query: '{ works(first: 5) { nodes { title citationCount } } }' };

interface Window {
  name: string;
  seconds: number;
  answers: number;
  outcomes: Record<string, number>;
  p50: number;
  p95: number;
  max: number;
}

interface RestartResult {
  cluster: string;
  connections: number;
  windows: Window[];
  /** From `pg_ctlcluster start` issued, and from its return (the database accepts connections), to the first successful answer. */
  firstSuccessAfterStartMs: number | null;
  firstSuccessAfterBackMs: number | null;
  /** Failed answers that started after the database was back. */
  failuresAfterBack: Record<string, number>;
  /** Outcomes other than 200 and 503 SERVICE_UNAVAILABLE, over the whole run. */
  unexpected: Record<string, number>;
  serverAlive: boolean;
  /** Seconds after the stop was issued that the server process ended, if it did. */
  serverExitedAfterStopSeconds: number | null;
  readyzAtEnd: number | null;
  serverLog: ServerLog;
}

async function restart(): Promise<RestartResult> {
  const { stdout } = await exec('pg_lsclusters', ['--no-header']);
  const version = stdout.trim().split(/\s+/)[0] ?? '15';
  const name = 'citegraph_loadtest';
  const clusters = stdout.split('\n').map((line) => line.trim().split(/\s+/));
  if (clusters.some(([v, n]) => v === version && n === name)) {
    console.log(`restart: dropping the cluster ${version}/${name} left by an earlier run`);
    await exec('pg_dropcluster', ['--stop', version, name]);
  }
  const port = await freePort();
  console.log(`restart: a cluster of its own, ${version}/${name} on port ${port}, with the demo data …`);
  await exec('pg_createcluster', [
    version,
    name,
    '--port',
    String(port),
    '--start-conf',
    'manual',
    '--',
    '-A',
    'trust',
  ]);
  defer(`cluster ${version}/${name}`, () => exec('pg_dropcluster', ['--stop', version, name]));
  const pgctl = (...args: string[]) => exec('pg_ctlcluster', [version, name, ...args]);
  await pgctl('start');
  const database = await freshDatabase(`postgresql://postgres@127.0.0.1:${port}/postgres`, 'citegraph');
  await seedDemo(database);
  const target = await citegraph(database);

  const answers: Asked[] = [];
  let loading = true;
  const loops = Array.from({ length: RESTART_CONNECTIONS }, async () => {
    while (loading) {
      const asked = await ask(target.url, cheapRead);
      answers.push(asked);
      if (asked.ms < RESTART_PACE_MS) await sleep(RESTART_PACE_MS - asked.ms);
    }
  });
  const begin = performance.now();
  console.log(`restart: ${RESTART_CONNECTIONS} connections of a cheap read; the database stops after 5 s …`);
  await sleep(5_000);
  const stopIssued = performance.now();
  await pgctl('stop', '-m', 'fast');
  const stopped = performance.now();
  await sleep(5_000);
  const startIssued = performance.now();
  await pgctl('start');
  const back = performance.now();
  console.log(
    `restart: stopped in ${Math.round(stopped - stopIssued)} ms, down ${((startIssued - stopped) / 1000).toFixed(1)} s, started in ${Math.round(back - startIssued)} ms; load goes on 10 s …`,
  );
  await sleep(10_000);
  loading = false;
  await Promise.all(loops);
  const end = performance.now();
  const serverAlive = target.process.exitCode === null && target.process.signalCode === null;
  const readyzAtEnd = await fetch(`${target.url}/readyz`).then(
    (response) => response.status,
    () => null,
  );

  // An answer belongs to the window it was asked in; one asked while the database was down but
  // answered after it was started again counts as starting, so `down` holds the outage's answers.
  const windowOf = (asked: Asked) =>
    asked.start < stopIssued
      ? 'before'
      : asked.start < stopped
        ? 'stopping'
        : asked.start < startIssued
          ? asked.end <= startIssued
            ? 'down'
            : 'starting'
          : asked.start < back
            ? 'starting'
            : 'after';
  const spans: [string, number, number][] = [
    ['before', begin, stopIssued],
    ['stopping', stopIssued, stopped],
    ['down', stopped, startIssued],
    ['starting', startIssued, back],
    ['after', back, end],
  ];
  const windows = spans.map(([window, from, to]) => {
    const within = answers.filter((asked) => windowOf(asked) === window);
    const ms = within.map((asked) => asked.ms);
    return {
      name: window,
      seconds: round((to - from) / 1000),
      answers: within.length,
      outcomes: tally(within.map((asked) => asked.outcome)),
      p50: percentile(ms, 0.5),
      p95: percentile(ms, 0.95),
      max: percentile(ms, 1),
    };
  });
  const firstSuccess = (after: number) =>
    answers
      .filter((asked) => asked.ok && asked.end >= after)
      .reduce<number | null>((first, asked) => (first === null || asked.end < first ? asked.end : first), null);
  const firstAfterStart = firstSuccess(startIssued);
  const firstAfterBack = firstSuccess(back);
  return {
    cluster: `${version}/${name} port ${port}`,
    connections: RESTART_CONNECTIONS,
    windows,
    firstSuccessAfterStartMs: firstAfterStart === null ? null : Math.round(firstAfterStart - startIssued),
    firstSuccessAfterBackMs: firstAfterBack === null ? null : Math.round(firstAfterBack - back),
    failuresAfterBack: tally(answers.filter((asked) => !asked.ok && asked.start >= back).map((asked) => asked.outcome)),
    unexpected: tally(
      answers
        .map((asked) => asked.outcome)
        .filter((outcome) => outcome !== '200' && outcome !== '503 SERVICE_UNAVAILABLE'),
    ),
    serverAlive,
    serverExitedAfterStopSeconds: target.exitedAt === null ? null : round((target.exitedAt - stopIssued) / 1000, 2),
    readyzAtEnd,
    serverLog: serverLog(target),
  };
}

function printRestart(result: RestartResult) {
  console.log(
    `\nrestart: PostgreSQL ${result.cluster} stopped (-m fast) and started under ${result.connections} connections of a cheap read`,
  );
  console.log('| window | s | answers | outcomes | p50 ms | p95 ms | max ms |');
  console.log(`|${'---|'.repeat(7)}`);
  for (const window of result.windows) {
    console.log(
      `| ${window.name} | ${window.seconds} | ${window.answers} | ${describeTally(window.outcomes)} | ${window.p50} | ${window.p95} | ${window.max} |`,
    );
  }
  const ms = (value: number | null) => (value === null ? 'never' : `${value} ms`);
  console.log(
    `  first successful answer: ${ms(result.firstSuccessAfterStartMs)} after the start was issued, ${ms(result.firstSuccessAfterBackMs)} after pg_ctlcluster start returned`,
  );
  console.log(`  failed answers asked after the database was back: ${describeTally(result.failuresAfterBack)}`);
  console.log(`  outcomes other than 200 and 503 SERVICE_UNAVAILABLE: ${describeTally(result.unexpected)}`);
  console.log(
    `  server alive at the end: ${result.serverAlive ? 'yes' : `NO, it ended ${result.serverExitedAfterStopSeconds} s after the stop was issued`}; GET /readyz at the end: ${result.readyzAtEnd ?? 'no answer'}`,
  );
  printLogged(result.serverLog);
}

// ---------------------------------------------------------------- burst

const BURST = 200;
/** Bursts in a row, a few seconds apart: one burst's split between answered and refused varies. */
const BURST_ROUNDS = 3;

interface BurstRound {
  outcomes: Record<string, number>;
  answered: { count: number; p50: number; max: number };
  refused: { count: number; p50: number; max: number };
  ms: number;
  /** The first ordinary request after the burst. */
  ordinaryAfter: { ms: number; outcome: string };
}

interface BurstResult {
  query: string;
  /** The node budget's charge for the query, and the budget. */
  cost: { nodes: number; limit: number };
  aloneMs: number;
  requests: number;
  /** An ordinary dashboard query, and its time before the bursts (median of 5). */
  ordinary: string;
  ordinaryBeforeMs: number;
  rounds: BurstRound[];
  serverLog: ServerLog;
}

async function burst(database: string): Promise<BurstResult> {
  const target = await citegraph(database);
  const top = await admin(database, (client) =>
    client.query('SELECT cited_id FROM citation GROUP BY cited_id ORDER BY count(*) DESC, cited_id LIMIT 10'),
  );
  const workIds = top.rows.map((row) => row.cited_id as number);
  // The most cited works' citing works, 100 each with their authors: as many works as the node budget allows.
  const expensive = (works: number[]) => ({
    query: `query (${works.map((_, i) => `$w${i}: ID!`).join(', ')}) { ${works
      .map(
        (_, i) => `w${i}: work(id: $w${i}) { citedBy(first: 100) { nodes { title citationCount authors { name } } } }`,
      )
      .join(' ')} }`,
    variables: Object.fromEntries(works.map((id, i) => [`w${i}`, globalId('Work', id)])),
  });
  const one = await ask(target.url, expensive(workIds.slice(0, 1)));
  if (!one.ok || !one.cost) throw new Error(`burst: the expensive query failed alone: ${one.outcome}`);
  const request = expensive(workIds.slice(0, Math.max(1, Math.floor(one.cost.limit / one.cost.nodes))));
  await ask(target.url, request);
  const alone = await ask(target.url, request);
  if (!alone.ok || !alone.cost) throw new Error(`burst: the expensive query failed alone: ${alone.outcome}`);

  const [query] = readQueries;
  if (!query) throw new Error('burst: bench/reads.ts holds no query');
  const ordinary = query.citegraph(await subjectsOf(database, target));
  const before: number[] = [];
  for (let i = 0; i < 5; i += 1) before.push((await ask(target.url, ordinary)).ms);
  const stats = (list: Asked[]) => {
    const ms = list.map((asked) => asked.ms);
    return { count: list.length, p50: percentile(ms, 0.5), max: percentile(ms, 1) };
  };
  const rounds: BurstRound[] = [];
  for (let index = 1; index <= BURST_ROUNDS; index += 1) {
    if (index > 1) await sleep(3_000);
    // The connections are opened first, so the requests leave together rather than as each connects.
    await Promise.all(
      Array.from({ length: BURST }, () => fetch(`${target.url}/healthz`).then((response) => response.text())),
    );
    console.log(
      `burst ${index} of ${BURST_ROUNDS}: ${BURST} requests at once, each charged ${alone.cost.nodes} nodes …`,
    );
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: BURST }, () => ask(target.url, request)));
    const ms = since(started);
    const after = await ask(target.url, ordinary);
    rounds.push({
      outcomes: tally(answers.map((asked) => asked.outcome)),
      answered: stats(answers.filter((asked) => asked.ok)),
      refused: stats(answers.filter((asked) => asked.outcome === '503 SERVICE_UNAVAILABLE')),
      ms: Math.round(ms),
      ordinaryAfter: { ms: round(after.ms), outcome: after.outcome },
    });
  }
  return {
    query: request.query,
    cost: alone.cost,
    aloneMs: round(alone.ms),
    requests: BURST,
    ordinary: query.name,
    ordinaryBeforeMs: round(median(before)),
    rounds,
    serverLog: serverLog(target),
  };
}

function printBurst(result: BurstResult) {
  console.log(
    `\nburst: ${result.requests} requests at once of a query charged ${result.cost.nodes} of ${result.cost.limit} nodes (${result.aloneMs} ms alone), default MAX_IN_FLIGHT; an ordinary query (${result.ordinary}) takes ${result.ordinaryBeforeMs} ms before (median of 5)`,
  );
  console.log(
    '| burst | outcomes | answered 200: count, p50 / max ms | refused 503: count, p50 / max ms | burst took ms | ordinary query right after, ms |',
  );
  console.log(`|${'---|'.repeat(6)}`);
  for (const [index, round] of result.rounds.entries()) {
    console.log(
      `| ${index + 1} | ${describeTally(round.outcomes)} | ${round.answered.count}, ${round.answered.p50} / ${round.answered.max} | ${round.refused.count}, ${round.refused.p50} / ${round.refused.max} | ${round.ms} | ${round.ordinaryAfter.ms} (${round.ordinaryAfter.outcome}) |`,
    );
  }
  printLogged(result.serverLog);
}

// ---------------------------------------------------------------- import

interface TableComparison {
  table: string;
  rowsA: number;
  rowsB: number;
  /** Null for bookkeeping tables, which legitimately differ between a killed and an uninterrupted run. */
  equal: boolean | null;
}

interface ImportResult {
  works: number;
  batchSize: number;
  uninterruptedSeconds: number;
  killedAfterSeconds: number;
  linesDoneAtKill: number;
  resumed: Pick<ImportSummary, 'status' | 'read' | 'resumedAfterLine' | 'seconds'>;
  tables: TableComparison[];
  equal: boolean;
}

/** Tables whose rows describe the runs rather than the data: the import's progress, the data version. */
const bookkeeping = new Set(['_prisma_migrations', 'import_run', 'data_version']);

/**
 * What identifies a row of a table with a serial id in any database loaded from the same files:
 * ids themselves differ, since a killed batch used up sequence numbers. Other tables' rows are
 * identified by their unique columns (see tableDigests).
 */
const identities: Record<string, (id: string) => string> = {
  work: (id) =>
    `(SELECT row(k.openalex_id, k.doi, k.s2_id, k.arxiv_id, k.s2_corpus_id, k.title_key)::text FROM work k WHERE k.id = ${id})`,
  person: (id) => `(SELECT row(k.orcid, k.openalex_id, k.s2_id, k.name_key)::text FROM person k WHERE k.id = ${id})`,
  organization: (id) => `(SELECT k.slug FROM organization k WHERE k.id = ${id})`,
  project: (id) => `(SELECT k.slug FROM project k WHERE k.id = ${id})`,
  reported_count: (id) =>
    `(SELECT row(${identities.work?.('r.work_id')}, r.source, r.retrieved_on)::text FROM reported_count r WHERE r.id = ${id})`,
};

/**
 * Every table's rows as text, sorted, hashed: serial ids and timestamps left out, and each
 * reference to a row with a serial id replaced by what identifies that row.
 */
async function tableDigests(url: string): Promise<Map<string, { rows: number; md5: string | null }>> {
  return admin(url, async (client) => {
    const columns = await client.query<{ table: string; column: string; type: string; serial: boolean }>(
      `SELECT c.table_name AS table, c.column_name AS column, c.data_type AS type,
              coalesce(c.column_default LIKE 'nextval(%', false) AS serial
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
       ORDER BY c.table_name, c.ordinal_position`,
    );
    const references = await client.query<{ table: string; column: string; target: string }>(
      `SELECT c.conrelid::regclass::text AS table, a.attname AS column, c.confrelid::regclass::text AS target
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.connamespace = 'public'::regnamespace`,
    );
    const unique = await client.query<{ table: string; column: string }>(
      `SELECT DISTINCT i.indrelid::regclass::text AS table, a.attname AS column
       FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       JOIN pg_class c ON c.oid = i.indrelid
       WHERE i.indisunique AND NOT i.indisprimary AND c.relnamespace = 'public'::regnamespace`,
    );
    const target = new Map(references.rows.map((row) => [`${row.table}.${row.column}`, row.target]));
    const serialTables = new Set(columns.rows.filter((row) => row.serial).map((row) => row.table));
    /** A table without a hand-written identity: its unique columns that are not references. */
    const identity = (table: string, id: string) => {
      const known = identities[table];
      if (known) return known(id);
      const keys = unique.rows.filter((row) => row.table === table && !target.has(`${table}.${row.column}`));
      if (keys.length === 0) throw new Error(`import: no way to identify a row of ${table} but by its serial id`);
      return `(SELECT row(${keys.map((key) => `k."${key.column}"`).join(', ')})::text FROM "${table}" k WHERE k.id = ${id})`;
    };
    const tables = new Map<string, string[]>();
    for (const { table, column, type, serial } of columns.rows) {
      const expressions = tables.get(table) ?? [];
      tables.set(table, expressions);
      if (serial || type.startsWith('timestamp')) continue;
      const referenced = target.get(`${table}.${column}`);
      expressions.push(
        referenced && serialTables.has(referenced) ? identity(referenced, `t."${column}"`) : `t."${column}"`,
      );
    }
    const digests = new Map<string, { rows: number; md5: string | null }>();
    for (const [table, expressions] of tables) {
      const compared = !bookkeeping.has(table) && expressions.length > 0;
      const { rows } = await client.query(
        compared
          ? `SELECT count(*)::int AS rows, md5(coalesce(string_agg(r, E'\\n' ORDER BY r COLLATE "C"), '')) AS md5
             FROM (SELECT row(${expressions.join(', ')})::text AS r FROM "${table}" t) s`
          : `SELECT count(*)::int AS rows, null AS md5 FROM "${table}"`,
      );
      digests.set(table, rows[0]);
    }
    return digests;
  });
}

function startImport(file: string, database: string): ChildProcess {
  const child = spawn(
    process.execPath,
    ['bin/citegraph.mjs', 'import', 'openalex', file, '--json', '--batch-size', batchSize],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: database, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  defer('import process', async () => child.kill('SIGKILL'));
  return child;
}

async function importToEnd(file: string, database: string): Promise<ImportSummary> {
  const child = startImport(file, database);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`citegraph import exited ${code}:\n${stderr.slice(-2000)}`);
  const summary = JSON.parse(stdout) as ImportSummary;
  if (summary.status !== 'finished') throw new Error(`citegraph import ended ${summary.status}: ${summary.message}`);
  return summary;
}

async function linesDone(client: pg.Client): Promise<number> {
  const result = await client
    .query('SELECT max(lines_done) AS done FROM import_run')
    .catch(() => ({ rows: [{ done: null }] }));
  return Number(result.rows[0]?.done ?? 0);
}

async function importPart(): Promise<ImportResult> {
  const file = join(root, defaultOutput(importWorks, seed));
  if (!(await stat(file).catch(() => null))) {
    console.log(
      `import: generating ${importWorks.toLocaleString('en-US')} works (npm run gen -- --works ${importWorks}) …`,
    );
    await generateDataset({ works: importWorks, seed, out: file });
  }
  const reference = await freshDatabase(postgres, 'citegraph_loadtest_import_a');
  const killed = await freshDatabase(postgres, 'citegraph_loadtest_import_b');

  console.log(`import: ${defaultOutput(importWorks, seed)} uninterrupted into A …`);
  const started = performance.now();
  await importToEnd(file, reference);
  const uninterruptedSeconds = round(since(started) / 1000);

  // Killed once a batch is committed and half the uninterrupted run's time has passed: mid-way,
  // most likely inside a batch.
  console.log(`import: into B, killed half way (after ${round(uninterruptedSeconds / 2)} s) …`);
  const child = startImport(file, killed);
  const begun = performance.now();
  const progress = new pg.Client({ connectionString: killed });
  await progress.connect();
  let done = 0;
  try {
    while (child.exitCode === null && (done === 0 || since(begun) < (uninterruptedSeconds * 1000) / 2)) {
      await sleep(100);
      done = await linesDone(progress);
    }
    if (child.exitCode !== null) throw new Error(`import: the run to be killed ended first (exit ${child.exitCode})`);
    child.kill('SIGKILL');
    await exited(child, 5_000);
    done = await linesDone(progress);
  } finally {
    await progress.end();
  }
  const killedAfterSeconds = round(since(begun) / 1000);
  console.log(`import: killed after ${killedAfterSeconds} s with ${done} lines committed; run again to the end …`);
  const resumed = await importToEnd(file, killed);

  console.log('import: comparing every table …');
  const [a, b] = await Promise.all([tableDigests(reference), tableDigests(killed)]);
  const tables = [...new Set([...a.keys(), ...b.keys()])].sort().map((table) => {
    const left = a.get(table);
    const right = b.get(table);
    return {
      table,
      rowsA: left?.rows ?? 0,
      rowsB: right?.rows ?? 0,
      equal: bookkeeping.has(table) ? null : left?.rows === right?.rows && left?.md5 === right?.md5,
    };
  });
  return {
    works: importWorks,
    batchSize: Number(batchSize),
    uninterruptedSeconds,
    killedAfterSeconds,
    linesDoneAtKill: done,
    resumed: {
      status: resumed.status,
      read: resumed.read,
      resumedAfterLine: resumed.resumedAfterLine,
      seconds: resumed.seconds,
    },
    tables,
    equal: tables.every((table) => table.equal !== false),
  };
}

function printImport(result: ImportResult) {
  console.log(
    `\nimport: ${result.works.toLocaleString('en-US')} generated works, batches of ${result.batchSize}: A uninterrupted in ${result.uninterruptedSeconds} s; B killed (SIGKILL) after ${result.killedAfterSeconds} s at line ${result.linesDoneAtKill}, then run again: ${result.resumed.status}, resumed after line ${result.resumed.resumedAfterLine}, ${result.resumed.seconds.toFixed(1)} s`,
  );
  console.log('| table | rows A | rows B | contents |');
  console.log(`|${'---|'.repeat(4)}`);
  for (const table of result.tables) {
    const contents = table.equal === null ? 'bookkeeping, not compared' : table.equal ? 'equal' : 'NOT EQUAL';
    console.log(`| ${table.table} | ${table.rowsA} | ${table.rowsB} | ${contents} |`);
  }
  console.log(`  killed and resumed ends ${result.equal ? 'EQUAL to' : 'NOT EQUAL to'} the uninterrupted import`);
}

// ---------------------------------------------------------------- the run

/** The commit the server is built from, as the run starts (the checkout may move on during it). */
async function commitMeasured(): Promise<string> {
  const head = (await exec('git', ['rev-parse', '--short', 'HEAD'], { cwd: root })).stdout.trim();
  // The server measured is the working tree's: say so when it differs from the commit.
  const changed = (await exec('git', ['status', '--porcelain', '--', 'src', 'prisma'], { cwd: root })).stdout.trim();
  return changed ? `${head} with uncommitted changes` : head;
}

async function save(results: Partial<Record<Part, unknown>>, commit: string): Promise<string> {
  const date = new Date().toISOString().slice(0, 10);
  await mkdir(join(root, 'bench/results'), { recursive: true });
  const out = join(root, `bench/results/loadtest-${date}.json`);
  // A day's file keeps the parts measured by earlier runs that day.
  const earlier = await readFile(out, 'utf8')
    .then((text) => JSON.parse(text) as { parts: Record<string, unknown> })
    .catch(() => ({ parts: {} }));
  const machine = { cpus: cpus().length, node: process.version };
  const parts = { ...earlier.parts };
  for (const [part, result] of Object.entries(results)) {
    parts[part] = { commit, ...machine, at: new Date().toISOString(), ...(result as object) };
  }
  await writeFile(out, `${JSON.stringify({ date, parts }, null, 2)}\n`);
  return out;
}

async function main() {
  const started = performance.now();
  const commit = await commitMeasured();
  const results: Partial<Record<Part, unknown>> = {};
  const failed: Part[] = [];
  try {
    if (selected.some((part) => part !== 'import')) {
      console.log('building dist/ (node scripts/build.mjs --quiet) …');
      await exec(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: root });
    }
    let loaded = values.database;
    const database = async () => {
      if (!loaded) {
        console.log('loading the demo data into citegraph_loadtest …');
        loaded = await freshDatabase(postgres, 'citegraph_loadtest');
        await seedDemo(loaded);
      }
      return loaded;
    };
    if (selected.includes('soak') || selected.includes('burst')) await database();
    const run: Record<Part, () => Promise<{ result: object; print: () => void }>> = {
      soak: async () => {
        const result = await soak(await database());
        return { result, print: () => printSoak(result) };
      },
      restart: async () => {
        const result = await restart();
        return { result, print: () => printRestart(result) };
      },
      burst: async () => {
        const result = await burst(await database());
        return { result, print: () => printBurst(result) };
      },
      import: async () => {
        const result = await importPart();
        return { result, print: () => printImport(result) };
      },
    };
    for (const part of parts) {
      if (!selected.includes(part)) continue;
      // Cleaned up before the next part starts; the demo database, loaded before, stays to the end.
      const depth = undo.length;
      // The other users of the two cores, for reading the figures.
      const loadAverageAtStart = round(loadavg()[0] ?? 0, 2);
      try {
        const { result, print } = await run[part]();
        await unwind(depth);
        results[part] = { loadAverageAtStart, ...result };
        print();
      } catch (error) {
        failed.push(part);
        console.error(`\n${part} failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
      } finally {
        await unwind(depth);
      }
    }
  } finally {
    await unwind();
  }
  const out = await save(results, commit);
  console.log(`\nload test done in ${Math.round(since(started) / 1000)} s; written: ${out}`);
  if (failed.length > 0) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
