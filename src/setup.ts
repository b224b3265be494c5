import type { Db } from './db.js';
import type { Logger } from './logger.js';
import { applyMigrations } from './migrations.js';

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
