import { builder } from '../builder.js';
import type { RateLimitState } from '../ratelimit.js';

/** What a client may ask about its own use of the API. */

const RateLimitRef = builder.objectRef<RateLimitState>('RateLimit').implement({
  description:
    "The client's rate limit: an hourly budget of points per API key, or per client address without one. A query costs max(1, ceil(nodes / 100)) points, nodes being the rows it may touch as extensions.cost.nodes gives them. A query the budget cannot pay for is refused with RATE_LIMITED until resetAt; more than the per-minute points in one minute are refused with SLOW_DOWN (retry within the minute, the budget is not spent).",
  fields: (t) => ({
    cost: t.exposeInt('cost', { description: 'Points this query cost.' }),
    limit: t.exposeInt('limit', { description: 'Points the hourly budget holds.' }),
    remaining: t.exposeInt('remaining', { description: 'Points left this hour, after this query.' }),
    used: t.exposeInt('used', { description: 'Points used this hour, this query included.' }),
    resetAt: t.expose('resetAt', {
      type: 'DateTime',
      description: 'When the budget is whole again (the next full hour, UTC).',
    }),
  }),
});

builder.queryField('rateLimit', (t) =>
  t.field({
    type: RateLimitRef,
    nullable: true,
    description: "The client's rate limit as this query left it; null when the server runs without rate limits.",
    resolve: (_root, _args, ctx) => ctx.rateLimit ?? null,
  }),
);
