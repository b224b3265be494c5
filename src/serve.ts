import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ConfigError, loadConfig } from './config.js';
import { dashboardIsBuilt, withDashboard } from './dashboard.js';
import { DatabaseUnavailableError, openDatabase } from './db.js';
import { createLogger, type Logger, requestContext } from './logger.js';
import { observeResponse, watchPools } from './metrics.js';
import { MigrationError } from './migrations.js';
import { watchEmbedded, watchPostgres } from './services/version.js';
import { durabilityWarnings, prepareDatabase, readinessCheck } from './setup.js';

/** How long in-flight requests may run after SIGTERM (well inside the 30 s most orchestrators allow). */
const DRAIN_MS = 10_000;

export async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, config.logFormat);
  // The API's modules load while the database opens.
  const yogaModule = import('./yoga.js');
  const cacheModule = import('./cache.js');
  const db = await openDatabase(config.database, {
    startFromDemo: true,
    statementTimeoutMs: config.statementTimeoutMs,
  });
  await prepareDatabase(db, logger, { seedIfEmpty: config.database.kind === 'embedded' });
  if (config.database.kind === 'postgres') {
    for (const warning of await durabilityWarnings(db)) logger.warn(warning);
  }
  if (db.poolUse) watchPools(db.poolUse);
  // Answers are cached by data version: imports and corrections in any process move it on.
  const version =
    config.responseCache.ttlSeconds === 0
      ? null
      : config.database.kind === 'postgres'
        ? await watchPostgres(
            config.database.url,
            logger,
            (config.database.replicaUrls ?? []).length > 0 ? db.readers : [],
          )
        : db.pglite && (await watchEmbedded(db.pglite));
  const cache = version ? (await cacheModule).responseCache(config.responseCache, version) : null;
  const { buildYoga } = await yogaModule;
  // With Redis, every server behind one address shares each client's budget.
  const rateRedis =
    config.rateLimits && config.responseCache.redisUrl
      ? new (await import('ioredis')).Redis(config.responseCache.redisUrl, { maxRetriesPerRequest: 1 })
      : null;
  const rateLimitCounters = rateRedis ? (await import('./ratelimit.js')).redisCounters(rateRedis) : undefined;
  const yoga = buildYoga({
    prisma: db.reader,
    logger,
    graphiql: !config.production,
    cache,
    limits: config.limits,
    maxBodyBytes: config.maxBodyBytes,
    deadlineMs: config.deadlineMs,
    introspection: config.introspection,
    corsOrigins: config.corsOrigins,
    maxInFlight: config.maxInFlight,
    ready: await readinessCheck(db),
    requireKeyForReads: config.requireKeyForReads,
    writer: db.prisma,
    rateLimits: config.rateLimits,
    rateLimitCounters,
    ...(version ? { dataWritten: () => version.catchUp() } : {}),
  });
  // The dashboard answers its own pages and files; every other request goes to the API.
  const server = createServer(answering(withDashboard(yoga), logger));
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
  server.listen(config.port, config.host, () => {
    const where = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const origin = `http://${where.includes(':') ? `[${where}]` : where}:${config.port}`;
    logger.info(`citegraph is serving GraphQL at ${origin}${yoga.graphqlEndpoint} on ${db.description}`);
    logger.info(
      dashboardIsBuilt()
        ? `The dashboard is at ${origin}/`
        : 'The dashboard is not built (npm run build builds it); the API runs without it.',
    );
  });
  // SIGTERM (or Ctrl-C) stops taking connections, lets the requests in flight finish, then
  // exits; requests still running after the drain period are cut off.
  let stopping = false;
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_request, response) => {
    if (stopping) response.setHeader('connection', 'close');
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
  });
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing the requests in flight, then closing.`);
    server.close(() => {
      Promise.allSettled([cache?.close(), version?.close(), rateRedis?.quit()])
        .then(() => db.close())
        .finally(() => process.exit(0));
    });
    server.closeIdleConnections();
    // Each connection closes once its answer is sent.
    for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
    setTimeout(() => server.closeAllConnections(), DRAIN_MS).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

/**
 * Each request runs with its id (the caller's x-request-id, or a new one) as the context of every
 * line logged while it is answered, and ends with one access line and its place in the metrics.
 */
function answering(handler: (request: IncomingMessage, response: ServerResponse) => void, logger: Logger) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const given = request.headers['x-request-id'];
    const requestId = (typeof given === 'string' && given.slice(0, 128)) || randomUUID();
    // The API echoes this header, so the response carries the id the log lines do.
    request.headers['x-request-id'] = requestId;
    const started = performance.now();
    response.once('finish', () => {
      const ms = performance.now() - started;
      observeResponse(response.statusCode, ms / 1000);
      requestContext.run({ requestId }, () =>
        logger.info('request', {
          method: request.method,
          path: (request.url ?? '').split('?')[0],
          status: response.statusCode,
          ms: Math.round(ms * 10) / 10,
          client: request.socket.remoteAddress,
        }),
      );
    });
    requestContext.run({ requestId }, () => handler(request, response));
  };
}

export function exitOnStartFailure(error: unknown): never {
  // Configuration and connection problems are the user's to fix: one readable message, no stack.
  if (error instanceof ConfigError || error instanceof DatabaseUnavailableError || error instanceof MigrationError) {
    console.error(error.message);
  } else {
    console.error('citegraph failed to start:', error);
  }
  process.exit(1);
}
