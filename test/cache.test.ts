import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseCache } from '../src/cache.js';
import { type Db, openDatabase } from '../src/db.js';
import { createLogger } from '../src/logger.js';
import { statementsSent } from '../src/metrics.js';
import { applyMigrations } from '../src/migrations.js';
import { type DataVersion, watchEmbedded, watchPostgres } from '../src/services/version.js';
import { buildYoga } from '../src/yoga.js';
import { cli, fixture, freshPostgresUrl, onPostgres } from './ingest-kit.js';

/**
 * The response cache: repeated reads answered without the database, and every import that
 * commits making the next read see the new figures, in-process and (on PostgreSQL) through
 * the notification another process's import sends. Redis shares answers between processes.
 */

const logger = createLogger('silent');
let db: Db;
let url = '';
let version: DataVersion;
const closers: (() => Promise<unknown>)[] = [];
let allButLast = '';

beforeAll(async () => {
  if (onPostgres()) {
    url = await freshPostgresUrl('cache');
    db = await openDatabase({ kind: 'postgres', url });
  } else {
    db = await openDatabase({ kind: 'memory' });
  }
  await applyMigrations(db.migrationAdapter());
  // Every work of the fixture but the last, so that importing the whole file adds one.
  const lines = (await readFile(fixture('openalex/works.jsonl'), 'utf8')).trimEnd().split('\n');
  allButLast = join(tmpdir(), `citegraph-cache-${process.pid}.jsonl`);
  await writeFile(allButLast, `${lines.slice(0, -1).join('\n')}\n`);
  expect((await cli(db, ['import', 'openalex', allButLast])).code).toBe(0);
  version = db.pglite ? await watchEmbedded(db.pglite) : await watchPostgres(url, logger);
});

afterAll(async () => {
  for (const close of closers) await close();
  await version?.close();
  await db?.close();
});

function app(options: { redisUrl?: string } = {}) {
  const cache = responseCache({ ttlSeconds: 60, maxEntries: 100, ...options }, version);
  closers.push(() => cache.close());
  const yoga = buildYoga({ prisma: db.prisma, logger, graphiql: false, cache });
  return async (query: string, headers: Record<string, string> = {}) => {
    const before = statementsSent();
    const response = await yoga.fetch('http://citegraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    const text = await response.text();
    return { response, body: text ? JSON.parse(text) : null, statements: statementsSent() - before };
  };
}

const worksCount = '{ works(first: 1) { totalCount nodes { title citationCount } } }';

describe('the response cache', () => {
  it('answers a repeated read without the database, with the same body, an ETag and a revalidation rule', async () => {
    const read = app();
    const first = await read(worksCount);
    expect(first.statements).toBeGreaterThan(0);
    const again = await read(worksCount);
    expect(again.statements).toBe(0);
    expect(again.body).toEqual(first.body);
    expect(again.response.headers.get('etag')).toBe(first.response.headers.get('etag'));
    expect(again.response.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    expect(first.response.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    const other = await read('{ works(first: 2) { totalCount } }');
    expect(other.statements).toBeGreaterThan(0);
  });

  it('answers 304 Not Modified to a client that sends the ETag back while the data stands', async () => {
    const read = app();
    const first = await read(worksCount);
    const etag = first.response.headers.get('etag') as string;
    const revalidated = await read(worksCount, { 'if-none-match': etag });
    expect(revalidated.response.status).toBe(304);
    expect(revalidated.statements).toBe(0);
  });

  it('gives the new figure on the first read after an import commits', async () => {
    const read = app();
    const before = await read(worksCount);
    const count = before.body.data.works.totalCount as number;
    expect((await read(worksCount)).statements).toBe(0);
    expect((await cli(db, ['import', 'openalex', fixture('openalex/works.jsonl')])).code).toBe(0);
    // The notification of the commit reaches the cache's version within moments.
    let after = await read(worksCount);
    for (let wait = 0; after.body.data.works.totalCount === count && wait < 50; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await read(worksCount);
    }
    const [stored] = await db.prisma.$queryRawUnsafe<{ n: number }[]>('SELECT count(*)::int AS n FROM work');
    expect(after.body.data.works.totalCount).not.toBe(count);
    expect(after.body.data.works.totalCount).toBe(stored?.n);
    expect(after.response.headers.get('etag')).not.toBe(before.response.headers.get('etag'));
  });

  it('is shared through Redis by several processes of one database', async () => {
    const processA = app({ redisUrl: 'redis://127.0.0.1:6379' });
    const processB = app({ redisUrl: 'redis://127.0.0.1:6379' });
    const query = `{ works(first: 3, filter: { yearFrom: 1900 }) { nodes { title } } } # ${Date.now()}`;
    const a = await processA(query);
    expect(a.statements).toBeGreaterThan(0);
    const b = await processB(query);
    expect(b.statements).toBe(0);
    expect(b.body).toEqual(a.body);
  });
});
