import type { IdentityReason, PrismaClient } from '../generated/prisma/client.js';
import { matchKey } from '../services/identifiers.js';
import { prismaSql } from '../sql.js';
import { linkTwo } from './identity.js';
import { query, type Tx } from './sql.js';

/**
 * Links of git-history people to paper authors who are the same person. A git history names
 * people as they configured git ("Ross Girshick"), papers as they signed ("Ross B. Girshick",
 * "S. Guadarrama"), so imports keep them apart: imports match people by ids, or by the same name
 * with a co-author in common. This pass links two people when both hold:
 *
 * - their names are variants of one name: the same family name, and given names that agree where
 *   both give them, an initial agreeing with a spelled-out name ("S." ~ "Sergio"), a middle name
 *   or initial given by one only ("Ross B." ~ "Ross");
 * - evidence joins them: the author wrote a work linked to a project the git person committed to
 *   (NAME_VARIANT_PROJECT), or a co-author of the author committed to a project the git person
 *   committed to (NAME_VARIANT_COAUTHOR).
 *
 * A person with more than one such counterpart is linked to none (reported as ambiguous): a
 * name alone never decides. Two people who share works or project histories are left alone (the
 * import's own rules treat them), and so are two people a split set apart. Each link is a merge
 * (mergePeople, so counters and rollups follow) recorded as an identity event with its evidence
 * and what moved, which `citegraph people split --link` gives back.
 */

export const LINK_SOURCE = 'citegraph people link';

interface NameParts {
  family: string;
  given: string[];
}

/** "Ross B. Girshick" -> family "girshick", given ["ross", "b"]; "Girshick, Ross" likewise; null for one word. */
export function nameParts(name: string): NameParts | null {
  const [before, after] = name.split(',', 2);
  const words = (text: string | undefined) =>
    (text ?? '')
      .split(/[\s.]+/)
      .map((word) => matchKey(word))
      .filter((word) => word !== '');
  if (after !== undefined && words(after).length > 0) {
    const family = words(before).join('');
    return family.length >= 2 ? { family, given: words(after) } : null;
  }
  const all = words(name);
  const family = all.at(-1);
  if (!family || family.length < 2 || all.length < 2) return null;
  return { family, given: all.slice(0, -1) };
}

const givenAgree = (a: string, b: string) => (a.length === 1 || b.length === 1 ? a[0] === b[0] : a === b);

/** Whether two names can be one person's: see the module comment. */
export function nameVariants(a: string, b: string): boolean {
  const x = nameParts(a);
  const y = nameParts(b);
  if (!x || !y || x.family !== y.family) return false;
  const [firstX, ...middleX] = x.given;
  const [firstY, ...middleY] = y.given;
  if (!firstX || !firstY || !givenAgree(firstX, firstY)) return false;
  const [secondX] = middleX;
  const [secondY] = middleY;
  return secondX === undefined || secondY === undefined || givenAgree(secondX, secondY);
}

interface Side {
  personId: number;
  name: string;
}

interface Evidence {
  reason: IdentityReason;
  text: string;
}

export interface LinkCandidate {
  git: Side;
  author: Side;
  evidence: Evidence;
}

export interface PeopleLink {
  eventId: number;
  keptId: number;
  keptName: string;
  mergedId: number;
  mergedName: string;
  reason: IdentityReason;
  detail: string;
}

export interface AmbiguousPerson extends Side {
  candidates: Side[];
}

export interface LinkResult {
  /** Links made, or with dryRun the links that would be made (eventId 0). */
  links: PeopleLink[];
  /** People with several counterparts, left apart. */
  ambiguous: AmbiguousPerson[];
}

const quoteTitle = (title: string | null) =>
  JSON.stringify((title ?? '').length > 80 ? `${title?.slice(0, 77)}…` : title);

/**
 * Pairs of a git person and an author with variant names and a project in common: the author
 * wrote a work linked to a project the git person committed to.
 */
