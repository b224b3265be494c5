import { readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * `npm run build`: the TypeScript in src/ compiled to JavaScript in dist/, file for file, so
 * that production runs on `node` alone. dist/ mirrors src/, so paths a module finds relative
 * to itself (the migrations, the demo data) are the same from either. Types are checked by
 * `npm run typecheck`, not here: this takes well under a second, so `npm start` builds first.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');

const files = (await readdir(src, { recursive: true, withFileTypes: true }))
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
  .map((entry) => join(entry.parentPath, entry.name));

await rm(dist, { recursive: true, force: true });
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
if (!process.argv.includes('--quiet')) {
  console.log(
    `built ${files.length} modules into ${relative(process.cwd(), dist) || '.'} in ${Math.round(performance.now() - started)} ms`,
  );
}
