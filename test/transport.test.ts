import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './kit.js';

/** Transport defaults for a public server: CSRF, CORS, introspection and suggestions. */

let app: TestApp;
let open: TestApp;
beforeAll(async () => {
  // As in production: introspection off, one dashboard origin allowed.
  app = await createTestApp({ introspection: false, corsOrigins: ['https://dashboard.example.org'] });
  open = await createTestApp();
});
afterAll(async () => {
  await app?.close();
  await open?.close();
});

describe('requests a browser sends cross-site without asking', () => {
  it('are refused with 415 when they carry an operation as a form or plain text', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const response = await app.post('query=%7B__typename%7D', { 'content-type': type });
      expect(response.status, type).toBe(415);
      expect(response.body.errors[0].extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(app.statements()).toBe(0);
    }
    expect((await app.post({ query: '{ __typename }' })).status).toBe(200);
  });
});

describe('CORS', () => {
  it('answers a listed origin, without credentials, and never reflects another', async () => {
    const listed = await app.post({ query: '{ __typename }' }, { origin: 'https://dashboard.example.org' });
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://dashboard.example.org');
    expect(listed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await app.post({ query: '{ __typename }' }, { origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });

  it('reflects no origin when none is configured', async () => {
    const response = await open.post({ query: '{ __typename }' }, { origin: 'https://evil.example' });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('introspection', () => {
  it('is refused when turned off, and unknown fields get no suggestions', async () => {
    const schema = await app.post({ query: '{ __schema { types { name } } }' });
    expect(schema.status).toBe(400);
    expect(schema.body.errors[0].message).toMatch(/introspection/i);
    const typo = await app.post({ query: '{ wrks(first: 1) { nodes { title } } }' });
    expect(typo.body.errors[0].message).toBe('Cannot query field "wrks" on type "Query".');
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean/);
    // __typename is not introspection of the schema.
    expect((await app.post({ query: '{ __typename }' })).status).toBe(200);
  });

  it('answers with suggestions where it is on', async () => {
    const schema = await open.post({ query: '{ __schema { queryType { name } } }' });
    expect(schema.body.data.__schema.queryType.name).toBe('Query');
    const typo = await open.post({ query: '{ wrks(first: 1) { nodes { title } } }' });
    expect(typo.body.errors[0].message).toMatch(/Did you mean "works"/);
  });
});
