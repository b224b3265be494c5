import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { cp, link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { CancellablePool } from './cancel.js';
import type { Database } from './config.js';
import { PrismaClient } from './generated/prisma/client.js';
import { countingStatements, type PoolUse } from './metrics.js';
import { findDemoSnapshot } from './snapshot.js';
import { type Connection, pgliteConnection, postgresConnection } from './sql.js';

/** The only place a PrismaClient is made: embedded PGlite by default, PostgreSQL with DATABASE_URL. */

export interface Db {
  /** The primary: writes, imports, migrations. */
  prisma: PrismaClient;
  /**
   * A client for one request's reads: the primary, or with read replicas each of them in turn,
   * so all the statements of one request read one standby.
   */
  reader(): PrismaClient;
  /** The clients reads go to (the replicas, or the primary alone). */
  readers: PrismaClient[];
  /** PostgreSQL servers: the connections of every pool the API uses, summed. */
  poolUse?(): PoolUse;
  /** A connection factory for the schema engine (migrations). */
  migrationAdapter(): SqlMigrationAwareDriverAdapterFactory;
  description: string;
  /** The embedded engine, when that is what runs. */
  pglite: PGlite | null;
  /** A plain SQL connection of its own, for bulk writes (imports); the caller closes it. */
  connect(): Promise<Connection>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** `memory` is a throwaway in-process database, optionally started from a dumped data directory. */
export type DatabaseTarget = Database | { kind: 'memory'; loadDataDir?: Blob };

export interface OpenOptions {
  /** A new embedded database starts as a copy of the demo database `npm install` prepared, if there is one. */
  startFromDemo?: boolean;
  /** Where that demo database is looked for (src/snapshot.ts). */
  snapshotDir?: string;
  /**
   * On PostgreSQL, the longest a statement may run (the API's connections); lock waits end at
   * 2 s at most and a transaction left idle at three times this. Unset: no limit (imports, the CLI).
   */
  statementTimeoutMs?: number;
}

/**
 * Extensions the migrations create (pg_trgm: trigram similarity for name search). A PostgreSQL
 * server ships them with its contrib package; the embedded engine loads them when it starts.
 */
const pgliteExtensions = { pg_trgm };

export async function openDatabase(database: DatabaseTarget, options: OpenOptions = {}): Promise<Db> {
  if (database.kind === 'postgres') {
    return openPostgres(database.url, database.replicaUrls ?? [], options.statementTimeoutMs);
  }
  let pglite: PGlite;
  let unlock = async () => {};
  let fromDemo = false;
  if (database.kind === 'memory') {
    pglite = new PGlite({
      extensions: pgliteExtensions,
      ...(database.loadDataDir ? { loadDataDir: database.loadDataDir } : {}),
    });
  } else {
    await mkdir(database.dataDir, { recursive: true });
    unlock = await lockDataDir(database.dataDir);
    const isNew = !(await stat(join(database.dataDir, 'PG_VERSION')).catch(() => null));
    const demo = options.startFromDemo && isNew ? await findDemoSnapshot(options.snapshotDir) : null;
    if (demo) {
      await cp(demo, database.dataDir, { recursive: true });
      fromDemo = true;
    }
    pglite = new PGlite(database.dataDir, { extensions: pgliteExtensions });
  }
  try {
    await pglite.waitReady;
  } catch (cause) {
    await unlock();
    throw new DatabaseUnavailableError(
      `Cannot open the embedded database${database.kind === 'embedded' ? ` in ${database.dataDir}` : ''}: ${String(cause)}. Is another citegraph using it? Set DATA_DIR to another folder or stop the other process.`,
      { cause },
    );
  }
  // A copy of the demo database is a database of its own: it gets its own id.
  if (fromDemo) await pglite.exec('UPDATE data_version SET database = gen_random_uuid()');
  const adapterFactory = new PrismaPGlite(pglite);
  const prisma = new PrismaClient({ adapter: countingStatements(adapterFactory) });
  return {
    prisma,
    reader: () => prisma,
    readers: [prisma],
    pglite,
    connect: async () => pgliteConnection(pglite),
    migrationAdapter: () => wholeScripts(withShadowExtensions(adapterFactory)),
    description:
      database.kind === 'embedded' ? `embedded PostgreSQL (PGlite) in ${database.dataDir}` : 'in-memory PGlite',
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      await unlock();
    },
  };
}

/**
 * The embedded database has one user at a time: two processes writing one data directory
 * would corrupt it. The lock file holds the owner's process id and appears whole or not at all
 * (written aside, then hard-linked into place). A lock whose owner no longer runs (killed) is
 * moved aside and taken over; a lock another starter took over in the meantime is put back.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lock = join(dataDir, 'citegraph.lock');
  const mine = `${lock}.${process.pid}`;
  const inUse = (owner: number) =>
    new DatabaseUnavailableError(
      `The embedded database in ${dataDir} is in use by process ${owner} (a citegraph server or import). Stop it first, or use PostgreSQL (DATABASE_URL) to run both at once.`,
    );
  const ownerOf = async (path: string) => Number(await readFile(path, 'utf8').catch(() => 'NaN'));
  await writeFile(mine, String(process.pid));
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        await link(mine, lock);
        return async () => {
          if ((await ownerOf(lock)) === process.pid) await rm(lock, { force: true });
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = await ownerOf(lock);
      if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) throw inUse(owner);
      const aside = `${lock}.stale.${process.pid}`;
      const moved = await rename(lock, aside).then(
        () => true,
        () => false,
      );
      if (!moved) continue;
      const taken = await ownerOf(aside);
      if (taken !== owner && Number.isInteger(taken) && isRunning(taken)) {
        await link(aside, lock).catch(() => undefined);
        await rm(aside, { force: true });
        throw inUse(taken);
      }
      await rm(aside, { force: true });
    }
    throw new DatabaseUnavailableError(`Cannot lock the embedded database in ${dataDir}; try again.`);
  } finally {
    await rm(mine, { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The schema engine replays the migrations in a shadow database to compare them with
 * schema.prisma; the PGlite adapter's own shadow engine starts without the extensions they create.
 */
function withShadowExtensions(factory: PrismaPGlite): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => factory.connect(),
    connectToShadowDb: () => new PrismaPGlite(new PGlite({ extensions: pgliteExtensions })).connect(),
  };
}

