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

export function metricsText(): string {
  return [
    '# HELP citegraph_http_requests_total GraphQL requests received.',
    '# TYPE citegraph_http_requests_total counter',
    `citegraph_http_requests_total ${counters.requests}`,
    '# HELP citegraph_sql_statements_total SQL statements sent to the database by the API.',
    '# TYPE citegraph_sql_statements_total counter',
    `citegraph_sql_statements_total ${counters.statements}`,
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
  };
}
