import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import type { ImportSummary } from '../src/ingest/run.js';

/**
 * Import throughput: `citegraph import openalex` on the real OpenAlex fixture and on a large
 * file generated from it, in its own process as users run it, on PostgreSQL (BENCH_DATABASE_URL,
 * default postgresql://postgres@127.0.0.1:5432/citegraph_bench) and on the embedded database.
 *
 * The generated file repeats the 824 real records under new OpenAlex ids (W9000000000 + n), with
 * titles made unique and references pointing into the file where the real ones pointed at a
 * record of the fixture, so identity resolution, people, edges and counters all do real work.
 * It is written gzipped to a temporary folder and deleted afterwards.
 *
 * Imports run with a JavaScript heap capped at HEAP_MIB: a run that needed memory in proportion
 * to its input would fail on the large file instead of finishing.
 *
 * The peer is the floor: the same works and edges inserted into bare tables (primary keys only,
 * no identity resolution, no people, no counters) by unnest batches on the same server.
 *
 *   npm run bench:import -- [works=100000] [--postgres]
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = join(root, 'test/fixtures/openalex/works.jsonl');
const run = promisify(execFile);
const base = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/citegraph_bench';
const generatedWorks = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 100_000);
const HEAP_MIB = 256;
/** `--postgres` leaves out the embedded database (its run of a large file takes longest). */
const postgresOnly = process.argv.includes('--postgres');

interface Line {
  id: string;
  title?: string | null;
  display_name?: string | null;
  doi?: string | null;
  publication_year?: number | null;
  cited_by_count?: number;
  referenced_works?: string[];
  ids?: Record<string, unknown>;
}

async function generate(file: string, count: number) {
  const real = (await readFile(fixture, 'utf8')).split('\n').filter(Boolean);
  const position = new Map(real.map((text, index) => [(JSON.parse(text) as Line).id, index]));
  const out = createGzip();
  const done = new Promise<void>((resolve, reject) =>
    out
      .pipe(createWriteStream(file))
      .on('finish', () => resolve())
      .on('error', reject),
  );
  const idOf = (n: number) => `https://openalex.org/W${9_000_000_000 + n}`;
  for (let n = 0; n < count; n += 1) {
    const copy = Math.floor(n / real.length);
    const work = JSON.parse(real[n % real.length] as string) as Line;
    work.id = idOf(n);
    work.doi = null;
    work.ids = { openalex: work.id };
    const title = work.title ?? work.display_name;
    work.title = title ? `${title} [${n}]` : null;
    work.display_name = work.title;
    work.referenced_works = (work.referenced_works ?? []).map((reference) => {
      const at = position.get(reference);
      return at === undefined ? reference : idOf((at + copy * real.length) % count);
    });
    if (!out.write(`${JSON.stringify(work)}\n`))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await done;
}

async function freshPostgres(name: string) {
  const admin = new pg.Client({ connectionString: base.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return base.replace(/\/[^/]*$/, `/${name}`);
}

async function importFile(file: string, env: Record<string, string>): Promise<ImportSummary> {
  const { stdout } = await run(process.execPath, ['bin/citegraph.mjs', 'import', 'openalex', file, '--json'], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: `--max-old-space-size=${HEAP_MIB}`, ...env },
    maxBuffer: 1 << 26,
  });
  return JSON.parse(stdout) as ImportSummary;
}

/** The same works and edges into bare tables, 5,000 rows per statement. */
async function floor(file: string, url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE TABLE bare_work (id text PRIMARY KEY, title text, year int, cited_by_count int)`);
  await client.query(`CREATE TABLE bare_citation (citing text, cited text, PRIMARY KEY (citing, cited))`);
  const started = performance.now();
  let works: Line[] = [];
  const flush = async () => {
    const edges = works.flatMap((work) => [...new Set(work.referenced_works ?? [])].map((cited) => [work.id, cited]));
    await client.query(
      `INSERT INTO bare_work SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) ON CONFLICT DO NOTHING`,
      [
        works.map((w) => w.id),
        works.map((w) => w.title),
        works.map((w) => w.publication_year),
        works.map((w) => w.cited_by_count),
      ],
    );
    await client.query(
      `INSERT INTO bare_citation SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
      [edges.map((edge) => edge[0]), edges.map((edge) => edge[1])],
    );
    works = [];
  };
  const input = file.endsWith('.gz') ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
  for await (const line of createInterface({ input })) {
    if (!line) continue;
    works.push(JSON.parse(line) as Line);
    if (works.length === 5000) await flush();
  }
  await flush();
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return seconds;
}

function row(label: string, summary: ImportSummary, floorSeconds?: number) {
  const works = summary.read;
  const ratio = floorSeconds
    ? ` | ${(summary.seconds / floorSeconds).toFixed(1)}× (${floorSeconds.toFixed(2)} s)`
    : ' | –';
  return `| ${label} | ${works.toLocaleString('en-US')} | ${summary.seconds.toFixed(1)} s | ${Math.round(works / summary.seconds).toLocaleString('en-US')} | ${summary.citations.toLocaleString('en-US')} | ${summary.peakMemoryMiB} MiB${ratio} |`;
}

async function main() {
  const scratch = await mkdtemp(join(tmpdir(), 'citegraph-bench-import-'));
  try {
    const generated = join(scratch, 'works.jsonl.gz');
    await generate(generated, generatedWorks);
    const size = (await stat(generated)).size;
    console.log(
      `generated ${generatedWorks.toLocaleString('en-US')} works: ${(size / 1024 / 1024).toFixed(1)} MiB gzipped`,
    );
    console.log(`imports run in their own process with the JavaScript heap capped at ${HEAP_MIB} MiB\n`);
    console.log('| input, database | works | time | works/s | citations | peak memory | × the bare-insert floor |');
    console.log('|---|---|---|---|---|---|---|');
    for (const [label, file] of [
      ['OpenAlex fixture (824 works)', fixture],
      [`generated (${generatedWorks.toLocaleString('en-US')} works)`, generated],
    ] as const) {
      const url = await freshPostgres('citegraph_bench');
      const summary = await importFile(file, { DATABASE_URL: url });
      const floorSeconds = await floor(file, await freshPostgres('citegraph_bench_floor'));
      console.log(row(`${label}, PostgreSQL`, summary, floorSeconds));
      if (postgresOnly) continue;
      const dataDir = join(scratch, `pglite-${label.length}`);
      const embedded = await importFile(file, { DATABASE_URL: '', DATA_DIR: dataDir });
      console.log(row(`${label}, PGlite`, embedded));
      await rm(dataDir, { recursive: true, force: true });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();
