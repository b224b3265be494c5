import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, revokeKey } from '../src/services/keys.js';
import { cli } from './ingest-kit.js';
import { createTestApp, type TestApp } from './kit.js';

/** API keys: writes need one with the right scope, refused before validation; bad keys are 401 always. */

let app: TestApp;
let keys: { read: string; write: string; revoked: string };
beforeAll(async () => {
  app = await createTestApp({ ownDatabase: 'auth' });
  const revoked = await createKey(app.db.prisma, 'old laptop', 'WRITE');
  await revokeKey(app.db.prisma, revoked.id);
  keys = {
    read: (await createKey(app.db.prisma, 'dashboard', 'READ')).key,
    write: (await createKey(app.db.prisma, 'nightly import', 'WRITE')).key,
    revoked: revoked.key,
  };
});
afterAll(() => app?.close());

const write = { query: 'mutation { upsertWork(input: { title: "A title alone" }) { created } }' };
const read = { query: '{ works(first: 1) { nodes { title } } }' };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function refused(body: unknown, headers: Record<string, string>, status: number, code: string) {
  const response = await app.post(body, headers);
  expect(response.status).toBe(status);
  expect(response.body.errors[0].extensions.code).toBe(code);
  expect(response.body.data).toBeUndefined();
  expect(app.statements()).toBeLessThanOrEqual(1); // at most the key's own lookup
  return response;
}

describe('writes', () => {
  it('are refused with 401 without a key, before validation says anything of the schema', async () => {
    const response = await refused(write, {}, 401, 'UNAUTHENTICATED');
    expect(JSON.stringify(response.body)).not.toMatch(/upsertWork|Cannot query|Did you mean/);
    expect(app.statements()).toBe(0);
  });

  it('are refused when the mutation is one of several operations, chosen by name', async () => {
    const body = {
      query: `query Q { __typename } mutation M { upsertWork(input: { title: "x" }) { created } }`,
      operationName: 'M',
    };
    await refused(body, {}, 401, 'UNAUTHENTICATED');
    expect((await app.post({ ...body, operationName: 'Q' })).status).toBe(200);
  });

  it('are refused with 403 for a read-only key', async () => {
    await refused(write, bearer(keys.read), 403, 'FORBIDDEN');
  });

  it('are carried out with a write key', async () => {
    const response = await app.post(
      { query: 'mutation { upsertWork(input: { title: "A title alone" }) { created work { title } } }' },
      bearer(keys.write),
    );
    expect(response.body).toMatchObject({ data: { upsertWork: { created: true, work: { title: 'A title alone' } } } });
  });
});

describe('keys', () => {
  it('that are unknown, revoked or malformed are refused with 401 on reads too', async () => {
    for (const headers of [
      bearer(keys.revoked),
      bearer(`cg_${'x'.repeat(43)}`),
      bearer('not-a-key'),
      { authorization: `Basic ${keys.write}` },
    ]) {
      await refused(read, headers, 401, 'UNAUTHENTICATED');
    }
  });

  it('are not needed for reads by default, and a valid one reads', async () => {
    expect((await app.post(read)).status).toBe(200);
    const response = await app.post(read, bearer(keys.read));
    expect(response.status).toBe(200);
    expect(response.body.data.works.nodes).toHaveLength(1);
  });

  it('are needed for reads too where the server is configured so', async () => {
    const closed = await createTestApp({ requireKeyForReads: true });
    try {
      const key = (await createKey(closed.db.prisma, 'reader', 'READ')).key;
      expect((await closed.post(read)).status).toBe(401);
      expect((await closed.post(read, bearer(key))).status).toBe(200);
    } finally {
      await closed.close();
    }
  });

  it('are created, listed and revoked with the command line, stored only as hashes', async () => {
    const run = async (argv: string[]) => {
      const { code, stdout, stderr } = await cli(app.db, argv);
      return { code, out: stdout, err: stderr };
    };
    const created = await run(['keys', 'create', '--name', 'ci', '--scope', 'admin']);
    expect(created.code).toBe(0);
    const key = created.out.trim();
    expect(key).toMatch(/^cg_[\w-]{43}$/);
    expect(created.err).toMatch(/shown this once/);
    const stored = await app.db.prisma.apiKey.findFirst({ where: { name: 'ci' } });
    expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(key);
    const listed = await run(['keys', 'list']);
    expect(listed.out).toContain(`${stored?.id}\tadmin\t${key.slice(0, 11)}…\tci\t`);
    expect(listed.out).not.toContain(key);
    expect((await run(['keys', 'revoke', String(stored?.id)])).code).toBe(0);
    expect((await run(['keys', 'list'])).out).toMatch(new RegExp(`^${stored?.id}\\t.*\\trevoked `, 'm'));
    expect((await run(['keys', 'revoke', String(stored?.id)])).code).toBe(1);
    expect((await run(['keys', 'create', '--name', 'x', '--scope', 'root'])).code).not.toBe(0);
  });
});
