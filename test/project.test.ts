import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInterfaceType, lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { nodeTypes } from '../src/builder.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { DatabaseUnavailableError, openDatabase } from '../src/db.js';
import { exampleQuery } from '../src/examples.js';
import { applyMigrations, MigrationError } from '../src/migrations.js';
import { schema } from '../src/schema/index.js';
import { findDemoSnapshot, saveDemoSnapshot } from '../src/snapshot.js';

const read = (path: string) => readFile(new URL(`../${path}`, import.meta.url), 'utf8');

describe('the repository', () => {
  it('commits the SDL the schema prints, sorted', async () => {
    expect(await read('schema/schema.graphql')).toBe(`${printSchema(lexicographicSortSchema(schema))}\n`);
  });

  it('accepts global ids of exactly the types that implement Node', () => {
    const node = schema.getType('Node');
    const implementations = node && isInterfaceType(node) ? schema.getPossibleTypes(node).map((type) => type.name) : [];
    expect([...nodeTypes].sort()).toEqual(implementations.sort());
  });

  it('has a docker-compose.yml that parses and names the services the README mentions', async () => {
    const compose = parse(await read('docker-compose.yml'));
    const readme = await read('README.md');
    expect(Object.keys(compose.services).sort()).toEqual(['citegraph', 'db', 'setup']);
    expect(compose.services.db.healthcheck.test.join(' ')).toMatch(/pg_isready/);
    // Migrations and the demo data once, then the server, checked by its readiness probe.
    expect(compose.services.setup.command.join(' ')).toMatch(/scripts\/db\.ts seed$/);
    expect(compose.services.citegraph.depends_on.setup.condition).toBe('service_completed_successfully');
    expect(compose.services.citegraph.depends_on.db.condition).toBe('service_healthy');
    expect(compose.services.citegraph.healthcheck.test.join(' ')).toMatch(/\/readyz/);
    expect(compose.services.citegraph.environment.DATABASE_URL).toMatch(/^postgresql:\/\/.+@db:5432\//);
    expect(compose.services.citegraph.environment.HOST).toBe('0.0.0.0');
    for (const service of Object.keys(compose.services)) expect(readme).toContain(`\`${service}\``);
  });

  it('has a Dockerfile building the production image in two stages, run as an unprivileged user', async () => {
    const dockerfile = await read('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/RUN npm ci && npm run build && npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/readyz/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/server\.js"\]$/m);
  });

  it('shows in the README the example queries GraphiQL opens with', async () => {
    const readme = await read('README.md');
    for (const operation of exampleQuery.matchAll(/^query (\w+)/gm)) expect(readme).toContain(`query ${operation[1]}`);
  });
});

describe('configuration', () => {
  it('defaults to the embedded database in ./.data on port 4000', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.database).toEqual({ kind: 'embedded', dataDir: expect.stringMatching(/\/\.data$/) });
    expect(config.logLevel).toBe('info');
    expect(config.responseCache).toEqual({ ttlSeconds: 300, maxEntries: 1000, redisUrl: undefined });
  });

  it('sets the response cache from RESPONSE_CACHE_TTL, RESPONSE_CACHE_MAX_ENTRIES and REDIS_URL', () => {
    const config = loadConfig({
      RESPONSE_CACHE_TTL: '0',
      RESPONSE_CACHE_MAX_ENTRIES: '50',
      REDIS_URL: 'redis://r:6379',
    });
    expect(config.responseCache).toEqual({ ttlSeconds: 0, maxEntries: 50, redisUrl: 'redis://r:6379' });
    expect(() => loadConfig({ RESPONSE_CACHE_TTL: '-1', REDIS_URL: 'http://r' })).toThrow(
      /RESPONSE_CACHE_TTL must be 0 \(off\) or more[\s\S]*REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/,
    );
  });

  it('turns rate limits on by default, settable with RATE_LIMIT_* and TRUST_PROXY_HOPS, off with RATE_LIMIT=off', () => {
    expect(loadConfig({}).rateLimits).toEqual({
      anonymousPerHour: 5000,
      keyPerHour: 20000,
      perMinute: 1000,
      trustProxyHops: 0,
    });
    const config = loadConfig({
      RATE_LIMIT_POINTS: '100',
      RATE_LIMIT_KEY_POINTS: '1000',
      RATE_LIMIT_POINTS_PER_MINUTE: '50',
      TRUST_PROXY_HOPS: '1',
    });
    expect(config.rateLimits).toEqual({ anonymousPerHour: 100, keyPerHour: 1000, perMinute: 50, trustProxyHops: 1 });
    expect(loadConfig({ RATE_LIMIT: 'off' }).rateLimits).toBeNull();
    expect(() => loadConfig({ RATE_LIMIT: 'maybe', TRUST_PROXY_HOPS: '-1' })).toThrow(
      /RATE_LIMIT must be on or off[\s\S]*TRUST_PROXY_HOPS must be 0 or more/,
    );
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u@h:5432/d', PORT: '8080', LOG_LEVEL: 'debug' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgresql://u@h:5432/d', replicaUrls: [] });
    expect(config.port).toBe(8080);
  });

  it('reads from the replicas DATABASE_REPLICA_URLS lists, which need DATABASE_URL', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u@primary:5432/d',
      DATABASE_REPLICA_URLS: ' postgresql://u@r1:5432/d, postgresql://u@r2:5432/d ',
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgresql://u@primary:5432/d',
      replicaUrls: ['postgresql://u@r1:5432/d', 'postgresql://u@r2:5432/d'],
    });
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'postgresql://u@r1:5432/d' })).toThrow(
      /DATABASE_REPLICA_URLS needs DATABASE_URL/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://u@p/d', DATABASE_REPLICA_URLS: 'mysql://r1' })).toThrow(
      /DATABASE_REPLICA_URLS must be postgresql:\/\/ URLs/,
    );
  });

  it('reports every problem at once, in words', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', DATA_DIR: '' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect((error as ConfigError).problems).toHaveLength(4);
    expect(problems).toMatch(/PORT must be a number/);
    expect(problems).toMatch(/DATABASE_URL must be a postgresql:\/\/ URL/);
    expect(problems).toMatch(/LOG_LEVEL must be one of debug, info, warn, error, silent/);
    expect(problems).toMatch(/DATA_DIR must not be empty/);
  });

  it('explains an unreachable database in one line', async () => {
    const error = await openDatabase({ kind: 'postgres', url: 'postgresql://postgres@127.0.0.1:1/nowhere' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toBe(
      'Cannot reach PostgreSQL at 127.0.0.1:1/nowhere: nothing is listening there. Start the server (docker compose up -d db) or fix DATABASE_URL.',
    );
  });

  it('explains in one line a database that refuses the migrations', async () => {
    const db = await openDatabase({ kind: 'memory' });
    try {
      await db.prisma.$executeRawUnsafe(`CREATE TYPE "DatePrecision" AS ENUM ('DAY')`);
      const error = await applyMigrations(db.migrationAdapter(), db.prisma).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toMatch(
        /^The database could not be brought up to date .*"DatePrecision" already exists\./,
      );
      expect((error as Error).message).not.toContain('\n');
    } finally {
      await db.close();
    }
  });

  it('lets one process at a time open the embedded database, and takes over the lock of a killed one', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'citegraph-lock-'));
    try {
      const first = await openDatabase({ kind: 'embedded', dataDir });
      const error = await openDatabase({ kind: 'embedded', dataDir }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).message).toBe(
        `The embedded database in ${dataDir} is in use by process ${process.pid} (a citegraph server or import). Stop it first, or use PostgreSQL (DATABASE_URL) to run both at once.`,
      );
      await first.close();
      // A process id no process has: the lock of a process that was killed.
      await writeFile(join(dataDir, 'citegraph.lock'), '2147483646');
      const second = await openDatabase({ kind: 'embedded', dataDir });
      expect(await readFile(join(dataDir, 'citegraph.lock'), 'utf8')).toBe(String(process.pid));
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('starts a new embedded database as a copy of the prepared demo database, with an id of its own', async () => {
    const work = await mkdtemp(join(tmpdir(), 'citegraph-snapshot-'));
    const snapshotDir = join(work, 'cache');
    const dataDir = join(work, 'data');
    try {
      let snapshotId = '';
      await saveDemoSnapshot(async (dir) => {
        const db = await openDatabase({ kind: 'embedded', dataDir: dir });
        await applyMigrations(db.migrationAdapter());
        await db.prisma.person.create({ data: { name: 'Prepared At Install', nameKey: 'prepared at install' } });
        snapshotId = (await db.prisma.dataVersion.findFirstOrThrow()).database;
        await db.close();
      }, snapshotDir);
      expect(await findDemoSnapshot(snapshotDir)).not.toBeNull();
      const copy = await openDatabase({ kind: 'embedded', dataDir }, { startFromDemo: true, snapshotDir });
      expect(await copy.prisma.person.count({ where: { name: 'Prepared At Install' } })).toBe(1);
      expect((await copy.prisma.dataVersion.findFirstOrThrow()).database).not.toBe(snapshotId);
      await copy.prisma.person.deleteMany();
      await copy.close();
      // A database that exists is opened as it is, never copied over.
      const again = await openDatabase({ kind: 'embedded', dataDir }, { startFromDemo: true, snapshotDir });
      expect(await again.prisma.person.count()).toBe(0);
      await again.close();
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('explains a host name that does not resolve', async () => {
    const error = await openDatabase({ kind: 'postgres', url: 'postgresql://u@no-such-host.invalid:5432/x' }).catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toBe(
      'Cannot resolve the host "no-such-host.invalid" in DATABASE_URL. Check the host name.',
    );
  });
});
