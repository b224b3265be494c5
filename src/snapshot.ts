import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The demo database, ready made: `npm install` creates an embedded database, migrates it and
 * loads the demo dataset into it, and keeps its data directory, so the first `npm start` copies
 * the files in (a fraction of a second) instead of creating, migrating and loading a database
 * (15 s and more).
 *
 * The directory is named after a hash of everything that decides its contents — the migrations,
 * the demo data, the sources that load it, the PGlite version — so a changed checkout never
 * starts from an outdated one: it loads the demo itself, as it does when there is none.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
/** Where `npm install` keeps it, beside other tools' caches. */
export const snapshotCacheDir = join(root, 'node_modules/.cache/citegraph');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'generated' ? [] : filesUnder(path);
      return [path];
    }),
  );
  return files.flat();
}

/** The hash the demo database of the current checkout is named after. */
export async function demoSnapshotKey(): Promise<string> {
  const hash = createHash('sha256');
  const sources = ['prisma/migrations', 'data/demo', 'src'].map((dir) => join(root, dir));
  const files = (await Promise.all(sources.map(filesUnder))).flat().sort();
  for (const file of files) {
    hash.update(relative(root, file));
    hash.update(await readFile(file));
  }
  hash.update(await readFile(join(root, 'node_modules/@electric-sql/pglite/package.json')));
  return hash.digest('hex').slice(0, 16);
}

const snapshotPath = (dir: string, key: string) => join(dir, `demo-${key}`);

/** The data directory of the demo database for the current checkout, when `npm install` made one. */
export async function findDemoSnapshot(dir = snapshotCacheDir): Promise<string | null> {
  const path = snapshotPath(dir, await demoSnapshotKey());
  return (await stat(join(path, 'PG_VERSION')).catch(() => null)) ? path : null;
}

/**
 * Makes the demo database of the current checkout: `fill` receives a new, empty data
 * directory to fill; it becomes the snapshot only once filled (renamed into place).
 */
export async function saveDemoSnapshot(
  fill: (dataDir: string) => Promise<void>,
  dir = snapshotCacheDir,
): Promise<string> {
  const path = snapshotPath(dir, await demoSnapshotKey());
  const partial = `${path}.${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    await fill(partial);
    await rename(partial, path);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return path;
}
