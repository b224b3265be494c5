import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import type { Sql } from '../sql.js';

/**
 * The data version: one number that every write changing what the API answers increases, in
 * the write's own transaction (the `data_changed()` function of the data_version migration),
 * with a notification on CHANNEL when it commits. Servers key their cached responses by it, so
 * a committed import batch or correction makes every earlier answer unreachable at once, in
 * every process listening — also processes sharing one Redis cache.
 */

export const CHANNEL = 'citegraph_data_version';

/**
 * Marks the data changed; call it inside the writing transaction. Returns the new version. The
 * version's row stays locked until the transaction ends, so writers take turns here: an import,
 * whose batches each take the next version, sees when another writer committed in between
 * (src/ingest/turns.ts).
 */
export async function dataChanged(sql: Pick<Sql, 'query'>): Promise<number> {
  const [row] = await sql.query<{ version: string }>('SELECT data_changed()::text AS version');
  return Number(row?.version);
}

export interface DataVersion {
  /** The database's id and the version the last notification (or the start) brought. */
  current(): string;
  /** False while the version cannot be followed: nothing may then be served from a cache. */
  known(): boolean;
  /**
   * Reads the version after a write of this process committed, so the answers it cached before
   * stop at once rather than when the notification arrives. With read replicas the notification
   * path alone moves it on (a standby may not have the write yet).
   */
  catchUp(): Promise<void>;
  close(): Promise<void>;
}

type Row = { database: string; version: string };

/** The database's id and its current version. */
const read = async (run: (text: string) => Promise<{ rows: Row[] }>): Promise<Row> => {
  const [row] = (await run('SELECT database::text AS database, version::text AS version FROM data_version')).rows;
  if (!row) throw new Error('data_version has no row: the database was not migrated by citegraph.');
  return row;
};

/** Follows the version of the embedded database: its writers run in this process. */
export async function watchEmbedded(pglite: PGlite): Promise<DataVersion> {
  const { database, version: start } = await read((text) => pglite.query<Row>(text));
  let version = start;
  const unlisten = await pglite.listen(CHANNEL, (payload) => {
    // Versions only move on: a late notification does not undo a catchUp.
    if (BigInt(payload) > BigInt(version)) version = payload;
  });
  return {
    current: () => `${database}.${version}`,
    known: () => true,
    async catchUp() {
      const { version: now } = await read((text) => pglite.query<Row>(text));
      if (BigInt(now) > BigInt(version)) version = now;
    },
    close: unlisten,
  };
}

/** The version a standby has replayed to. */
const replayedVersion = async (replica: PrismaClient): Promise<bigint> =>
  BigInt((await read(async (text) => ({ rows: await replica.$queryRawUnsafe<Row[]>(text) }))).version);

/**
 * Follows a PostgreSQL server's version on a connection of its own, reconnecting when it is
 * lost; until it is back the version is unknown and caches are bypassed rather than served stale.
 *
 * With read replicas the notification comes from the primary (standbys do not relay them) and
 * may arrive before the standbys have replayed the change: the version is unknown until every
 * replica has reached it, so no answer read from a lagging standby is cached under the new one.
 */
export async function watchPostgres(url: string, logger: Logger, replicas: PrismaClient[] = []): Promise<DataVersion> {
  let version: string | null = null;
  let database = '';
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let waiting: NodeJS.Timeout | undefined;
  /** Publishes `target` once every replica has replayed it. */
  const whenReplicated = (target: string) => {
    clearTimeout(waiting);
    const check = async () => {
      const reached = await Promise.all(replicas.map(replayedVersion)).then(
        (versions) => versions.every((at) => at >= BigInt(target)),
        () => false,
      );
      if (closed || latest !== target) return;
      if (reached) version = target;
      else waiting = setTimeout(check, 50);
    };
    void check();
  };
  let latest = '';
  const arrived = (payload: string) => {
    latest = payload;
    if (replicas.length === 0) {
      // Versions only move on: a late notification does not undo a catchUp.
      if (version === null || BigInt(payload) > BigInt(version)) version = payload;
      return;
    }
    version = null;
    whenReplicated(payload);
  };
  const connect = async () => {
    const next = new pg.Client({ connectionString: url, application_name: 'citegraph data version' });
    next.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload) arrived(message.payload);
    });
    next.on('error', (error) => {
      if (closed) return;
      logger.warn(`Lost the data version connection (${error.message}); cached answers are bypassed until it is back.`);
      version = null;
      client = null;
      next.end().catch(() => undefined);
      reconnect();
    });
    await next.connect();
    await next.query(`LISTEN ${CHANNEL}`);
    const row = await read((text) => next.query<Row>(text));
    database = row.database;
    arrived(row.version);
    client = next;
  };
  const reconnect = () => {
    retry = setTimeout(() => {
      if (!closed) connect().catch(reconnect);
    }, 1000);
  };
  await connect();
  return {
    current: () => `${database}.${version ?? 'unknown'}`,
    known: () => version !== null,
    async catchUp() {
      const listening = client as pg.Client | null;
      if (replicas.length > 0 || !listening || version === null) return;
      const row = await read((text) => listening.query<Row>(text)).catch(() => null);
      if (row && version !== null && BigInt(row.version) > BigInt(version)) version = row.version;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      clearTimeout(waiting);
      await (client as pg.Client | null)?.end();
    },
  };
}
