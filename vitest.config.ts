import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The suite runs against the embedded database (PGlite) always, and again against a
 * PostgreSQL server when TEST_DATABASE_URL is set.
 */
const postgres = process.env.TEST_DATABASE_URL;

export default defineConfig({
  // Node loads graphql's CommonJS entry for the server's dependencies; the tests must use
  // the same copy, or errors thrown by resolvers fail Yoga's GraphQLError check.
  resolve: { alias: { graphql: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'pglite',
          env: { CITEGRAPH_TEST_DB: 'pglite' },
          globalSetup: ['test/global-setup.ts'],
          // Imports run in a second process there, which needs a database server; replicas,
          // and locks held from a second connection, are PostgreSQL servers' own.
          exclude: [
            ...configDefaults.exclude,
            'test/interrupt.test.ts',
            'test/replica.test.ts',
            'test/prepared.test.ts',
            'test/timeouts.test.ts',
            'test/adversarial-postgres.test.ts',
            'test/concurrency.test.ts',
          ],
        },
      },
      ...(postgres
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                env: { CITEGRAPH_TEST_DB: 'postgres' },
                globalSetup: ['test/global-setup.ts'],
                // The files share one database: they read it only, but the setup owns it.
                fileParallelism: false,
              },
            },
          ]
        : []),
    ],
  },
});
