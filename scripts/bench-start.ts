import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * Time from `npm start` to the first GraphQL answer on the embedded database: the first start
 * (an empty data directory: the demo dataset is loaded) and a later start (the data is there).
 * Runs the build in dist/ as `npm start` does, --runs times each, and prints the medians and
 * the time each phase took from the server's own log lines.
 *
 *   npm run bench:start -- [--runs 3]
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, port: { type: 'string', default: '4987' } },
});
const runs = Number(values.runs);
const port = Number(values.port);

/** Milliseconds from spawning the server to its first answer to a GraphQL query. */
async function firstAnswer(dataDir: string): Promise<{ ms: number; log: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log += `${Math.round(performance.now() - started)} ms: ${String(chunk)}`;
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`The server stopped:\n${log}`);
      const answered = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ person(name: "Yangqing Jia") { name } }' }),
      }).then(
        async (response) => response.ok && (await response.text()).includes('Yangqing Jia'),
        () => false,
      );
      if (answered) return { ms: performance.now() - started, log };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? 0;

async function main() {
  // What `npm start` runs first.
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: root, stdio: 'inherit' });
  const first: number[] = [];
  const later: number[] = [];
  let logs = '';
  for (let run = 0; run < runs; run += 1) {
    const dataDir = await mkdtemp(join(tmpdir(), 'citegraph-start-'));
    try {
      const cold = await firstAnswer(dataDir);
      first.push(cold.ms);
      const warm = await firstAnswer(dataDir);
      later.push(warm.ms);
      logs = `first start:\n${cold.log}\nlater start:\n${warm.log}`;
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  console.log(logs);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`npm start to the first answer, embedded, Node ${process.version}, median of ${runs}:`);
  console.log(`  first start (demo dataset loaded): ${seconds(median(first))}  [${first.map(seconds).join(', ')}]`);
  console.log(`  later start:                       ${seconds(median(later))}  [${later.map(seconds).join(', ')}]`);
}

await main();
