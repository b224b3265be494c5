import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statementNames } from '../src/db.js';
import { graphql } from './gql/index.js';
import { createTestApp, type TestApp } from './kit.js';

/**
 * PostgreSQL servers only (the pglite project leaves this file out): PGlite runs in the
 * process, where a statement costs no round trip to prepare.
 */

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

const TopWorks = graphql(`
  query PreparedTopWorks {
    works(first: 5) { nodes { title authors { name } } }
  }
`);

describe('prepared statements', () => {
  it("are named per SQL text and planned for each request's own values", async () => {
    await app.execute(TopWorks, {});
    // The pool hands the connection it was just given back first, so this reads the same session.
    const rows = await app.db.prisma.$queryRawUnsafe<{ name: string; statement: string; mode: string }[]>(
      "SELECT name, statement, current_setting('plan_cache_mode') AS mode FROM pg_prepared_statements",
    );
    const works = rows.find((row) => row.statement.includes('FROM "public"."work"'));
    expect(works?.name).toMatch(/^cg_[\w-]{27}$/);
    expect(rows[0]?.mode).toBe('force_custom_plan');
  });

  it('stop being named past the limit, so a flood of distinct texts cannot fill the server', () => {
    const name = statementNames(2);
    const first = name({ sql: 'SELECT 1' });
    expect(name({ sql: 'SELECT 1' })).toBe(first);
    expect(name({ sql: 'SELECT 2' })).not.toBe(first);
    expect(name({ sql: 'SELECT 3' })).toBeUndefined();
    expect(name({ sql: 'SELECT 1' })).toBe(first);
  });
});
