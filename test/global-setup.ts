import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db.js';
import { applyMigrations } from '../src/migrations.js';
import { seedDemo } from '../src/seed/demo.js';

/**
 * Prepares one migrated database holding the demo dataset per run. PostgreSQL: the database
 * at TEST_DATABASE_URL is emptied and loaded. PGlite: a loaded database is dumped to a file
 * that every test file starts its own in-memory copy from.
 */
export default async function setup(project: TestProject) {
  const kind = project.config.env?.CITEGRAPH_TEST_DB;
  if (kind === 'postgres') {
    const url = process.env.TEST_DATABASE_URL as string;
    const db = await openDatabase({ kind: 'postgres', url });
    try {
      await db.prisma.$executeRawUnsafe('DROP SCHEMA IF EXISTS public CASCADE');
      await db.prisma.$executeRawUnsafe('CREATE SCHEMA public');
      await applyMigrations(db.migrationAdapter());
      await seedDemo(db.prisma);
    } finally {
      await db.close();
    }
    return;
  }
  const db = await openDatabase({ kind: 'memory' });
  try {
    await applyMigrations(db.migrationAdapter());
    await seedDemo(db.prisma);
    const dump = await db.pglite?.dumpDataDir('gzip');
    if (!dump) throw new Error('PGlite did not dump its data directory.');
    const path = join(tmpdir(), `citegraph-test-${process.pid}.tar.gz`);
    await writeFile(path, Buffer.from(await dump.arrayBuffer()));
    project.provide('pgliteDump', path);
  } finally {
    await db.close();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
  }
}
