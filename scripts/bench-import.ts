import { execFile, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { defaultOutput, generateDataset } from '../src/generate/files.js';
import type { ImportSummary } from '../src/ingest/run.js';
import { type CopyValue, copyText } from '../src/sql.js';

/**
 * Import throughput: `citegraph import openalex` on generated datasets (`npm run gen`), run
 * as users run it, in a process of its own, into a fresh PostgreSQL database (and, for the
 * smaller sizes, into the embedded one), against the floor measured in the same run: a
 * minimal loader that streams the same file, parses each record and COPYs its works,
 * authorships and citation edges into bare tables with no keys or indexes — no identity
 * resolution, counters or rollups.
 *
 * Each size runs --runs times, floor and import interleaved; the table gives medians. A second
 * import of the same file follows each run: it must change nothing, and its speed is the
 * re-import figure. Results go to bench/results/import-<date>.json, beside the sizes measured earlier that day.
 *
 *   npm run bench:import -- [--sizes 100000,1000000] [--runs 3] [--embedded-max 100000] [--batch-size 5000]
 *
 * PostgreSQL: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres) names
 * the server; the benchmark creates and drops databases citegraph_bench_* there.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const exec = promisify(execFile);
const server = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    runs: { type: 'string', default: '3' },
    'embedded-max': { type: 'string', default: '100000' },
    'batch-size': { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
  },
});
const sizes = (values.sizes ?? '').split(',').map(Number);
const runs = Number(values.runs);
const embeddedMax = Number(values['embedded-max']);
const batchSize = values['batch-size'] ?? '5000';
const seed = Number(values.seed);

interface Measured {
  seconds: number;
  worksPerSecond: number;
  citationsPerSecond: number;
  peakRssMiB: number;
}

interface ImportMeasured extends Measured {
  /** Works per second over the first and the last tenth of the records. */
  firstTenth: number | null;
  lastTenth: number | null;
  rssSamplesMiB: number[];
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(name: string) {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => admin.end());
}

/** The resident set size of a process, from /proc, in MiB; null once it has exited. */
async function rssMiB(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kib = status ? /VmRSS:\s+(\d+)/.exec(status)?.[1] : undefined;
  return kib ? Number(kib) / 1024 : null;
}

