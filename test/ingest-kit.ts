import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { commands } from '../src/cli/commands.js';
import { main } from '../src/cli/main.js';
import { type Db, openDatabase } from '../src/db.js';
import type { PrismaClient } from '../src/generated/prisma/client.js';
import type { ImportSummary } from '../src/ingest/run.js';
import { applyMigrations } from '../src/migrations.js';

/**
 * Import tests write, so each test file gets its own empty, migrated database: an in-memory
 * PGlite, or a PostgreSQL database of its own next to TEST_DATABASE_URL's. Commands run in
 * process through the same entry point as bin/citegraph.mjs.
 */

export const fixture = (path: string) => fileURLToPath(new URL(`./fixtures/${path}`, import.meta.url));

/** A TCP port nothing listens on now, for a server or a database cluster a test starts. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export const onPostgres = () => process.env.CITEGRAPH_TEST_DB === 'postgres';

/** The URL of a PostgreSQL database named after TEST_DATABASE_URL's with `suffix`, created empty. */
export async function freshPostgresUrl(suffix: string): Promise<string> {
  const base = new URL(process.env.TEST_DATABASE_URL as string);
  const name = `${base.pathname.slice(1)}_${suffix}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  base.pathname = `/${name}`;
  return base.toString();
}

export async function emptyDatabase(suffix: string): Promise<Db> {
  const db = onPostgres()
    ? await openDatabase({ kind: 'postgres', url: await freshPostgresUrl(suffix) })
    : await openDatabase({ kind: 'memory' });
  await applyMigrations(db.migrationAdapter());
  return db;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The --json summary, when the command printed one. */
  summary: ImportSummary;
}

function collector() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** Runs `citegraph <argv>` against the test database. */
export async function cli(db: Db, argv: string[], signal = new AbortController().signal): Promise<CliResult> {
  const out = collector();
  const err = collector();
  const code = await main(commands, argv, {
    out: out.stream,
    err: err.stream as unknown as NodeJS.WriteStream,
    signal,
    withDatabase: (work) => work(db),
  });
  const stdout = out.text();
  let summary = {} as ImportSummary;
  if (argv.includes('--json')) summary = JSON.parse(stdout.slice(stdout.lastIndexOf('\n{\n') + 1 || 0));
  return { code, stdout, stderr: err.text(), summary };
}

/** Every data table, rows in key order, for "nothing changed" comparisons (import bookkeeping left out). */
export async function snapshot(prisma: PrismaClient): Promise<Record<string, unknown[]>> {
  const tables: Record<string, string> = {
    work: 'id',
    citation: 'citing_id, cited_id',
    reported_count: 'id',
    reported_yearly_count: 'reported_count_id, year',
    work_yearly_count: 'work_id, year',
    person: 'id',
    authorship: 'work_id, position',
    project: 'id',
    project_activity: 'project_id, person_id, month',
    contribution: 'id',
    work_project: 'work_id, project_id',
    identity_event: 'id',
    organization: 'id',
    affiliation: 'id',
    authorship_institution: 'work_id, position, organization_id',
    person_year: 'person_id, year',
    project_year: 'project_id, year',
    organization_work: 'organization_id, work_id',
    organization_year: 'organization_id, year',
    organization_citation_count: 'organization_id, citation_count, has_yearly_counts',
  };
  const result: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(tables))
    result[table] = await prisma.$queryRawUnsafe(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY ${order}`);
  return result;
}

/**
 * The organizations' rollups as kept and as recounted from scratch (the *_recount views of the
 * organization_rollups migration), for tests to compare after each write.
 */
export async function organizationRollups(prisma: PrismaClient) {
  const rows = (source: string, order: string) =>
    prisma.$queryRawUnsafe<unknown[]>(`SELECT to_jsonb(t) AS row FROM ${source} t ORDER BY ${order}`);
  const tables = {
    organization_work: 'organization_id, work_id',
    organization_year: 'organization_id, year',
    organization_citation_count: 'organization_id, citation_count, has_yearly_counts',
  };
  const kept: Record<string, unknown[]> = {};
  const recounted: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(tables)) {
    kept[table] = await rows(table, order);
    recounted[table] = await rows(`${table}_recount`, order);
  }
  return { kept, recounted };
}

/** Row counts of the data tables. */
export async function counts(prisma: PrismaClient): Promise<Record<string, number>> {
  const rows = await prisma.$queryRawUnsafe<{ table: string; count: number }[]>(
    `SELECT 'work' AS table, count(*)::int FROM work UNION ALL SELECT 'citation', count(*)::int FROM citation
     UNION ALL SELECT 'person', count(*)::int FROM person UNION ALL SELECT 'authorship', count(*)::int FROM authorship
     UNION ALL SELECT 'reported_count', count(*)::int FROM reported_count
     UNION ALL SELECT 'project_activity', count(*)::int FROM project_activity
     UNION ALL SELECT 'contribution', count(*)::int FROM contribution`,
  );
  return Object.fromEntries(rows.map((row) => [row.table, row.count]));
}