/**
 * Migration scripts run whole, in one call of the driver: the PGlite adapter starts a script
 * without waiting for it (a failing script would be recorded as applied), and the pg adapter
 * splits it at every semicolon, which cuts function bodies apart. These adapters run the
 * script as one simple-protocol query and pass its error on.
 */
function wholeScripts(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter =>
    new Proxy(adapter, {
      get(target, property, receiver) {
        if (property !== 'executeScript') return Reflect.get(target, property, receiver);
        return async (script: string) => {
          const driver = (target as unknown as { client: PGlite | pg.Pool }).client;
          try {
            if ('exec' in driver) await driver.exec(script);
            else await driver.query(script);
          } catch (error) {
            const { code, severity, message, detail, column, hint } = error as Record<string, string | undefined>;
            throw new DriverAdapterError({
              kind: 'postgres',
              code: code ?? 'XX000',
              severity: severity ?? 'ERROR',
              message: message ?? String(error),
              detail,
              column,
              hint,
            });
          }
        };
      },
    });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => wrap(await factory.connectToShadowDb()),
  };
}

/**
 * Names for the statements Prisma sends, one per distinct SQL text, so that each connection
 * parses and analyzes a query shape once (a prepared statement) rather than on every request:
 * on the read benchmark's top-works statement that is 0.68 ms of database time instead of 0.95–1.15 ms
 * (pgbench, same statement, prepared vs extended protocol). Query shapes are finitely many, but
 * id lists of every length make new texts, so past `limit` shapes new ones go unprepared.
 */
export function statementNames(limit = 500): (query: { sql: string }) => string | undefined {
  const names = new Map<string, string>();
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined && names.size < limit) {
      name = `cg_${createHash('sha1').update(sql).digest('base64url')}`;
      names.set(sql, name);
    }
    return name;
  };
}

/**
 * Settings every API connection starts with. Statements are prepared once per connection but
 * still planned for their own parameter values: a plan made for one work's citations must not
 * serve a work with a thousand times more.
 */
const SESSION_SETTINGS = ['plan_cache_mode=force_custom_plan'];

/**
 * The URL with settings added to its `options` startup parameter (after any the URL or
 * PGOPTIONS already gives), which PostgreSQL applies as the connection starts: no extra round trip.
 */
export function withSessionSettings(url: string, settings: string[]): string {
  const parsed = new URL(url);
  const given = parsed.searchParams.get('options') ?? process.env.PGOPTIONS ?? '';
  parsed.searchParams.set('options', [given, ...settings.map((setting) => `-c ${setting}`)].join(' ').trim());
  return parsed.toString();
}

/** A client on a pool of its own, checked by one round trip; `setting` names where its URL came from. */
const pools = new WeakMap<PrismaClient, pg.Pool>();

