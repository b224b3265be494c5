import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The dashboard (dashboard/, built into dist/dashboard) at `/`: its files, and index.html for
 * each of its own page addresses so that a reloaded or shared link opens the page. It answers
 * only those addresses; every other request (/graphql, /healthz, /readyz, /metrics, …) goes on
 * to the API untouched.
 *
 * The build is read into memory once, with the gzip and brotli copies the build wrote: it is a
 * few hundred kilobytes and changes only with a new build, which needs a restart anyway.
 */

/** dist/dashboard, from src/ (npm run dev) and from dist/ (npm start) alike. */
export const builtDashboard = fileURLToPath(new URL('../dist/dashboard/', import.meta.url));

/** The dashboard's client-side pages; anything else is not the dashboard's to answer. */
const pageAddress = /^\/(?:search|(?:person|project|work|organization)\/[^/]+)\/?$/;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Hashed names never change content; the page itself is checked on every load. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const SHORT = 'public, max-age=3600';

/**
 * Same-origin only: the dashboard loads nothing from any other host. Mantine sets its theme in
 * style attributes and one style element, hence 'unsafe-inline' for styles alone.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

interface StaticFile {
  body: Buffer;
  gzip: Buffer | null;
  brotli: Buffer | null;
  type: string;
  cacheControl: string;
  etag: string;
}

/** Whether a build is there to serve (the server says at start where the dashboard is, or that it is not built). */
export function dashboardIsBuilt(directory = builtDashboard): boolean {
  return existsSync(join(directory, 'index.html'));
}

export type NodeHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * A request handler that answers the dashboard's addresses and passes every other request to
 * `next` (the API).
 */
export function withDashboard(next: NodeHandler, directory = builtDashboard): NodeHandler {
  let files = readBuild(directory);
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next(request, response);
    const path = pathOf(request.url);
    if (path === null) return next(request, response);
    const isPage = path === '/' || path === '/index.html' || pageAddress.test(path);
    // A build made after the server started is picked up by the first page load.
    if (isPage && !files.has('/index.html')) files = readBuild(directory);
    const file = isPage ? files.get('/index.html') : files.get(path);
    if (file) return send(request, response, file);
    if (isPage) return notBuilt(request, response);
    if (path.startsWith('/assets/')) return missingAsset(response);
    return next(request, response);
  };
}

function pathOf(url: string | undefined): string | null {
  const raw = (url ?? '/').split('?')[0] ?? '/';
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

function readBuild(directory: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!dashboardIsBuilt(directory)) return files;
  for (const entry of readdirSync(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const extension = extname(entry.name);
    if (extension === '.gz' || extension === '.br') continue;
    const full = join(entry.parentPath, entry.name);
    const address = `/${relative(directory, full).split(sep).join('/')}`;
    const body = readFileSync(full);
    const sibling = (suffix: string) => (existsSync(full + suffix) ? readFileSync(full + suffix) : null);
    files.set(address, {
      body,
      gzip: sibling('.gz'),
      brotli: sibling('.br'),
      type: contentTypes[extension] ?? 'application/octet-stream',
      cacheControl: address === '/index.html' ? REVALIDATE : address.startsWith('/assets/') ? IMMUTABLE : SHORT,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    });
  }
  return files;
}

/** The encodings the client takes, by the Accept-Encoding header (q=0 refuses one). */
function accepted(header: string | string[] | undefined): Set<string> {
  const encodings = new Set<string>();
  for (const part of String(header ?? '').split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    const refused = parameters.some((parameter) => /^\s*q\s*=\s*0(?:\.0*)?\s*$/.test(parameter));
    if (name && !refused) encodings.add(name.trim());
  }
  return encodings;
}

function send(request: IncomingMessage, response: ServerResponse, file: StaticFile) {
  response.setHeader('content-type', file.type);
  response.setHeader('cache-control', file.cacheControl);
  response.setHeader('etag', file.etag);
  response.setHeader('vary', 'accept-encoding');
  response.setHeader('x-content-type-options', 'nosniff');
  if (file.type.startsWith('text/html')) {
    response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    response.setHeader('referrer-policy', 'same-origin');
  }
  if (request.headers['if-none-match'] === file.etag) {
    response.statusCode = 304;
    response.end();
    return;
  }
  const encodings = accepted(request.headers['accept-encoding']);
  let body = file.body;
  if (file.brotli && encodings.has('br')) {
    body = file.brotli;
    response.setHeader('content-encoding', 'br');
  } else if (file.gzip && (encodings.has('gzip') || encodings.has('x-gzip'))) {
    body = file.gzip;
    response.setHeader('content-encoding', 'gzip');
  }
  response.setHeader('content-length', body.length);
  response.statusCode = 200;
  response.end(request.method === 'HEAD' ? undefined : body);
}

function notBuilt(request: IncomingMessage, response: ServerResponse) {
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>citegraph</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>The dashboard is not built</h1>
<p>Build it with <code>npm run build</code> (or start with <code>npm start</code>, which builds it when its sources
changed), then reload this page.</p>
<p>The GraphQL API answers at <a href="/graphql">/graphql</a>.</p>
</body></html>
`;
  response.statusCode = 200;
  response.setHeader('content-type', 'text/html; charset=utf-8');
  response.setHeader('cache-control', REVALIDATE);
  response.setHeader('content-length', Buffer.byteLength(page));
  response.end(request.method === 'HEAD' ? undefined : page);
}

function missingAsset(response: ServerResponse) {
  // A page loaded before a new build asks for the old hashed names: a plain 404, never index.html.
  response.statusCode = 404;
  response.setHeader('content-type', 'text/plain; charset=utf-8');
  response.setHeader('cache-control', REVALIDATE);
  response.end('Not found\n');
}