/** `citegraph import openalex <file> --json` in a process of its own; RSS is sampled every second. */
async function citegraphImport(
  file: string,
  env: Record<string, string>,
): Promise<{ summary: ImportSummary; rss: number[] }> {
  const child = spawn(
    process.execPath,
    ['bin/citegraph.mjs', 'import', 'openalex', file, '--json', '--batch-size', batchSize],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const rss: number[] = [];
  const sampler = setInterval(async () => {
    const sample = child.pid ? await rssMiB(child.pid) : null;
    if (sample !== null) rss.push(Math.round(sample));
  }, 1000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`citegraph import exited ${code}:\n${stderr.slice(-2000)}`);
  return { summary: JSON.parse(stdout) as ImportSummary, rss };
}

function importMeasured(summary: ImportSummary, rss: number[]): ImportMeasured {
  return {
    seconds: summary.seconds,
    worksPerSecond: Math.round(summary.read / summary.seconds),
    citationsPerSecond: Math.round(summary.citations / summary.seconds),
    peakRssMiB: summary.peakMemoryMiB,
    firstTenth: summary.recordsPerSecondFirstTenth ?? null,
    lastTenth: summary.recordsPerSecondLastTenth ?? null,
    rssSamplesMiB: rss,
  };
}

/** Row counts and the newest write, to show that a second import changed nothing. */
async function fingerprint(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT (SELECT count(*) FROM work)::int AS works, (SELECT count(*) FROM citation)::int AS citations,
              (SELECT count(*) FROM person)::int AS people, (SELECT count(*) FROM authorship)::int AS authorships,
              (SELECT sum(citation_count) FROM work)::bigint::text AS counted,
              (SELECT count(*) FROM person_year)::int AS person_years,
              (SELECT max(updated_at) FROM work)::text AS work_written, (SELECT max(updated_at) FROM person)::text AS person_written`,
    );
    return rows[0] as Record<string, unknown>;
  } finally {
    await client.end();
  }
}

/** Writes rows as COPY text to a COPY … FROM STDIN stream, waiting when it is full. */
class CopyWriter {
  private parts: string[] = [];
  private size = 0;
  private constructor(private readonly stream: NodeJS.WritableStream) {}
  static open(client: pg.Client, sql: string) {
    return new CopyWriter(client.query(copyFrom(sql)));
  }
  async row(text: string) {
    this.parts.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) await this.flush();
  }
  private async flush() {
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await new Promise((resolve) => this.stream.once('drain', resolve));
  }
  async end() {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.on('finish', () => resolve());
      this.stream.on('error', reject);
      this.stream.end();
    });
  }
}

/** One COPY line, with citegraph's own encoding of values. */
const copyLine = (...values: CopyValue[]) => copyText([values]).text;

interface FloorLine {
  id: string;
  title?: string | null;
  publication_year?: number | null;
  cited_by_count?: number | null;
  authorships?: { author?: { id?: string | null; display_name?: string | null } | null }[] | null;
  referenced_works?: string[] | null;
}

/** The floor: stream, parse, COPY into bare tables over three connections, nothing else. */
async function floor(file: string, url: string): Promise<Measured> {
  const clients = [0, 1, 2].map(() => new pg.Client({ connectionString: url }));
  for (const client of clients) await client.connect();
  const [a, b, c] = clients as [pg.Client, pg.Client, pg.Client];
  await a.query(`CREATE TABLE bare_work (openalex_id text, title text, year int, cited_by_count int)`);
  await a.query(`CREATE TABLE bare_authorship (work text, position int, author text, name text)`);
  await a.query(`CREATE TABLE bare_citation (citing text, cited text)`);
  const started = performance.now();
  const works = CopyWriter.open(a, 'COPY bare_work FROM STDIN');
  const authorships = CopyWriter.open(b, 'COPY bare_authorship FROM STDIN');
  const citations = CopyWriter.open(c, 'COPY bare_citation FROM STDIN');
  let count = 0;
  let edges = 0;
  let pending = '';
  const decoder = new StringDecoder('utf8');
  const handle = async (line: string) => {
    if (line.trim() === '') return;
    const work = JSON.parse(line) as FloorLine;
    count += 1;
    await works.row(copyLine(work.id, work.title, work.publication_year, work.cited_by_count));
    for (const [position, authorship] of (work.authorships ?? []).entries())
      await authorships.row(copyLine(work.id, position + 1, authorship.author?.id, authorship.author?.display_name));
    for (const cited of work.referenced_works ?? []) {
      edges += 1;
      await citations.row(copyLine(work.id, cited));
    }
  };
  await pipeline(createReadStream(file), createGunzip(), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      const lines = (pending + decoder.write(chunk)).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) await handle(line);
    }
    await handle(pending);
  });
  await Promise.all([works.end(), authorships.end(), citations.end()]);
  const seconds = (performance.now() - started) / 1000;
  for (const client of clients) await client.end();
  return {
    seconds,
    worksPerSecond: Math.round(count / seconds),
    citationsPerSecond: Math.round(edges / seconds),
    peakRssMiB: Math.round(process.memoryUsage().rss / 1024 / 1024),
  };
}

async function dataset(works: number): Promise<string> {
  const file = join(root, defaultOutput(works, seed));
  if (!(await stat(file).catch(() => null))) {
    console.log(`generating ${works.toLocaleString('en-US')} works (npm run gen -- --works ${works} --seed ${seed}) …`);
    await generateDataset({ works, seed, out: file });
  }
  return file;
}

async function migrate(env: Record<string, string>) {
  await exec(process.execPath, ['--import', 'tsx', 'scripts/db.ts', 'migrate'], {
    cwd: root,
    env: { ...process.env, ...env },
  });
}

interface SizeResult {
  works: number;
  citations: number;
  runs: number;
  floor: Measured[];
  postgres: ImportMeasured[];
  reimport: (Measured & { unchanged: boolean })[];
  embedded: ImportMeasured[];
}

const f = (value: number) => Math.round(value).toLocaleString('en-US');

function report(result: SizeResult) {
  const med = <T>(rows: T[], pick: (row: T) => number | null) => {
    const values = rows.map(pick).filter((value): value is number => value !== null);
    return values.length ? median(values) : null;
  };
  const floorSeconds = med(result.floor, (row) => row.seconds) ?? 0;
  const line = (label: string, rows: ImportMeasured[]) => {
    if (rows.length === 0) return;
    const seconds = med(rows, (row) => row.seconds) ?? 0;
    const first = med(rows, (row) => row.firstTenth);
    const last = med(rows, (row) => row.lastTenth);
    console.log(
      `| ${label} | ${f(result.works)} | ${seconds.toFixed(1)} s | ${f(result.works / seconds)} | ${f(result.citations / seconds)} | ${f(med(rows, (row) => row.peakRssMiB) ?? 0)} MiB | ${first === null ? '–' : f(first)} → ${last === null ? '–' : f(last)} | ${label.includes('PostgreSQL') ? `${(seconds / floorSeconds).toFixed(1)}×` : '–'} |`,
    );
  };
  line('citegraph, PostgreSQL', result.postgres);
  line('citegraph, embedded', result.embedded);
  console.log(
    `| floor (COPY into bare tables), PostgreSQL | ${f(result.works)} | ${floorSeconds.toFixed(1)} s | ${f(result.works / floorSeconds)} | ${f(result.citations / floorSeconds)} | ${f(med(result.floor, (row) => row.peakRssMiB) ?? 0)} MiB | – | 1.0× |`,
  );
  if (result.reimport.length) {
    const seconds = med(result.reimport, (row) => row.seconds) ?? 0;
    console.log(
      `| re-import, PostgreSQL | ${f(result.works)} | ${seconds.toFixed(1)} s | ${f(result.works / seconds)} | – | ${f(med(result.reimport, (row) => row.peakRssMiB) ?? 0)} MiB | changed nothing: ${result.reimport.every((row) => row.unchanged) ? 'yes' : 'NO'} | – |`,
    );
  }
}

/**
 * Writes the results so far, after every measurement, so a run stopped part way (a 1M import
 * takes most of an hour) keeps what it measured. Returns the file's path.
 */
async function save(results: SizeResult[]): Promise<string> {
  const date = new Date().toISOString().slice(0, 10);
  await mkdir(join(root, 'bench/results'), { recursive: true });
  const out = join(root, `bench/results/import-${date}.json`);
  // A day's file keeps the sizes measured by earlier runs that day (1M works takes its own run).
  const earlier = await readFile(out, 'utf8')
    .then((text) => (JSON.parse(text) as { results: SizeResult[] }).results)
    .catch(() => [] as SizeResult[]);
  const merged = [...earlier.filter((old) => !results.some((now) => now.works === old.works)), ...results].sort(
    (a, b) => a.works - b.works,
  );
  await writeFile(
    out,
    `${JSON.stringify({ date, machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, batchSize: Number(batchSize), seed, results: merged }, null, 2)}\n`,
  );
  return out;
}

async function main() {
  const results: SizeResult[] = [];
  const scratch = await mkdtemp(join(tmpdir(), 'citegraph-bench-import-'));
  console.log(`import benchmark: sizes ${sizes.join(', ')}, ${runs} runs each, batch size ${batchSize}\n`);
  try {
    for (const works of sizes) {
      const file = await dataset(works);
      const result: SizeResult = { works, citations: 0, runs, floor: [], postgres: [], reimport: [], embedded: [] };
      results.push(result);
      for (let run = 1; run <= runs; run += 1) {
        result.floor.push(await floor(file, await freshDatabase('citegraph_bench_floor')));
        await dropDatabase('citegraph_bench_floor');
        console.log(`  ${f(works)} works, run ${run}: floor ${result.floor.at(-1)?.seconds.toFixed(1)} s`);
        await save(results);

        const url = await freshDatabase('citegraph_bench');
        await migrate({ DATABASE_URL: url });
        const first = await citegraphImport(file, { DATABASE_URL: url });
        result.citations = first.summary.citations;
        result.postgres.push(importMeasured(first.summary, first.rss));
        const before = await fingerprint(url);
        const again = await citegraphImport(file, { DATABASE_URL: url });
        const after = await fingerprint(url);
        result.reimport.push({
          ...importMeasured(again.summary, again.rss),
          unchanged: JSON.stringify(before) === JSON.stringify(after) && again.summary.inserted === 0,
        });
        await dropDatabase('citegraph_bench');
        console.log(
          `  ${f(works)} works, run ${run}: PostgreSQL ${result.postgres.at(-1)?.seconds.toFixed(1)} s (${JSON.stringify(first.summary.recordsPerSecond)} records/s), re-import ${result.reimport.at(-1)?.seconds.toFixed(1)} s`,
        );
        await save(results);

        if (works <= embeddedMax) {
          const dataDir = join(scratch, `embedded-${works}-${run}`);
          const env = { DATABASE_URL: '', DATA_DIR: dataDir };
          await migrate(env);
          const embedded = await citegraphImport(file, env);
          result.embedded.push(importMeasured(embedded.summary, embedded.rss));
          await rm(dataDir, { recursive: true, force: true });
          console.log(`  ${f(works)} works, run ${run}: embedded ${result.embedded.at(-1)?.seconds.toFixed(1)} s`);
          await save(results);
        }
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  console.log(
    '\n| import | works | time | works/s | citations/s | peak RSS | works/s, first → last tenth | × floor |\n|---|---|---|---|---|---|---|---|',
  );
  for (const result of results) report(result);
  console.log(`\nwritten: ${await save(results)}`);
}

await main();
