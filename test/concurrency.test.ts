import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../src/db.js';
import { applyMigrations } from '../src/migrations.js';
import { cli, freshPostgresUrl, organizationRollups } from './ingest-kit.js';

/**
 * Writers side by side on a PostgreSQL server (the pglite project leaves this file out: the
 * embedded database has one connection). organization_work is recomputed from the rows a writer
 * can see; a write whose transaction is still open when an import batch runs must not leave it
 * short of what both committed. The import notices that another writer took a data version
 * between its own, and reconciles the rollups with their recounts when it ends.
 */

let db: Db;
let url: string;
let writer: pg.Client;
let folder: string;

beforeAll(async () => {
  url = await freshPostgresUrl('concurrency');
  db = await openDatabase({ kind: 'postgres', url });
  await applyMigrations(db.migrationAdapter());
  writer = new pg.Client({ connectionString: url });
  await writer.connect();
  folder = await mkdtemp(join(tmpdir(), 'citegraph-concurrency-'));
});
afterAll(async () => {
  await writer?.end();
  await db?.close();
});

/** A CSL-JSON file of one work by Cora Quist and Dana Roe (a co-author makes her the same person), published in `year`. */
async function workFile(name: string, title: string, year: number): Promise<string> {
  const path = join(folder, `${name}.json`);
  await writeFile(
    path,
    JSON.stringify([
      {
        id: name,
        type: 'article-journal',
        title,
        DOI: `10.5555/concurrency-${name}`,
        issued: { 'date-parts': [[year]] },
        author: [
          { family: 'Quist', given: 'Cora' },
          { family: 'Roe', given: 'Dana' },
        ],
      },
    ]),
  );
  return path;
}

/** Until `done` settles or another session of this database waits on a lock. */
async function blockedOrDone(done: Promise<unknown>): Promise<'blocked' | 'done'> {
  let settled = false;
  void done.finally(() => {
    settled = true;
  });
  for (;;) {
    if (settled) return 'done';
    // Not asked on the writer's connection: inside its transaction the statistics stand still.
    const waiting = await db.prisma.$queryRawUnsafe<unknown[]>(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (waiting.length > 0) return 'blocked';
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('an import beside a write', () => {
  it('ends with the organization holding the work the two make a member', async () => {
    expect((await cli(db, ['import', 'csl', await workFile('earlier', 'Before the lab', 2012)])).code).toBe(0);
    const [person] = await db.prisma.$queryRawUnsafe<{ id: number }[]>(
      `SELECT id FROM person WHERE name = 'Cora Quist'`,
    );
    const [lab] = await db.prisma.$queryRawUnsafe<{ id: number }[]>(
      `INSERT INTO organization (slug, name) VALUES ('quist-lab', 'Quist Lab') RETURNING id`,
    );

    // A correction as the API writes one: the data version first, then an affiliation over
    // 2014–2016, its transaction left open.
    await writer.query('BEGIN');
    await writer.query('SELECT data_changed()');
    await writer.query(
      `INSERT INTO affiliation (person_id, organization_id, kind, start_date, start_precision, end_date, end_precision, ended, source, evidence)
       VALUES ($1, $2, 'EMPLOYMENT', '2014-01-01', 'YEAR', '2016-12-31', 'YEAR', true, 'test', 'a correction')`,
      [person?.id, lab?.id],
    );

    // Meanwhile an import brings her 2015 paper: a member of the lab once both have committed.
    // Its batch, written without the affiliation in sight, waits for the version's row to commit.
    const imported = cli(db, ['import', 'csl', await workFile('during', 'In the lab', 2015), '--json']);
    expect(await blockedOrDone(imported)).toBe('blocked');
    await writer.query('COMMIT');
    const { code, summary } = await imported;
    expect(code).toBe(0);
    // It then sees that another writer came first, and reconciles the rollups with a recount.
    expect(summary.problems).toContainEqual(
      expect.objectContaining({
        kind: 'warning',
        reason: expect.stringMatching(
          /^another writer committed while this import ran: [1-9]\d* rollup rows were corrected/,
        ),
      }),
    );

    const organizations = await organizationRollups(db.prisma);
    expect(organizations.kept).toEqual(organizations.recounted);
    const members = await db.prisma.$queryRawUnsafe<{ title: string }[]>(
      `SELECT w.title FROM organization_work o JOIN work w ON w.id = o.work_id WHERE o.organization_id = $1`,
      lab?.id,
    );
    expect(members).toEqual([{ title: 'In the lab' }]);
  });
});