async function postgresClient(url: string, setting: string, sessionSettings: string[]): Promise<PrismaClient> {
  const pool = new CancellablePool({
    connectionString: withSessionSettings(url, sessionSettings),
    max: 10,
    // pg waits forever for a free connection unless told otherwise.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  const adapterFactory = new PrismaPg(pool, {
    disposeExternalPool: true,
    // pg sends a statement whose name is undefined unprepared; the adapter's type says string only.
    statementNameGenerator: statementNames() as (query: { sql: string }) => string,
  });
  const prisma = new PrismaClient({ adapter: countingStatements(adapterFactory) });
  try {
    await prisma.$queryRaw`SELECT 1`;
  } catch (cause) {
    await prisma.$disconnect().catch(() => undefined);
    throw new DatabaseUnavailableError(await explainConnectionFailure(url, cause, setting), { cause });
  }
  pools.set(prisma, pool);
  return prisma;
}

async function openPostgres(url: string, replicaUrls: string[], statementTimeoutMs?: number): Promise<Db> {
  const settings = [
    ...SESSION_SETTINGS,
    ...(statementTimeoutMs
      ? [
          `statement_timeout=${statementTimeoutMs}`,
          `lock_timeout=${Math.min(statementTimeoutMs, 2_000)}`,
          `idle_in_transaction_session_timeout=${3 * statementTimeoutMs}`,
        ]
      : []),
  ];
  const prisma = await postgresClient(url, 'DATABASE_URL', settings);
  const replicas: PrismaClient[] = [];
  try {
    for (const replicaUrl of replicaUrls) {
      replicas.push(await postgresClient(replicaUrl, 'DATABASE_REPLICA_URLS', settings));
    }
  } catch (error) {
    await Promise.allSettled([prisma, ...replicas].map((client) => client.$disconnect()));
    throw error;
  }
  const readers = replicas.length > 0 ? replicas : [prisma];
  let next = 0;
  return {
    prisma,
    readers,
    poolUse: () => {
      const use = { total: 0, idle: 0, waiting: 0 };
      for (const client of [prisma, ...replicas]) {
        const pool = pools.get(client);
        use.total += pool?.totalCount ?? 0;
        use.idle += pool?.idleCount ?? 0;
        use.waiting += pool?.waitingCount ?? 0;
      }
      return use;
    },
    reader: () => {
      next = (next + 1) % readers.length;
      return readers[next] as PrismaClient;
    },
    pglite: null,
    connect: () => postgresConnection(url),
    // One connection, so the engine's session-level advisory lock is released on the
    // connection that took it; it closes itself once idle.
    migrationAdapter: () =>
      wholeScripts(new PrismaPg({ connectionString: url, max: 1, idleTimeoutMillis: 500, allowExitOnIdle: true })),
    description:
      replicas.length > 0
        ? `PostgreSQL at ${redact(url)}, reading from ${replicaUrls.map(redact).join(', ')}`
        : `PostgreSQL at ${redact(url)}`,
    close: async () => {
      await Promise.all([prisma, ...replicas].map((client) => client.$disconnect()));
    },
  };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'the configured URL';
  }
}

/** The driver adapter's classification of a connection failure, e.g. "DatabaseNotReachable". */
function failureKind(cause: unknown): string | undefined {
  const meta = (cause as { meta?: { driverAdapterError?: { cause?: { kind?: string } } } })?.meta;
  return meta?.driverAdapterError?.cause?.kind;
}

async function explainConnectionFailure(url: string, cause: unknown, setting: string): Promise<string> {
  const where = redact(url);
  const host = (() => {
    try {
      return new URL(url).hostname;
    } catch {
      return '';
    }
  })();
  switch (failureKind(cause)) {
    case 'DatabaseNotReachable': {
      const resolves = await lookup(host).then(
        () => true,
        () => false,
      );
      return resolves
        ? `Cannot reach PostgreSQL at ${where}: nothing is listening there. Start the server (docker compose up -d db) or fix ${setting}.`
        : `Cannot resolve the host "${host}" in ${setting}. Check the host name.`;
    }
    case 'DatabaseDoesNotExist':
      return `The database named in ${setting} (${where}) does not exist. Create it (createdb) or fix the name.`;
    case 'AuthenticationFailed':
      return `PostgreSQL at ${where} refused the credentials in ${setting}. Fix the user name or password.`;
    case 'SocketTimeout':
    case 'ConnectionTimeout':
      return `PostgreSQL at ${where} did not answer within 5 seconds. Check the host, port and firewall.`;
  }
  const text = cause instanceof Error ? cause.message.replace(/\s+/g, ' ').trim() : String(cause);
  // SQLSTATE class 28: invalid authorization (unknown role, wrong password).
  if (/Code: `28(000|P01)`/.test(text)) {
    return `PostgreSQL at ${where} refused the user or password in ${setting}: ${text.replace(/^.*Message: `|`$/g, '')}. Fix the credentials.`;
  }
  return `Cannot connect to PostgreSQL at ${where}: ${text}. Check ${setting}.`;
}
