import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { ApiKeyScope } from '../generated/prisma/enums.js';

/**
 * API keys: `cg_` and 43 random base64url characters (256 bits), so a plain SHA-256 of the key
 * is enough to store (nothing to guess); the key itself is shown once, at creation. A key's
 * scope says what it may do: READ (reads, where reads need a key), WRITE (mutations), ADMIN
 * (everything, key management included).
 */

export type Scope = ApiKeyScope;

export interface Viewer {
  keyId: number;
  /** The key's name, recorded with the corrections it makes. */
  name: string;
  scope: Scope;
}

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');
export const looksLikeKey = (text: string) => /^cg_[A-Za-z0-9_-]{43}$/.test(text);

export async function createKey(
  prisma: PrismaClient,
  name: string,
  scope: Scope,
): Promise<{ id: number; key: string }> {
  const key = `cg_${randomBytes(32).toString('base64url')}`;
  const row = await prisma.apiKey.create({
    data: { name, scope, prefix: key.slice(0, 11), hash: hashOf(key) },
    select: { id: true },
  });
  return { id: row.id, key };
}

export function listKeys(prisma: PrismaClient) {
  return prisma.apiKey.findMany({
    orderBy: { id: 'asc' },
    select: { id: true, name: true, scope: true, prefix: true, createdAt: true, revokedAt: true },
  });
}

/** Revokes a key; false when there is no such key or it was revoked already. */
export async function revokeKey(prisma: PrismaClient, id: number): Promise<boolean> {
  const { count } = await prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  return count === 1;
}

/**
 * Checks keys against the database, remembering each answer for `ttlMs` so a busy client costs
 * one lookup per interval; a revoked key stops working within that interval.
 */
export function keyVerifier(prisma: () => PrismaClient, ttlMs = 30_000) {
  const known = new Map<string, { viewer: Viewer | null; until: number }>();
  return async (key: string): Promise<Viewer | null> => {
    if (!looksLikeKey(key)) return null;
    const hash = hashOf(key);
    const now = Date.now();
    const cached = known.get(hash);
    if (cached && cached.until > now) return cached.viewer;
    const row = await prisma().apiKey.findUnique({
      where: { hash },
      select: { id: true, name: true, scope: true, revokedAt: true },
    });
    const viewer = row && !row.revokedAt ? { keyId: row.id, name: row.name, scope: row.scope } : null;
    if (known.size > 10_000) known.clear();
    known.set(hash, { viewer, until: now + ttlMs });
    return viewer;
  };
}
