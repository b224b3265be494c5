import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { PrismaClient } from './generated/prisma/client.js';

/**
 * Migrations run through Prisma's own schema engine compiled to WebAssembly, so they
 * need no native binary and record themselves in `_prisma_migrations` exactly as
 * `prisma migrate deploy` does.
 */

const prismaDir = fileURLToPath(new URL('../prisma/', import.meta.url));
export const migrationsDir = join(prismaDir, 'migrations');
const lockfileName = 'migration_lock.toml';
const noFilters = { externalTables: [], externalEnums: [] };

// Node's WebAssembly global, typed just as far as it is used here.
const Wasm = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
    };
  }
).WebAssembly;

// The bindings module keeps one WebAssembly instance for the process; this module may be
// loaded more than once (e.g. by test runners), so the instance is made once per process.
const engineKey = Symbol.for('citegraph.schemaEngineWasm');
const processGlobals = globalThis as unknown as Record<symbol, Promise<void> | undefined>;

/** Instantiates the engine's .wasm ourselves: Node 20 cannot import it as an ES module. */
function loadEngine(): Promise<void> {
  processGlobals[engineKey] ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = join(
      require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/[^/]+$/, ''),
      'schema_engine_bg.wasm',
    );
    const { instance } = await Wasm.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': engineBindings });
    engineBindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return processGlobals[engineKey];
}

async function readDatamodel(): Promise<string> {
  return readFile(join(prismaDir, 'schema.prisma'), 'utf8');
}

export async function readMigrations(): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrationDirectories = await Promise.all(
    dirs.map(async (dir) => ({
      path: dir,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: await readFile(join(migrationsDir, dir, 'migration.sql'), 'utf8') },
      },
    })),
  );
  const lockContent = await readFile(join(migrationsDir, lockfileName), 'utf8').catch(
    () => 'provider = "postgresql"\n',
  );
  return {
    baseDir: migrationsDir,
    lockfile: { path: lockfileName, content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory | undefined,
): Promise<SchemaEngine> {
  await loadEngine();
  const datamodel = await readDatamodel();
  const logs: string[] = [];
  const adapter = adapterFactory ? bindMigrationAwareSqlAdapterFactory(adapterFactory) : undefined;
  return engineBindings.SchemaEngine.new(
    { datamodels: [['schema.prisma', datamodel]] },
    (line: string) => logs.push(line),
    adapter as object,
  );
}

/** A migration the database refused, told in the engine's own words without its stack. */
export class MigrationError extends Error {
  constructor(cause: unknown) {
    const text = cause instanceof Error ? cause.message : String(cause);
    const reason = text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !/^\d+: |^at |^with /.test(line))
      .join(' ');
    super(
      `The database could not be brought up to date with prisma/migrations: ${reason.replace(/\.?$/, '.')} If it was migrated by another version of citegraph, point DATABASE_URL (or DATA_DIR) at an empty database.`,
      { cause },
    );
    this.name = 'MigrationError';
  }
}

/** Names of the migrations `_prisma_migrations` records as applied; empty when it does not exist yet. */
async function appliedMigrationNames(prisma: PrismaClient): Promise<Set<string>> {
  const [table] = await prisma.$queryRawUnsafe<{ exists: boolean }[]>(
    `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`,
  );
  if (!table?.exists) return new Set();
  const rows = await prisma.$queryRawUnsafe<{ migration_name: string }[]>(
    'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  return new Set(rows.map((row) => row.migration_name));
}

/**
 * Applies every pending migration; returns the names of those it applied. When the database
 * already records every committed migration, the schema engine is not even loaded.
 */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  prisma?: PrismaClient,
): Promise<string[]> {
  if (prisma) {
    const applied = await appliedMigrationNames(prisma);
    const committed = (await readdir(migrationsDir, { withFileTypes: true })).filter((entry) => entry.isDirectory());
    if (committed.every((entry) => applied.has(entry.name))) return [];
  }
  const engine = await openSchemaEngine(adapterFactory);
  try {
    const migrationsList = await readMigrations();
    const result = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return result.appliedMigrationNames;
  } catch (cause) {
    throw new MigrationError(cause);
  } finally {
    engine.free();
  }
}

/**
 * The SQL that would bring a database migrated with the committed migrations up to
 * `schema.prisma`; empty when the two agree. The shadow database replays the migrations.
 */
export async function pendingSchemaChanges(shadow: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const engine = await openSchemaEngine(shadow);
  const migrations = await readMigrations();
  const datamodel = await readDatamodel();
  const from =
    migrations.migrationDirectories.length === 0
      ? ({ tag: 'empty' } as const)
      : ({ tag: 'migrations', ...migrations } as const);
  const result = await engine.diff({
    from,
    to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: datamodel }] },
    script: true,
    exitCode: null,
    filters: noFilters,
  });
  return (result.stdout ?? '').trim();
}
