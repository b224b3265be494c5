import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { freePort } from './ingest-kit.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface StartedServer {
  process: ChildProcess;
  port: number;
  /** Everything the server printed so far. */
  readonly log: string;
  exited: Promise<number | null>;
  /** Kills the server if it still runs and removes its embedded database. */
  stop(): Promise<void>;
}

/**
 * The production server (`node dist/server.js`) as users run it, on a free port of 127.0.0.1: on the
 * PostgreSQL test database, or on an embedded database on disk started from the suite's loaded copy.
 * Resolves once it serves GraphQL.
 */
export async function startServer(extraEnv: Record<string, string> = {}): Promise<StartedServer> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    ...extraEnv,
  };
  let dataDir: string | null = null;
  if (process.env.CITEGRAPH_TEST_DB === 'postgres') {
    env.DATABASE_URL = process.env.TEST_DATABASE_URL as string;
  } else {
    dataDir = await mkdtemp(join(tmpdir(), 'citegraph-server-'));
    const copy = new PGlite(dataDir, { loadDataDir: new Blob([await readFile(inject('pgliteDump'))]) });
    await copy.waitReady;
    await copy.close();
    env.DATABASE_URL = '';
    env.DATA_DIR = dataDir;
  }
  const port = await freePort();
  env.PORT = String(port);
  const child = spawn(process.execPath, ['dist/server.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (chunk) => {
    log += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    log += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  for (let attempt = 0; !log.includes('serving GraphQL'); attempt += 1) {
    if (child.exitCode !== null || attempt > 600) throw new Error(`The server did not start:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    process: child,
    port,
    get log() {
      return log;
    },
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGKILL');
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
