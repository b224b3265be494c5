import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db.js';
import type { PrismaClient } from '../src/generated/prisma/client.js';
import { createLogger } from '../src/logger.js';
import { prepareDatabase } from '../src/setup.js';
import { buildYoga } from '../src/yoga.js';

/**
 * Serial latency of the dashboard queries, in process through yoga.fetch (no HTTP), on the
 * configured database: p50 and p95 in milliseconds and SQL statements per request.
 * Usage: npm run bench [-- iterations]   (DATABASE_URL selects PostgreSQL, as for the server)
 */
const iterations = Number(process.argv[2] ?? 200);

const queries: Record<string, string> = {
  'works page (20, authors, since-2014 counts)':
    '{ works(first: 20) { totalCount nodes { title citationCount since: citationCount(since: 2014) authors { name } } } }',
  'person page (works, metrics, co-authors, involvement)':
    '{ person(name: "Yangqing Jia") { works(first: 10) { totalCount nodes { title citationCount } } metrics { hIndex i10Index citationCount } since: metrics(since: 2014) { hIndex } coAuthors(first: 10) { person { name } worksTogether } frameworkInvolvement { year project { name } roles commits } } }',
  'top cited since 2014': '{ topCitedWorks(first: 20, since: 2014) { title citationCount(since: 2014) } }',
  'project contributors (100) with commits':
    '{ project(slug: "keras") { contributors(first: 100) { totalCount nodes { role startDate endDate commits person { name } } } activityByYear { year commits activeContributors } } }',
};

const config = loadConfig();
const logger = createLogger('warn');
const db = await openDatabase(config.database);
await prepareDatabase(db, logger, { seedIfEmpty: config.database.kind === 'embedded' });
let statements = 0;
const counting = db.prisma.$extends({
  query: {
    async $allOperations({ args, query }) {
      statements += 1;
      return query(args);
    },
  },
}) as unknown as PrismaClient;
const yoga = buildYoga({ prisma: counting, logger, graphiql: false });

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

console.log(`${db.description}, ${iterations} serial requests per query, Node ${process.version}`);
for (const [name, query] of Object.entries(queries)) {
  const run = async () => {
    const response = await yoga.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
  };
  for (let i = 0; i < 20; i++) await run();
  statements = 0;
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(56)} p50 ${quantile(times, 0.5).toFixed(2).padStart(6)} ms  p95 ${quantile(times, 0.95).toFixed(2).padStart(6)} ms  ${(statements / iterations).toFixed(1)} SQL/request`,
  );
}
await db.close();
