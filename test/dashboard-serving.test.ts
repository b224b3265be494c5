import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDashboard } from '../src/dashboard.js';

/**
 * The dashboard's files as the server answers them, from a build laid out as scripts/build.mjs
 * writes one, in front of a stand-in API that records what reaches it.
 */

const indexHtml = `<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div>${' '.repeat(600)}</body></html>`;
const script = `console.log(${JSON.stringify('citegraph '.repeat(200))});`;

let built: string;
let empty: string;
const apiSaw: string[] = [];

async function serve(directory: string): Promise<{ server: Server; origin: string }> {
  const server = createServer(
    withDashboard((request, response) => {
      apiSaw.push(`${request.method} ${request.url}`);
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ api: request.url }));
    }, directory),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let withBuild: { server: Server; origin: string };
let withoutBuild: { server: Server; origin: string };

beforeAll(async () => {
  built = await mkdtemp(join(tmpdir(), 'citegraph-dashboard-'));
  empty = await mkdtemp(join(tmpdir(), 'citegraph-no-dashboard-'));
  await mkdir(join(built, 'assets'));
  await writeFile(join(built, 'index.html'), indexHtml);
  await writeFile(join(built, 'index.html.gz'), gzipSync(indexHtml));
  await writeFile(join(built, 'index.html.br'), brotliCompressSync(indexHtml));
  await writeFile(join(built, 'assets/index-Ab12Cd34.js'), script);
  await writeFile(join(built, 'assets/index-Ab12Cd34.js.gz'), gzipSync(script));
  await writeFile(join(built, 'assets/index-Ab12Cd34.js.br'), brotliCompressSync(script));
  await writeFile(join(built, 'assets/index-Ef56Gh78.css'), 'body{margin:0}');
  await writeFile(join(built, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(built, '.built'), 'stamp');
  withBuild = await serve(built);
  withoutBuild = await serve(empty);
});

afterAll(async () => {
  withBuild?.server.close();
  withoutBuild?.server.close();
  await rm(built, { recursive: true, force: true });
  await rm(empty, { recursive: true, force: true });
});

/** Node's fetch decodes bodies itself; the raw bytes and headers are what a browser is sent. */
async function raw(origin: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
    const sent = request(`${origin}${path}`, { headers, method: headers['x-method'] ?? 'GET' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers as Record<string, string>,
          body: Buffer.concat(chunks),
        }),
      );
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('the built dashboard', () => {
  it('answers / with index.html that browsers revalidate on every load', async () => {
    const page = await raw(withBuild.origin, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.headers['content-encoding']).toBeUndefined();
    expect(page.body.toString()).toBe(indexHtml);
  });

  it('answers each client-side page address with index.html', async () => {
    for (const path of [
      '/search?q=Jia',
      '/person/UGVyc29uOjIw',
      '/project/UHJvamVjdDox',
      '/work/V29yazox?citedAfter=abc',
      '/organization/T3JnYW5pemF0aW9uOjE%3D/',
    ]) {
      const page = await raw(withBuild.origin, path);
      expect(page.status, path).toBe(200);
      expect(page.body.toString(), path).toBe(indexHtml);
    }
  });

  it('sends hashed assets with their content type, cached for a year as immutable', async () => {
    const asset = await raw(withBuild.origin, '/assets/index-Ab12Cd34.js');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body.toString()).toBe(script);
    const style = await raw(withBuild.origin, '/assets/index-Ef56Gh78.css');
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    const icon = await raw(withBuild.origin, '/favicon.svg');
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('sends the brotli copy to clients that take it, else the gzip copy, else the file', async () => {
    const brotli = await raw(withBuild.origin, '/assets/index-Ab12Cd34.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers.vary).toBe('accept-encoding');
    expect(brotliDecompressSync(brotli.body).toString()).toBe(script);
    expect(brotli.body.length).toBeLessThan(script.length);
    const gzip = await raw(withBuild.origin, '/assets/index-Ab12Cd34.js', { 'accept-encoding': 'gzip, br;q=0' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(script);
    const page = await raw(withBuild.origin, '/person/UGVyc29uOjIw', { 'accept-encoding': 'gzip' });
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(page.body).toString()).toBe(indexHtml);
    const identity = await raw(withBuild.origin, '/assets/index-Ab12Cd34.js', { 'accept-encoding': 'identity' });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.toString()).toBe(script);
  });

  it('answers a revalidation with 304 when the file is unchanged, and HEAD without a body', async () => {
    const first = await raw(withBuild.origin, '/');
    const again = await raw(withBuild.origin, '/', { 'if-none-match': first.headers.etag as string });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const head = await raw(withBuild.origin, '/', { 'x-method': 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(indexHtml.length));
    expect(head.body.length).toBe(0);
  });

  it('answers an unknown hashed asset with 404, not with the page', async () => {
    const missing = await raw(withBuild.origin, '/assets/index-Old00000.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('leaves the API and its probes alone, and serves no build bookkeeping', async () => {
    apiSaw.length = 0;
    const paths = [
      '/graphql',
      '/graphql?query=%7B__typename%7D',
      '/healthz',
      '/readyz',
      '/metrics',
      '/.built',
      '/nope',
    ];
    for (const path of paths) {
      const answer = await raw(withBuild.origin, path, { accept: 'text/html' });
      expect(JSON.parse(answer.body.toString()), path).toEqual({ api: path });
    }
    await raw(withBuild.origin, '/', { 'x-method': 'POST' });
    expect(apiSaw).toEqual([...paths.map((path) => `GET ${path}`), 'POST /']);
  });
});

describe('without a build', () => {
  it('says at / and at page addresses how to build the dashboard', async () => {
    for (const path of ['/', '/person/UGVyc29uOjIw']) {
      const page = await raw(withoutBuild.origin, path);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body.toString()).toContain('npm run build');
    }
  });

  it('still hands the API its requests', async () => {
    const answer = await raw(withoutBuild.origin, '/graphql');
    expect(JSON.parse(answer.body.toString())).toEqual({ api: '/graphql' });
  });
});
