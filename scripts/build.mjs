import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { build } from 'esbuild';

/**
 * `npm run build`: the TypeScript in src/ compiled to JavaScript in dist/, file for file, so
 * that production runs on `node` alone. dist/ mirrors src/, so paths a module finds relative
 * to itself (the migrations, the demo data) are the same from either. Types are checked by
 * `npm run typecheck`, not here: this takes well under a second, so `npm start` builds first.
 *
 * Then the dashboard (dashboard/, a Vite app) into dist/dashboard, with a gzip and a brotli copy
 * of each text file beside it for the server to send as they are. That build takes a while, so it
 * runs only when a file under dashboard/ or the lockfile is newer than the built copy (or with
 * --dashboard); `npm start` with nothing changed stays quick.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const dashboardSources = join(root, 'dashboard');
const dashboardOut = join(dist, 'dashboard');
const quiet = process.argv.includes('--quiet');
const compressible = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json', '.txt', '.map']);
/** Vite empties dist/dashboard first; this file appears only when a build has finished. */
const stampName = '.built';
const say = (line) => {
  if (!quiet) console.log(line);
};

const files = (await readdir(src, { recursive: true, withFileTypes: true }))
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
  .map((entry) => join(entry.parentPath, entry.name));

// The server's output is replaced whole; the dashboard's is kept until it is rebuilt.
for (const entry of await readdir(dist).catch(() => [])) {
  if (entry !== 'dashboard') await rm(join(dist, entry), { recursive: true, force: true });
}
const started = performance.now();
await build({
  entryPoints: files,
  outdir: dist,
  outbase: src,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
say(
  `built ${files.length} modules into ${relative(process.cwd(), dist) || '.'} in ${Math.round(performance.now() - started)} ms`,
);

if (process.argv.includes('--dashboard') || (await dashboardIsStale())) await buildDashboard();

async function newestChange(directory) {
  let newest = 0;
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

async function dashboardIsStale() {
  const built = await stat(join(dashboardOut, stampName)).catch(() => null);
  if (!built) return true;
  const lockfile = await stat(join(root, 'package-lock.json')).catch(() => null);
  return Math.max(await newestChange(dashboardSources), lockfile?.mtimeMs ?? 0) > built.mtimeMs;
}

async function buildDashboard() {
  let vite;
  try {
    vite = await import('vite');
  } catch {
    // An install without the development dependencies serves the API alone.
    console.warn('The dashboard is not built: Vite is not installed (run npm install, then npm run build).');
    return;
  }
  const begun = performance.now();
  await vite.build({ configFile: join(dashboardSources, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info' });
  const compressed = await precompress(dashboardOut);
  // Written last, so an interrupted build counts as stale: its time is what the next start compares with.
  await writeFile(join(dashboardOut, stampName), `${new Date().toISOString()}\n`);
  say(
    `built the dashboard into ${relative(process.cwd(), dashboardOut)} (${compressed} files precompressed) in ${Math.round(performance.now() - begun)} ms`,
  );
}

/** Writes file.gz and file.br beside every text file where they are smaller. */
async function precompress(directory) {
  const gzipped = promisify(gzip);
  const brotlied = promisify(brotliCompress);
  let count = 0;
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !compressible.has(extname(entry.name))) continue;
    const path = join(entry.parentPath, entry.name);
    const content = await readFile(path);
    if (content.length < 512) continue;
    const [gz, br] = await Promise.all([
      gzipped(content, { level: 9 }),
      brotlied(content, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
      }),
    ]);
    if (gz.length < content.length) await writeFile(`${path}.gz`, gz);
    if (br.length < content.length) await writeFile(`${path}.br`, br);
    count += 1;
  }
  return count;
}
