import { type ClientOptions, execute } from './client.js';
import { graphql } from './generated/index.js';

const RateLimitQuery = graphql(`
  query RateLimit {
    rateLimit {
      limit
      remaining
      resetAt
    }
  }
`);

/** The client's hourly budget as it stands; null when the server runs without rate limits. */
export async function rateLimit(client: ClientOptions): Promise<{ remaining: number; resetAt: Date } | null> {
  const { rateLimit } = await execute(client, RateLimitQuery);
  return rateLimit && { remaining: rateLimit.remaining, resetAt: new Date(rateLimit.resetAt) };
}
