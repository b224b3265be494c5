import { readFile } from 'node:fs/promises';
import { decodeGlobalID } from '../builder.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { createLogger } from '../logger.js';
import { matchKey, normalizeOrcid } from '../services/identifiers.js';
import { buildYoga } from '../yoga.js';
import { UsageError } from './main.js';

/** How the command line names stored people and works: a global id, a database id, an ORCID or a name. */

/** One stored person; several people of the given name are listed, with their ids, for the user to choose. */
export async function findPerson(prisma: PrismaClient, given: string): Promise<{ id: number; name: string }> {
  const text = given.trim();
  const byId = idFrom(text, 'Person');
  const orcid = normalizeOrcid(text);
  const found =
    byId !== null
      ? await prisma.person.findMany({ where: { id: byId } })
      : orcid
        ? await prisma.person.findMany({ where: { orcid } })
        : await prisma.person.findMany({
            where: { OR: [{ nameKey: matchKey(text) }, { otherNames: { has: text } }] },
            orderBy: { id: 'asc' },
          });
  const [first, ...others] = found;
  if (!first) throw new UsageError(`No person ${JSON.stringify(given)}.`);
  if (others.length > 0) {
    const counts = await prisma.person.findMany({
      where: { id: { in: found.map((person) => person.id) } },
      select: { id: true, _count: { select: { authorships: true, contributions: true } } },
    });
    const countOf = new Map(counts.map((row) => [row.id, row._count]));
    const lines = found.map((person) => {
      const count = countOf.get(person.id);
      return `  ${person.id}  ${person.name}  (${person.sources.join(', ') || 'no source'}; ${count?.authorships ?? 0} works, ${count?.contributions ?? 0} project roles)`;
    });
    throw new UsageError(
      `${found.length} people match ${JSON.stringify(given)}; give one of their ids:\n${lines.join('\n')}`,
    );
  }
  return first;
}

/** A number, or a global id of the given type ("Person:12" in base64url). */
export function idFrom(text: string, typename: string): number | null {
  if (/^\d{1,9}$/.test(text)) return Number(text);
  try {
    const decoded = decodeGlobalID(text);
    return decoded.typename === typename ? Number(decoded.id) : null;
  } catch {
    return null;
  }
}

/** The works a person authored, oldest first. */
export async function personWorkIds(prisma: PrismaClient, personId: number): Promise<number[]> {
  const rows = await prisma.authorship.findMany({
    where: { personId },
    select: { workId: true },
    orderBy: [{ work: { publicationYear: { sort: 'asc', nulls: 'last' } } }, { workId: 'asc' }],
  });
  return rows.map((row) => row.workId);
}

export async function projectWorkIds(prisma: PrismaClient, slug: string): Promise<number[]> {
  const project = await prisma.project.findUnique({ where: { slug }, select: { id: true } });
  if (!project) throw new UsageError(`No project with the slug ${JSON.stringify(slug)}.`);
  const rows = await prisma.workProject.findMany({
    where: { projectId: project.id },
    select: { workId: true },
    orderBy: [{ work: { publicationYear: { sort: 'asc', nulls: 'last' } } }, { workId: 'asc' }],
  });
  return rows.map((row) => row.workId);
}

/**
 * The works a GraphQL query returns: every `id` in the response that is a Work's, in the
 * order they appear, each once. The query runs in process, exactly as the API would run it.
 */
export async function queryWorkIds(prisma: PrismaClient, file: string, variables: unknown): Promise<number[]> {
  const query = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`Cannot read the query file ${file}.`);
  });
  const yoga = buildYoga({ prisma, logger: createLogger('silent'), graphiql: false });
  const response = await yoga.fetch('http://citegraph.local/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  if (body.errors?.length)
    throw new UsageError(`The query failed: ${body.errors.map((error) => error.message).join('; ')}`);
  const ids: number[] = [];
  const seen = new Set<number>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) for (const item of value) walk(item);
    else if (value && typeof value === 'object')
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'id' && typeof inner === 'string') {
          const id = idFrom(inner, 'Work');
          if (id !== null && !/^\d+$/.test(inner) && !seen.has(id)) {
            seen.add(id);
            ids.push(id);
          }
        } else walk(inner);
      }
  };
  walk(body.data);
  if (ids.length === 0) throw new UsageError('The query returned no works: select the `id` of the works to export.');
  return ids;
}
