import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../src/db.js';
import { applyMigrations } from '../src/migrations.js';
import { cli, fixture, freshPostgresUrl } from './ingest-kit.js';

/**
 * The real thing: `citegraph import` in its own process, stopped by Ctrl-C (SIGINT) or killed
 * outright (SIGKILL) while it writes, then run again to the end. A separate process needs a
 * database server, so only the postgres test project runs this file (see vitest.config.ts).
 */

const root = fileURLToPath(new URL('..', import.meta.url));

function start(url: string): ChildProcess {
  return spawn(
    process.execPath,
    ['bin/citegraph.mjs', 'import', 'openalex', fixture('openalex/works.jsonl'), '--batch-size', '40'],
    { cwd: root, env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/** Waits until the child has committed at least one batch. */
async function committed(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const result = await client
        .query(`SELECT max(lines_done) AS done FROM import_run`)
        .catch(() => ({ rows: [{ done: null }] }));
      const done = Number(result.rows[0]?.done ?? 0);
      if (done > 0) return done;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the import committed nothing');
  } finally {
    await client.end();
  }
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );

async function state(db: Db) {
  return db.prisma.$queryRawUnsafe<{ works: number; citations: number; people: number; counted: number }[]>(
    `SELECT (SELECT count(*)::int FROM work) AS works, (SELECT count(*)::int FROM citation) AS citations,
            (SELECT count(*)::int FROM person) AS people, (SELECT sum(citation_count)::int FROM work) AS counted`,
  );
}

describe('an import in its own process', () => {
  const open: Db[] = [];
  afterAll(async () => {
    for (const db of open) await db.close();
  });

  async function database(suffix: string) {
    const url = await freshPostgresUrl(suffix);
    const db = await openDatabase({ kind: 'postgres', url });
    await applyMigrations(db.migrationAdapter());
    open.push(db);
    return { url, db };
  }

  it('finishes the job after a kill, ending as an uninterrupted run', async () => {
    const reference = await database('kill_reference');
    expect((await cli(reference.db, ['import', 'openalex', fixture('openalex/works.jsonl')])).code).toBe(0);

    const killed = await database('kill');
    const child = start(killed.url);
    const done = await committed(killed.url);
    child.kill('SIGKILL');
    expect((await exited(child)).signal).toBe('SIGKILL');
    expect(done).toBeLessThan(824);

    const again = await cli(killed.db, ['import', 'openalex', fixture('openalex/works.jsonl'), '--json']);
    expect(again.summary.status).toBe('finished');
    expect(again.summary.resumedAfterLine).toBeGreaterThanOrEqual(done);
    expect(await state(killed.db)).toEqual(await state(reference.db));
  });

  it('stops after the current batch on Ctrl-C, exiting 130, and resumes', async () => {
    const { url, db } = await database('sigint');
    const child = start(url);
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    await committed(url);
    child.kill('SIGINT');
    expect((await exited(child)).code).toBe(130);
    expect(stderr).toContain('run the same command again to finish');
    const again = await cli(db, ['import', 'openalex', fixture('openalex/works.jsonl'), '--json']);
    expect(again.summary).toMatchObject({ status: 'finished', read: 824 });
    expect(again.summary.resumedAfterLine).toBeGreaterThan(0);
  });
});
