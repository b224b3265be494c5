import { createServer } from 'node:http';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseUnavailableError, openDatabase } from './db.js';
import { createLogger } from './logger.js';
import { MigrationError } from './migrations.js';
import { prepareDatabase } from './setup.js';
import { buildYoga } from './yoga.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config.database);
  await prepareDatabase(db, logger, { seedIfEmpty: config.database.kind === 'embedded' });
  const yoga = buildYoga({ prisma: db.prisma, logger, graphiql: !config.production });
  const server = createServer(yoga);
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  server.on('error', async (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === 'EADDRINUSE'
        ? `Port ${config.port} is already in use. Stop the other server or set PORT to a free port.`
        : `The server could not start: ${error.message}`,
    );
    await db.close();
    process.exit(1);
  });
  server.listen(config.port, () => {
    logger.info(
      `citegraph is serving GraphQL at http://localhost:${config.port}${yoga.graphqlEndpoint} on ${db.description}`,
    );
  });
  const shutdown = (signal: string) => {
    logger.info(`${signal}: closing.`);
    server.close(() => {
      db.close().finally(() => process.exit(0));
    });
    server.closeAllConnections();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // Configuration and connection problems are the user's to fix: one readable message, no stack.
  if (error instanceof ConfigError || error instanceof DatabaseUnavailableError || error instanceof MigrationError) {
    console.error(error.message);
  } else {
    console.error('citegraph failed to start:', error);
  }
  process.exit(1);
});
