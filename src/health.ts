import type { Plugin } from 'graphql-yoga';

/**
 * Probes for orchestrators: `GET /healthz` answers 200 while the process runs; `GET /readyz`
 * answers 200 only while the database answers and holds every migration this build ships, and
 * 503 with the reason otherwise, so a load balancer stops sending requests to a server whose
 * database is gone.
 */
export type ReadinessCheck = () => Promise<string | null>;

export function useHealth(ready: ReadinessCheck): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET') return;
      const json = (status: number, body: object) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status,
            headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
          }),
        );
      if (url.pathname === '/healthz') return json(200, { status: 'ok' });
      if (url.pathname !== '/readyz') return;
      const problem = await ready().catch((error: Error) => `the database does not answer: ${error.message}`);
      return problem ? json(503, { status: 'unavailable', reason: problem }) : json(200, { status: 'ready' });
    },
  };
}
