import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/**
 * Stopping the SQL of an execution that was stopped: useDeadline (src/limits.ts) runs each
 * execution with its abort signal here, and the API's connection pools (src/db.ts) cancel the
 * statement a request has running when its signal fires — the client went away, or the deadline
 * passed — rather than letting it run on to statement_timeout.
 */
export const executionSignal = new AsyncLocalStorage<AbortSignal>();

type QueryConfig = pg.QueryConfig & { rowMode?: 'array' };

/**
 * A pool whose one-statement queries, sent while an execution's signal is live, run on a
 * connection held for them, cancelled (PostgreSQL's cancel request, as psql's Ctrl-C sends it)
 * when the signal fires. The connection goes back to the pool only after the cancel request is
 * answered, so a cancel never reaches a statement of another request.
 */
export class CancellablePool extends pg.Pool {
  // pg's overloads: the adapter calls query(config) and awaits the promise.
  override query(...args: unknown[]): never {
    const signal = executionSignal.getStore();
    const [config] = args;
    if (!signal || args.length !== 1 || typeof config !== 'object' || config === null) {
      return (super.query as (...rest: unknown[]) => never)(...args);
    }
    if (signal.aborted) return Promise.reject(signal.reason) as never;
    return this.cancellable(config as QueryConfig, signal) as never;
  }

  private async cancellable(config: QueryConfig, signal: AbortSignal) {
    const client = await this.connect();
    // A checked-out connection has no listener of the pool's: an error it raises between
    // statements (the server shutting down) must not end the process, and the connection must
    // not go back to the pool.
    let broken: Error | undefined;
    const lost = (error: Error) => {
      broken = error;
    };
    client.on('error', lost);
    let cancelling: Promise<void> | undefined;
    const cancel = () => {
      cancelling = cancelBackend(this.options, client);
    };
    signal.addEventListener('abort', cancel, { once: true });
    try {
      return await client.query(config);
    } catch (error) {
      // A statement's own failure leaves the connection usable; a lost connection does not.
      if (!(error as { code?: unknown }).code || /^(08|57P)/.test(String((error as { code?: unknown }).code))) {
        broken ??= error as Error;
      }
      throw error;
    } finally {
      signal.removeEventListener('abort', cancel);
      await cancelling;
      client.off('error', lost);
      client.release(broken);
    }
  }
}

/** Sends PostgreSQL's cancel request for the statement `client` is running (none: nothing happens). */
async function cancelBackend(options: pg.PoolConfig, client: pg.PoolClient): Promise<void> {
  const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };
  const canceller = new pg.Client(options);
  // pg's protocol-level cancel: a connection that only carries the backend's key.
  const connection = (canceller as unknown as { connection: PgConnection }).connection;
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    connection.once('connect', () => {
      connection.cancel(processID, secretKey);
    });
    connection.once('end', done);
    connection.on('error', done);
    if (canceller.host?.startsWith('/')) connection.connect(`${canceller.host}/.s.PGSQL.${canceller.port}`);
    else connection.connect(canceller.port, canceller.host);
    setTimeout(done, 2_000).unref();
  });
}

interface PgConnection {
  once(event: string, listener: () => void): void;
  on(event: string, listener: () => void): void;
  cancel(processID: number, secretKey: number): void;
  connect(port: number | string, host?: string): void;
}
