import { ConfigError, loadConfig } from '../src/config.js';
import { DatabaseUnavailableError, openDatabase } from '../src/db.js';
import { createLogger } from '../src/logger.js';
import { applyMigrations, MigrationError } from '../src/migrations.js';
import { seedDemo } from '../src/seed/demo.js';

/** `migrate` applies pending migrations; `seed` loads the demo dataset into an empty database. */
const command = process.argv[2];
if (command !== 'migrate' && command !== 'seed') {
  console.error('usage: tsx scripts/db.ts migrate | seed');
  process.exit(2);
}

try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config.database);
  try {
    const applied = await applyMigrations(db.migrationAdapter(), db.prisma);
    logger.info(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'No pending migrations.');
    if (command === 'seed') {
      if ((await db.prisma.work.count()) > 0) {
        logger.info(`${db.description} already holds works; the demo dataset loads only into an empty database.`);
      } else {
        const counts = await seedDemo(db.prisma);
        logger.info(`Loaded the demo dataset: ${JSON.stringify(counts)}`);
      }
    }
  } finally {
    await db.close();
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof DatabaseUnavailableError || error instanceof MigrationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