async function projectCandidates(tx: Tx): Promise<LinkCandidate[]> {
  const authors = await query<{
    projectId: number;
    slug: string;
    personId: number;
    name: string;
    workId: number;
    title: string | null;
  }>(
    tx,
    `SELECT wp.project_id AS "projectId", pr.slug, a.person_id AS "personId", p.name, w.id AS "workId", w.title
     FROM work_project wp JOIN project pr ON pr.id = wp.project_id JOIN work w ON w.id = wp.work_id
     JOIN authorship a ON a.work_id = wp.work_id JOIN person p ON p.id = a.person_id
     WHERE EXISTS (SELECT 1 FROM project_activity g WHERE g.project_id = wp.project_id)
     ORDER BY wp.project_id, a.person_id, w.id`,
  );
  if (authors.length === 0) return [];
  const committers = await query<{ projectId: number; personId: number; name: string }>(
    tx,
    `SELECT g.project_id AS "projectId", g.person_id AS "personId", p.name
     FROM (SELECT DISTINCT project_id, person_id FROM project_activity WHERE project_id = ANY($1::int[])) g
     JOIN person p ON p.id = g.person_id ORDER BY g.project_id, g.person_id`,
    [...new Set(authors.map((row) => row.projectId))],
  );
  const byFamily = new Map<string, typeof committers>();
  for (const row of committers) {
    const family = nameParts(row.name)?.family;
    if (!family) continue;
    const slot = `${row.projectId}\u0000${family}`;
    byFamily.set(slot, [...(byFamily.get(slot) ?? []), row]);
  }
  const found: LinkCandidate[] = [];
  for (const author of authors) {
    const family = nameParts(author.name)?.family;
    if (!family) continue;
    for (const git of byFamily.get(`${author.projectId}\u0000${family}`) ?? []) {
      if (git.personId === author.personId || !nameVariants(git.name, author.name)) continue;
      found.push({
        git: { personId: git.personId, name: git.name },
        author: { personId: author.personId, name: author.name },
        evidence: {
          reason: 'NAME_VARIANT_PROJECT',
          text: `a project in common: ${JSON.stringify(author.name)} wrote work ${author.workId} ${quoteTitle(author.title)}, linked to project ${author.slug}, whose git history has commits by ${JSON.stringify(git.name)}`,
        },
      });
    }
  }
  return found;
}

/**
 * Pairs of a git person and an author with variant names and a co-author in common: someone who
 * shares a work with the author committed to a project the git person committed to.
 */
async function coauthorCandidates(tx: Tx): Promise<LinkCandidate[]> {
  // Bridges: people with works and commits both.
  const coauthors = await query<{
    bridgeId: number;
    bridgeName: string;
    personId: number;
    name: string;
    workId: number;
  }>(
    tx,
    `WITH bridge AS (
       SELECT p.id, p.name FROM person p
       WHERE EXISTS (SELECT 1 FROM project_activity g WHERE g.person_id = p.id)
         AND EXISTS (SELECT 1 FROM authorship a WHERE a.person_id = p.id))
     SELECT DISTINCT ON (b.id, c.person_id) b.id AS "bridgeId", b.name AS "bridgeName", c.person_id AS "personId",
            q.name, c.work_id AS "workId"
     FROM bridge b JOIN authorship a ON a.person_id = b.id
     JOIN authorship c ON c.work_id = a.work_id AND c.person_id <> b.id JOIN person q ON q.id = c.person_id
     ORDER BY b.id, c.person_id, c.work_id`,
  );
  if (coauthors.length === 0) return [];
  const fellows = await query<{ bridgeId: number; slug: string; personId: number; name: string }>(
    tx,
    `SELECT DISTINCT ON (b.person_id, g.person_id) b.person_id AS "bridgeId", pr.slug, g.person_id AS "personId", p.name
     FROM (SELECT DISTINCT person_id, project_id FROM project_activity WHERE person_id = ANY($1::int[])) b
     JOIN (SELECT DISTINCT person_id, project_id FROM project_activity) g ON g.project_id = b.project_id AND g.person_id <> b.person_id
     JOIN person p ON p.id = g.person_id JOIN project pr ON pr.id = b.project_id
     ORDER BY b.person_id, g.person_id, pr.slug`,
    [...new Set(coauthors.map((row) => row.bridgeId))],
  );
  const byFamily = new Map<string, typeof fellows>();
  for (const row of fellows) {
    const family = nameParts(row.name)?.family;
    if (!family) continue;
    const slot = `${row.bridgeId}\u0000${family}`;
    byFamily.set(slot, [...(byFamily.get(slot) ?? []), row]);
  }
  const found: LinkCandidate[] = [];
  for (const author of coauthors) {
    const family = nameParts(author.name)?.family;
    if (!family) continue;
    for (const git of byFamily.get(`${author.bridgeId}\u0000${family}`) ?? []) {
      if (git.personId === author.personId || !nameVariants(git.name, author.name)) continue;
      found.push({
        git: { personId: git.personId, name: git.name },
        author: { personId: author.personId, name: author.name },
        evidence: {
          reason: 'NAME_VARIANT_COAUTHOR',
          text: `a co-author in common: ${JSON.stringify(author.name)} shares work ${author.workId} with ${JSON.stringify(author.bridgeName)} (person ${author.bridgeId}), who committed to project ${git.slug} with ${JSON.stringify(git.name)}`,
        },
      });
    }
  }
  return found;
}

/** Pairs a link must leave alone: shared works or project histories, or set apart by a split. */
async function pairsApart(tx: Tx, pairs: [number, number][]): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const rows = await query<{ a: number; b: number }>(
    tx,
    `SELECT v.a, v.b FROM unnest($1::int[], $2::int[]) AS v(a, b)
     WHERE EXISTS (SELECT 1 FROM authorship x JOIN authorship y ON y.work_id = x.work_id WHERE x.person_id = v.a AND y.person_id = v.b)
        OR EXISTS (SELECT 1 FROM project_activity x JOIN project_activity y ON y.project_id = x.project_id
                   WHERE x.person_id = v.a AND y.person_id = v.b)
        OR EXISTS (SELECT 1 FROM identity_event e WHERE (e.person_id = v.a AND e.kept_apart_from = v.b)
                                                   OR (e.person_id = v.b AND e.kept_apart_from = v.a))`,
    pairs.map(([a]) => a),
    pairs.map(([, b]) => b),
  );
  return new Set(rows.map((row) => pairKey(row.a, row.b)));
}

