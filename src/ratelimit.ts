import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { viewerOf } from './auth.js';
import type { RateLimits } from './config.js';
import type { QueryCost } from './limits.js';

/**
 * Rate limits charged by cost, as GitHub's GraphQL API charges them. Every executed operation
 * costs points — max(1, ceil(nodes / 100)), `nodes` being the node budget's estimate of the rows
 * it may touch (src/limits.ts) — from two budgets of the client's: an hourly budget (per API key,
 * or per client address for requests without one), and a per-minute budget that stops bursts.
 * An operation the hourly budget cannot pay for is refused with 429 `RATE_LIMITED` ("budget
 * spent": wait for resetAt); one the minute's budget cannot pay for with 429 `SLOW_DOWN` ("slow
 * down": retry within the minute). Both carry Retry-After. Every answer carries the hourly state
 * in RateLimit-* headers (and GitHub's x-ratelimit-*), and the `rateLimit` query field gives it
 * in the answer. Counters live in this process, or in Redis when one is configured, so several
 * servers share one budget per client.
 */

/** What the `rateLimit` field and the headers report for one request. */
export interface RateLimitState {
  /** Points this operation cost. */
  cost: number;
  /** Points the hourly budget holds. */
  limit: number;
  /** Points left in this hour's budget, after this operation. */
  remaining: number;
  /** Points used this hour, this operation included. */
  used: number;
  /** When the hourly budget is whole again. */
  resetAt: Date;
}

/** The points an operation costs: one per 100 rows it may touch, at least one. */
export const pointsFor = (cost: QueryCost | undefined) => Math.max(1, Math.ceil((cost?.nodes ?? 0) / 100));

/** Adds to a counter of a window unless that would pass `limit`; returns the count after, or null when refused. */
export interface Counters {
  take(key: string, points: number, limit: number, windowMs: number): Promise<number | null>;
  peek(key: string): Promise<number>;
}

/** Counters of this process: fixed windows, forgotten when they end. */
export function memoryCounters(): Counters {
  const counts = new Map<string, { used: number; until: number }>();
  let swept = Date.now();
  return {
    async take(key, points, limit, windowMs) {
      const now = Date.now();
      if (now - swept > 60_000) {
        swept = now;
        for (const [name, entry] of counts) if (entry.until <= now) counts.delete(name);
      }
      const entry = counts.get(key) ?? { used: 0, until: now + windowMs };
      if (entry.used + points > limit) return null;
      entry.used += points;
      counts.set(key, entry);
      return entry.used;
    },
    async peek(key) {
      return counts.get(key)?.used ?? 0;
    },
  };
}

/** Counters in Redis, shared by every citegraph process using it. */
export function redisCounters(redis: Redis): Counters {
  return {
    async take(key, points, limit, windowMs) {
      const [[, used]] = (await redis.multi().incrby(key, points).pexpire(key, windowMs, 'NX').exec()) as [
        [unknown, number],
      ];
      if (used <= limit) return used;
      await redis.decrby(key, points);
      return null;
    },
    async peek(key) {
      return Number((await redis.get(key)) ?? 0);
    },
  };
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** The client a request comes from: its API key, or its address. */
function clientOf(request: Request, context: { req?: IncomingMessage }, hops: number): string {
  const viewer = viewerOf(request);
  if (viewer) return `key:${viewer.keyId}`;
  if (hops > 0) {
    const forwarded = (request.headers.get('x-forwarded-for') ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    const address = forwarded[forwarded.length - hops];
    if (address) return `ip:${address}`;
  }
  return `ip:${context.req?.socket.remoteAddress ?? 'unknown'}`;
}

const refusal = (code: string, message: string, retryAfter: number, extensions: Record<string, unknown>) =>
  new GraphQLError(message, {
    extensions: { code, ...extensions, http: { status: 429, headers: { 'retry-after': String(retryAfter) } } },
  });

export type { RateLimits };

export function useRateLimits(limits: RateLimits, counters: Counters = memoryCounters()): Plugin {
  const states = new WeakMap<Request, RateLimitState>();
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as {
        request: Request;
        req?: IncomingMessage;
        cost?: QueryCost;
        rateLimit?: RateLimitState;
      };
      const request = context.request;
      const client = clientOf(request, context, limits.trustProxyHops);
      const limit = client.startsWith('key:') ? limits.keyPerHour : limits.anonymousPerHour;
      const points = pointsFor(context.cost);
      const now = Date.now();
      const hour = Math.floor(now / HOUR);
      const resetAt = new Date((hour + 1) * HOUR);
      const minuteEnds = (Math.floor(now / MINUTE) + 1) * MINUTE;
      const hourKey = `citegraph:rate:${client}:h${hour}`;
      const used = await counters.take(hourKey, points, limit, HOUR);
      if (used === null) {
        const spent = await counters.peek(hourKey);
        states.set(request, { cost: points, limit, remaining: Math.max(0, limit - spent), used: spent, resetAt });
        setResultAndStopExecution({
          errors: [
            refusal(
              'RATE_LIMITED',
              `This query costs ${points} points and ${Math.max(0, limit - spent)} of the ${limit} points of this hour are left. The budget is whole again at ${resetAt.toISOString()}.`,
              Math.ceil((resetAt.getTime() - now) / 1000),
              { cost: points, limit, remaining: Math.max(0, limit - spent), resetAt: resetAt.toISOString() },
            ),
          ],
        });
        return;
      }
      const minuteKey = `citegraph:rate:${client}:m${Math.floor(now / MINUTE)}`;
      if ((await counters.take(minuteKey, points, limits.perMinute, MINUTE)) === null) {
        // The hour is not charged for what the minute refused.
        await counters.take(hourKey, -points, Number.POSITIVE_INFINITY, HOUR);
        states.set(request, { cost: points, limit, remaining: limit - used + points, used: used - points, resetAt });
        setResultAndStopExecution({
          errors: [
            refusal(
              'SLOW_DOWN',
              `Too many points in one minute (at most ${limits.perMinute}). Slow down and retry after the Retry-After seconds; the hourly budget is not spent.`,
              Math.ceil((minuteEnds - now) / 1000),
              { cost: points, perMinute: limits.perMinute },
            ),
          ],
        });
        return;
      }
      const state = { cost: points, limit, remaining: limit - used, used, resetAt };
      states.set(request, state);
      context.rateLimit = state;
    },
    onResponse({ request, response }) {
      const state = states.get(request);
      if (!state) return;
      const seconds = Math.max(0, Math.ceil((state.resetAt.getTime() - Date.now()) / 1000));
      response.headers.set('ratelimit-policy', `${state.limit};w=3600, ${limits.perMinute};w=60`);
      response.headers.set('ratelimit-limit', String(state.limit));
      response.headers.set('ratelimit-remaining', String(state.remaining));
      response.headers.set('ratelimit-reset', String(seconds));
      response.headers.set('x-ratelimit-limit', String(state.limit));
      response.headers.set('x-ratelimit-remaining', String(state.remaining));
      response.headers.set('x-ratelimit-used', String(state.used));
      response.headers.set('x-ratelimit-reset', String(Math.floor(state.resetAt.getTime() / 1000)));
    },
  };
}
