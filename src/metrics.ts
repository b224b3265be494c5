import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import type { Plugin } from 'graphql-yoga';

/**
 * What the server tells operators about itself, at GET /metrics in Prometheus' text format:
 * requests served and SQL statements sent, counted since the process started. Dividing one by
 * the other gives the statements a request costs under real traffic; the read benchmark does so.
 */

const counters = { requests: 0, statements: 0 };

/** Counts every statement Prisma sends through the driver adapter, in transactions or not. */
export function countingStatements<Factory extends SqlDriverAdapterFactory>(factory: Factory): Factory {
  const counted = <Queryable extends SqlDriverAdapter | Transaction>(queryable: Queryable): Queryable =>
    new Proxy(queryable, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property === 'queryRaw' || property === 'executeRaw' || property === 'executeScript') {
          return (...args: unknown[]) => {
            counters.statements += 1;
            return (value as (...args: unknown[]) => unknown).apply(target, args);
          };
        }
        if (property === 'startTransaction') {
          return async (...args: unknown[]) =>
            counted(await (value as (...args: unknown[]) => Promise<Transaction>).apply(target, args));
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return new Proxy(factory, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === 'connect') return async () => counted(await target.connect());
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** SQL statements sent since the process started. */
export const statementsSent = () => counters.statements;

/** Upper bounds, in seconds, of the request duration histogram's buckets. */
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const durations = { buckets: durationBuckets.map(() => 0), sum: 0, count: 0 };
const statuses = new Map<number, number>();
const errorCodes = new Map<string, number>();
/** Reads of the response cache that found an answer, and those that did not. */
export const cacheReads = { hits: 0, misses: 0 };

export interface PoolUse {
  /** Connections open, idle among them, and requests waiting for one. */
  total: number;
  idle: number;
  waiting: number;
}
let poolUse: (() => PoolUse) | null = null;

/** Where the database connection pools' use is read from (PostgreSQL servers only). */
export function watchPools(read: () => PoolUse) {
  poolUse = read;
}

/** One HTTP response sent: its status and how long the request took. */
export function observeResponse(status: number, seconds: number) {
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  durations.sum += seconds;
  durations.count += 1;
  for (let index = 0; index < durationBuckets.length; index += 1) {
    if (seconds <= (durationBuckets[index] as number)) durations.buckets[index] = (durations.buckets[index] ?? 0) + 1;
  }
}

const metric = (name: string, type: string, help: string, lines: string[]) => [
  `# HELP ${name} ${help}`,
  `# TYPE ${name} ${type}`,
  ...lines,
];

export function metricsText(): string {
  const pools = poolUse?.();
  return [
    ...metric('citegraph_http_requests_total', 'counter', 'GraphQL requests received.', [
      `citegraph_http_requests_total ${counters.requests}`,
    ]),
    ...metric('citegraph_sql_statements_total', 'counter', 'SQL statements sent to the database by the API.', [
      `citegraph_sql_statements_total ${counters.statements}`,
    ]),
    ...metric(
      'citegraph_http_responses_total',
      'counter',
      'HTTP responses sent, by status.',
      [...statuses].map(([status, count]) => `citegraph_http_responses_total{status="${status}"} ${count}`),
    ),
    ...metric('citegraph_http_request_duration_seconds', 'histogram', 'Time from request to response.', [
      ...durationBuckets.map(
        (bound, index) => `citegraph_http_request_duration_seconds_bucket{le="${bound}"} ${durations.buckets[index]}`,
      ),
      `citegraph_http_request_duration_seconds_bucket{le="+Inf"} ${durations.count}`,
      `citegraph_http_request_duration_seconds_sum ${durations.sum}`,
      `citegraph_http_request_duration_seconds_count ${durations.count}`,
    ]),
    ...metric(
      'citegraph_graphql_errors_total',
      'counter',
      'Errors in GraphQL answers, by extensions.code.',
      [...errorCodes].map(([code, count]) => `citegraph_graphql_errors_total{code="${code}"} ${count}`),
    ),
    ...metric('citegraph_response_cache_reads_total', 'counter', 'Response cache reads, by result.', [
      `citegraph_response_cache_reads_total{result="hit"} ${cacheReads.hits}`,
      `citegraph_response_cache_reads_total{result="miss"} ${cacheReads.misses}`,
    ]),
    ...(pools
      ? metric('citegraph_db_pool_connections', 'gauge', 'Database connections of the API, by state.', [
          `citegraph_db_pool_connections{state="open"} ${pools.total}`,
          `citegraph_db_pool_connections{state="idle"} ${pools.idle}`,
          `citegraph_db_pool_connections{state="waiting"} ${pools.waiting}`,
        ])
      : []),
    '',
  ].join('\n');
}

/** Serves GET /metrics and counts the GraphQL requests. */
export function useMetrics(): Plugin {
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname === '/metrics' && request.method === 'GET') {
        // The server's own Response class: compression and the other plugins handle only its bodies.
        endResponse(new fetchAPI.Response(metricsText(), { headers: { 'content-type': 'text/plain; version=0.0.4' } }));
        return;
      }
      counters.requests += 1;
    },
    onResultProcess({ result }) {
      for (const single of Array.isArray(result) ? result : [result]) {
        for (const error of (single as { errors?: readonly { extensions?: { code?: unknown } }[] }).errors ?? []) {
          const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
          errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
        }
      }
    },
  };
}
