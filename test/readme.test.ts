import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './kit.js';

/** Every example query of the README runs on the demo data and answers without an error. */

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```graphql\n(query (\w+)[\s\S]*?)```/g)].map((match) => ({
  name: match[2] as string,
  query: match[1] as string,
}));

describe('the README examples', () => {
  it('are there', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  for (const example of examples) {
    it(`${example.name} answers on the demo data`, async () => {
      const { status, body } = await app.post({ query: example.query });
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      expect(JSON.stringify(body.data)).not.toBe('{}');
    });
  }
});
