import type { Db } from './db.js';
import type { Logger } from './logger.js';
import { applyMigrations, readMigrations } from './migrations.js';

/** Brings a database to the committed schema and, when asked and still empty, loads the demo dataset. */
export async function prepareDatabase(db: Db, logger: Logger, options: { seedIfEmpty: boolean }): Promise<void> {
  const applied = await applyMigrations(db.migrationAdapter(), db.prisma);
  if (applied.length > 0) logger.info(`Applied migrations: ${applied.join(', ')}`);
  if (options.seedIfEmpty && (await db.prisma.work.count()) === 0) {
    const started = Date.now();
    logger.info('Loading the demo dataset (first start)…');
    // Loaded only for this: a database that has its data starts without the seeding code.
    const { seedDemo } = await import('./seed/demo.js');
    const counts = await seedDemo(db.prisma);
    logger.info(
      `Demo dataset loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${counts.works} works, ${counts.people} people, ${counts.citations} citations, ${counts.projects} projects.`,
    );
  }
}

/**
 * The readiness check of `GET /readyz`: null while the database answers (within 2 s) and holds
 * every migration this build ships, otherwise what is wrong.
 */
export async function readinessCheck(db: Db): Promise<() => Promise<string | null>> {
  const shipped = (await readMigrations()).migrationDirectories.map((directory) => directory.path);
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer within 2 s')), 2_000);
    });
    try {
      const rows = await Promise.race([
        db.prisma.$queryRawUnsafe<{ name: string }[]>(
          'SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
        ),
        late,
      ]);
      const applied = new Set(rows.map((row) => row.name));
      const missing = shipped.filter((name) => !applied.has(name));
      return missing.length > 0 ? `migrations not applied: ${missing.join(', ')}` : null;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** PostgreSQL settings that trade durability for speed, which citegraph's figures must not depend on. */
export async function durabilityWarnings(db: Db): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<{ name: string; setting: string }[]>(
    "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')",
  );
  return rows
    .filter((row) => row.setting === 'off')
    .map(
      (row) =>
        `PostgreSQL runs with ${row.name} = off: a crash can lose or corrupt committed imports and writes. Turn it on for any database you keep.`,
    );
}
