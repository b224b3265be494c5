import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCounters } from '../src/ratelimit.js';
import { createKey } from '../src/services/keys.js';
import { createTestApp, type TestApp } from './kit.js';

/**
 * Rate limits charged by cost: an hourly budget per API key or client address ("budget spent":
 * RATE_LIMITED), a per-minute one against bursts ("slow down": SLOW_DOWN), both visible in
 * headers and in the rateLimit field, and refused before any SQL runs.
 */

let app: TestApp;
let key: string;
beforeAll(async () => {
  app = await createTestApp({
    rateLimits: { anonymousPerHour: 20, keyPerHour: 200, perMinute: 30, trustProxyHops: 1 },
  });
  key = (await createKey(app.db.prisma, 'dashboard', 'READ')).key;
});
afterAll(() => app?.close());

/** Each test is a client of its own: its address as the proxy in front reports it. */
const client = () => ({
  'x-forwarded-for': `203.0.113.7, 10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.1`,
});

const STATE = 'rateLimit { cost limit remaining used resetAt }';
const PAGE = `query ($n: Int!) { works(first: $n) { nodes { title } } ${STATE} }`;

describe('rate limits', () => {
  it('charge max(1, ceil(nodes / 100)) points, from the coerced variables, and say so in the answer and headers', async () => {
    const headers = client();
    const small = await app.post({ query: PAGE, variables: { n: 5 } }, headers);
    expect(small.body.extensions.cost.nodes).toBeLessThanOrEqual(100);
    expect(small.body.data.rateLimit).toMatchObject({ cost: 1, limit: 20, remaining: 19, used: 1 });
    const large = await app.post({ query: PAGE, variables: { n: 100 } }, headers);
    const points = Math.ceil(large.body.extensions.cost.nodes / 100);
    expect(points).toBeGreaterThan(1);
    expect(large.body.data.rateLimit).toMatchObject({ cost: points, remaining: 19 - points, used: 1 + points });
    expect(large.headers.get('ratelimit-limit')).toBe('20');
    expect(large.headers.get('ratelimit-remaining')).toBe(String(19 - points));
    expect(large.headers.get('x-ratelimit-remaining')).toBe(String(19 - points));
    const reset = Number(large.headers.get('ratelimit-reset'));
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(3600);
    expect(new Date(large.body.data.rateLimit.resetAt).getTime() % 3_600_000).toBe(0);
  });

  it('refuse a query the hourly budget cannot pay for with 429 RATE_LIMITED and Retry-After, before any SQL', async () => {
    const headers = client();
    const other = client();
    let spent = 0;
    while (spent < 20) {
      const response = await app.post({ query: '{ rateLimit { remaining } }' }, headers);
      expect(response.status).toBe(200);
      spent += 1;
    }
    const refused = await app.post({ query: PAGE, variables: { n: 1 } }, headers);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', cost: 1, limit: 20, remaining: 0 });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(app.statements()).toBe(0);
    // Another client, and an API key, keep their own budgets.
    expect((await app.post({ query: PAGE, variables: { n: 1 } }, other)).status).toBe(200);
    const keyed = await app.post({ query: `{ ${STATE} }` }, { ...headers, authorization: `Bearer ${key}` });
    expect(keyed.body.data.rateLimit).toMatchObject({ limit: 200, remaining: 199 });
  }, 120_000);

  it('refuse a burst past the per-minute points with 429 SLOW_DOWN, without spending the hourly budget', async () => {
    const headers = { authorization: `Bearer ${(await createKey(app.db.prisma, 'burst', 'READ')).key}` };
    for (let i = 0; i < 30; i += 1) expect((await app.post({ query: '{ __typename }' }, headers)).status).toBe(200);
    const slowed = await app.post({ query: `{ ${STATE} }` }, headers);
    expect(slowed.status).toBe(429);
    expect(slowed.body.errors[0].extensions.code).toBe('SLOW_DOWN');
    const wait = Number(slowed.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(slowed.headers.get('x-ratelimit-remaining')).toBe('170');
  });

  it('charge aliases: ten aliased pages cost for ten times the rows of one', async () => {
    const headers = client();
    const aliases = Array.from({ length: 10 }, (_, i) => `a${i}: works(first: 100) { nodes { title } }`).join(' ');
    const one = await app.post({ query: `{ works(first: 100) { nodes { title } } ${STATE} }` }, headers);
    const ten = await app.post({ query: `{ ${aliases} ${STATE} }` }, client());
    const nodes = (response: typeof one) => response.body.extensions.cost.nodes;
    expect(nodes(ten)).toBeGreaterThanOrEqual(10 * (nodes(one) - 1));
    expect(ten.body.data.rateLimit.cost).toBe(Math.ceil(nodes(ten) / 100));
  });
});

describe('rate-limit counters in Redis', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  });
  afterAll(() => redis?.quit());

  it('are shared, refuse past the limit without counting the refusal, and expire with their window', async () => {
    const name = `citegraph:test:${randomUUID()}`;
    const first = redisCounters(redis);
    const second = redisCounters(redis);
    expect(await first.take(name, 6, 10, 60_000)).toBe(6);
    expect(await second.take(name, 5, 10, 60_000)).toBeNull();
    expect(await second.take(name, 4, 10, 60_000)).toBe(10);
    expect(await first.peek(name)).toBe(10);
    const ttl = await redis.pttl(name);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await redis.del(name);
  });
});
