import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './kit.js';

/** Positions as the seed article gives them: confirmed ones, and the one it only reports. */

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('Affiliation.status', () => {
  it('is REPORTED exactly for the positions facts.json marks reported: Alibaba, open as reported', async () => {
    const facts = JSON.parse(await readFile(new URL('../data/demo/facts.json', import.meta.url), 'utf8')) as {
      affiliations: { organization: string; status?: string }[];
    };
    const reported = facts.affiliations.filter((fact) => fact.status === 'reported').map((fact) => fact.organization);
    expect(reported).toEqual(['alibaba']);

    const { body } = await app.post({
      query: `{ person(name: "Yangqing Jia") { affiliations { status isCurrent ended endDate evidence organization { slug } } } }`,
    });
    const affiliations = body.data.person.affiliations as {
      status: string;
      isCurrent: boolean;
      organization: { slug: string };
      evidence: string;
    }[];
    expect(affiliations).toHaveLength(facts.affiliations.length);
    expect(affiliations.filter((a) => a.status === 'REPORTED').map((a) => a.organization.slug)).toEqual(reported);
    const alibaba = affiliations.find((a) => a.organization.slug === 'alibaba');
    expect(alibaba).toMatchObject({ status: 'REPORTED', isCurrent: true, ended: false, endDate: null });
    expect(alibaba?.evidence).toMatch(/^Reported, unconfirmed/);
    // Every current position of his is one the article only reports: none is confirmed current.
    expect(affiliations.filter((a) => a.isCurrent && a.status === 'CONFIRMED')).toEqual([]);
  });
});