const pairKey = (a: number, b: number) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Whether a name's first given name is only an initial ("S. Guadarrama"). */
const initialOnly = (name: string) => (nameParts(name)?.given[0]?.length ?? 0) <= 1;

/**
 * Finds the links the evidence supports and makes them, each a merge in its own transaction.
 * With dryRun, only says what it would link.
 */
export async function linkPeople(
  prisma: PrismaClient,
  options: { dryRun?: boolean; source?: string } = {},
): Promise<LinkResult> {
  // A link can bring new evidence (the linked person now has works and commits both, and so
  // joins their co-authors to their fellow committers): rounds run until one links no one.
  const links: PeopleLink[] = [];
  for (let round = 1; ; round += 1) {
    const result = await linkRound(prisma, options);
    links.push(...result.links);
    if (options.dryRun || result.links.length === 0 || round === MAX_ROUNDS)
      return { links, ambiguous: result.ambiguous };
  }
}

/** Rounds of linking at most: each round's links are the evidence of the next. */
const MAX_ROUNDS = 5;

async function linkRound(prisma: PrismaClient, options: { dryRun?: boolean; source?: string }): Promise<LinkResult> {
  const source = options.source ?? LINK_SOURCE;
  const candidates = await prisma.$transaction(
    async (prismaTx) => {
      const tx = prismaSql(prismaTx);
      const found = [...(await projectCandidates(tx)), ...(await coauthorCandidates(tx))];
      // Many candidates name one pair (each work, co-author and project in common): each pair is checked once.
      const pairs = new Map<string, [number, number]>();
      for (const { git, author } of found)
        pairs.set(pairKey(git.personId, author.personId), [git.personId, author.personId]);
      const apart = await pairsApart(tx, [...pairs.values()]);
      return found.filter((candidate) => !apart.has(pairKey(candidate.git.personId, candidate.author.personId)));
    },
    { timeout: 120_000, maxWait: 30_000 },
  );

  // Each person's counterparts; a link needs exactly one on both sides.
  const counterparts = new Map<number, Map<number, Side>>();
  const names = new Map<number, string>();
  const note = (from: Side, to: Side) => {
    names.set(from.personId, from.name);
    const others = counterparts.get(from.personId) ?? new Map<number, Side>();
    others.set(to.personId, to);
    counterparts.set(from.personId, others);
  };
  for (const { git, author } of candidates) {
    note(git, author);
    note(author, git);
  }
  const ambiguous: AmbiguousPerson[] = [...counterparts.entries()]
    .filter(([, others]) => others.size > 1)
    .map(([personId, others]) => ({
      personId,
      name: names.get(personId) ?? '',
      candidates: [...others.values()].sort((a, b) => a.personId - b.personId),
    }))
    .sort((a, b) => a.personId - b.personId);

  // One candidate per pair: project evidence first, then the first found.
  const chosen = new Map<string, LinkCandidate>();
  for (const candidate of candidates) {
    const { git, author } = candidate;
    if (counterparts.get(git.personId)?.size !== 1 || counterparts.get(author.personId)?.size !== 1) continue;
    const key = pairKey(git.personId, author.personId);
    const before = chosen.get(key);
    if (
      !before ||
      (before.evidence.reason !== 'NAME_VARIANT_PROJECT' && candidate.evidence.reason === 'NAME_VARIANT_PROJECT')
    )
      chosen.set(key, candidate);
  }

  const links: PeopleLink[] = [];
  for (const { git, author, evidence } of [...chosen.values()].sort((a, b) => a.author.personId - b.author.personId)) {
    // The paper author is kept, unless it gives only an initial where the git name spells it out.
    const [keep, other] = initialOnly(author.name) && !initialOnly(git.name) ? [git, author] : [author, git];
    const detail = `${JSON.stringify(other.name)} and ${JSON.stringify(keep.name)} are variants of one name, with ${evidence.text}`;
    if (options.dryRun) {
      links.push({
        eventId: 0,
        keptId: keep.personId,
        keptName: keep.name,
        mergedId: other.personId,
        mergedName: other.name,
        reason: evidence.reason,
        detail,
      });
      continue;
    }
    const merged = await linkTwo(prisma, keep.personId, other.personId, source, {
      reason: evidence.reason,
      evidence: detail,
    });
    links.push({
      eventId: merged.eventId,
      keptId: keep.personId,
      keptName: keep.name,
      mergedId: other.personId,
      mergedName: other.name,
      reason: evidence.reason,
      detail: merged.detail,
    });
  }
  return { links, ambiguous };
}
