import type { Db } from './db.js';
import type { Logger } from './logger.js';
import { applyMigrations } from './migrations.js';
import { seedDemo } from './seed/demo.js';

/** Brings a database to the committed schema and, when asked and still empty, loads the demo dataset. */
export async function prepareDatabase(db: Db, logger: Logger, options: { seedIfEmpty: boolean }): Promise<void> {
  const applied = await applyMigrations(db.migrationAdapter(), db.prisma);
  if (applied.length > 0) logger.info(`Applied migrations: ${applied.join(', ')}`);
  if (options.seedIfEmpty && (await db.prisma.work.count()) === 0) {
    const started = Date.now();
    logger.info('Loading the demo dataset (first start)…');
    const counts = await seedDemo(db.prisma);
    logger.info(
      `Demo dataset loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${counts.works} works, ${counts.people} people, ${counts.citations} citations, ${counts.projects} projects.`,
    );
  }
}
