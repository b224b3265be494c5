import type { IdentityReason } from '../generated/prisma/client.js';
import { matchKey } from '../services/identifiers.js';
import type { AuthorRecord } from './records.js';
import { allocateIds, execute, query, type Tx, transactionTime, withoutNul } from './sql.js';

/**
 * Identity resolution for people. An incoming person is a stored one when they share, in this
 * order: the importing source's own id for people, an ORCID, another source id (OpenAlex,
 * Semantic Scholar), or the name together with a co-author (someone with whom the stored
 * person already shares a work has the name of one of the incoming person's co-authors).
 * A bare name is never enough for authors: "Wei Wang" is many people.
 *
 * Every match by something other than the source's own id is recorded as an identity event
 * with its reason, so it can be reviewed and undone (`citegraph people split`).
 */

type PersonId = 'orcid' | 'openalexId' | 's2Id';
const PERSON_ID_COLUMNS: Record<PersonId, string> = { orcid: 'orcid', openalexId: 'openalex_id', s2Id: 's2_id' };
const idReasons: Record<PersonId, IdentityReason> = { orcid: 'ORCID', openalexId: 'OPENALEX_ID', s2Id: 'S2_ID' };

export interface PersonSource {
  /** Dataset name recorded in person.sources, e.g. "openalex". */
  name: string;
  /** The source's own id for people, matched first and not recorded as an event. */
  ownId: PersonId | null;
}

export interface PersonRequest {
  author: AuthorRecord;
  /** Name keys of the other people on the same work (or in the same history). */
  coauthorKeys: string[];
  /** Names the record, for identity events: e.g. "on W2963374479". Two namesakes on one record stay two people. */
  context: string;
}

interface StoredPerson {
  id: number;
  nameKey: string;
  orcid: string | null;
  openalexId: string | null;
  s2Id: string | null;
}

export interface ResolvedPeople {
  ids: number[];
  created: number;
  matched: number;
}

const idsOf = (author: AuthorRecord): [PersonId, string][] =>
  (['orcid', 'openalexId', 's2Id'] as const).flatMap((field) => {
    const value = author[field];
    return value ? [[field, value] as [PersonId, string]] : [];
  });

/** Resolves each request to a person id, creating the people no stored one matches. */
export async function resolvePeople(tx: Tx, requests: PersonRequest[], source: PersonSource): Promise<ResolvedPeople> {
  const ids = new Array<number>(requests.length).fill(0);
  const keys = requests.map((request) => matchKey(request.author.name));
  const order = (field: PersonId) =>
    field === source.ownId ? -1 : (['orcid', 'openalexId', 's2Id'] as const).indexOf(field);

  const byId = new Map<string, StoredPerson>();
  const wanted = (field: PersonId) => [
    ...new Set(requests.map((r) => r.author[field]).filter((v): v is string => !!v)),
  ];
  const stored = await query<StoredPerson>(
    tx,
    `SELECT id, name_key AS "nameKey", orcid, openalex_id AS "openalexId", s2_id AS "s2Id" FROM person
     WHERE orcid = ANY($1::text[]) OR openalex_id = ANY($2::text[]) OR s2_id = ANY($3::text[])`,
    wanted('orcid'),
    wanted('openalexId'),
    wanted('s2Id'),
  );
  for (const person of stored)
    for (const field of ['orcid', 'openalexId', 's2Id'] as const) {
      const value = person[field];
      if (value) byId.set(`${field}:${value}`, person);
    }

  const events: { personId: number; reason: IdentityReason; detail: string }[] = [];
  const fills = new Map<number, Partial<Record<PersonId, string>>>();
  const claimed = new Set(byId.keys());
  const fillIds = (person: StoredPerson, author: AuthorRecord) => {
    for (const [field, value] of idsOf(author)) {
      if (person[field] || claimed.has(`${field}:${value}`)) continue;
      claimed.add(`${field}:${value}`);
      person[field] = value;
      byId.set(`${field}:${value}`, person);
      fills.set(person.id, { ...fills.get(person.id), [field]: value });
    }
  };
  const describe = (request: PersonRequest) => {
    const own = source.ownId ? request.author[source.ownId] : null;
    return `${source.name} author ${own ?? JSON.stringify(request.author.name)} ${request.context}`;
  };

  // 1. Source ids and ORCID.
  let matched = 0;
  requests.forEach((request, index) => {
    const hits = idsOf(request.author)
      .sort(([a], [b]) => order(a) - order(b))
      .map(([field, value]) => [field, byId.get(`${field}:${value}`)] as const)
      .filter((hit): hit is readonly [PersonId, StoredPerson] => hit[1] !== undefined);
    const first = hits[0];
    if (!first) return;
    const [field, person] = first;
    ids[index] = person.id;
    matched += 1;
    if (field !== source.ownId)
      events.push({ personId: person.id, reason: idReasons[field], detail: `${describe(request)} by ${field}` });
    fillIds(person, request.author);
  });

  // 2. Name with a co-author in common. Requests of one name linked by shared co-authors,
  // directly or through each other, are one person: grouped first, then matched as a group.
  const open = requests.map((_, index) => index).filter((index) => ids[index] === 0);
  const groups = namesakeGroups(open, requests, keys);
  const named = open.filter((index) => keys[index] !== '');
  // A stored person holding an id that every open request carries with other values can match none
  // of them (see `best` below): such namesakes are left out before their co-authors are joined, so
  // an import whose authors all carry the source's ids does not walk every namesake's works.
  const carriedByAll = (['orcid', 'openalexId', 's2Id'] as const).filter((field) =>
    named.every((index) => requests[index]?.author[field]),
  );
  const idFilter = carriedByAll
    .map(
      (field, at) =>
        ` AND (p.${PERSON_ID_COLUMNS[field]} IS NULL OR p.${PERSON_ID_COLUMNS[field]} = ANY($${at + 3}::text[]))`,
    )
    .join('');
  const candidates =
    named.length === 0
      ? []
      : await query<StoredPerson & { coauthorKeys: string[] }>(
          tx,
          `SELECT p.id, p.name_key AS "nameKey", p.orcid, p.openalex_id AS "openalexId", p.s2_id AS "s2Id",
                  array_agg(DISTINCT q.name_key) AS "coauthorKeys"
           FROM person p
           JOIN authorship a ON a.person_id = p.id
           JOIN authorship b ON b.work_id = a.work_id AND b.person_id <> p.id
           JOIN person q ON q.id = b.person_id
           WHERE p.name_key = ANY($1::text[]) AND q.name_key = ANY($2::text[])${idFilter}
           GROUP BY p.id ORDER BY p.id`,
          [...new Set(named.map((index) => keys[index]))],
          [...new Set(named.flatMap((index) => requests[index]?.coauthorKeys ?? []))],
          ...carriedByAll.map((field) => [...new Set(named.map((index) => requests[index]?.author[field]))]),
        );

  // 3. New people: one per group no stored person matched.
  const fresh: { author: AuthorRecord }[] = [];
  const joins: { slot: number; detail: string }[] = [];
  for (const group of groups) {
    const members = group.map((index) => requests[index]).filter((request) => request !== undefined);
    const key = keys[group[0] ?? 0] ?? '';
    const coauthors = new Set(members.flatMap((request) => request.coauthorKeys));
    const best = candidates
      .filter(
        (candidate) =>
          key !== '' &&
          candidate.nameKey === key &&
          members.every((request) =>
            idsOf(request.author).every(([field, value]) => !candidate[field] || candidate[field] === value),
          ),
      )
      .map((candidate) => ({ candidate, shared: candidate.coauthorKeys.filter((other) => coauthors.has(other)) }))
      .filter((option) => option.shared.length > 0)
      .sort((a, b) => b.shared.length - a.shared.length || a.candidate.id - b.candidate.id)[0];
    if (best) {
      for (const [position, index] of group.entries()) {
        const request = members[position];
        if (!request) continue;
        ids[index] = best.candidate.id;
        matched += 1;
        const shared = best.candidate.coauthorKeys.find((other) => request.coauthorKeys.includes(other));
        events.push({
          personId: best.candidate.id,
          reason: 'NAME_COAUTHOR',
          detail: `${describe(request)} by name with co-author key "${shared ?? best.shared[0]}"`,
        });
        fillIds(best.candidate, request.author);
      }
      continue;
    }
    const author: AuthorRecord = { name: members[0]?.author.name ?? '' };
    for (const request of members)
      for (const [field, value] of idsOf(request.author))
        if (!author[field] && !claimed.has(`${field}:${value}`)) {
          author[field] = value;
          claimed.add(`${field}:${value}`);
        }
    for (const index of group) ids[index] = -(fresh.length + 1);
    fresh.push({ author });
    const first = members[0];
    const ownId = source.ownId;
    // Records of the source's own id for one person are that person, as with a stored match: no event.
    for (const request of members.slice(1))
      if (first && !(ownId && request.author[ownId] && request.author[ownId] === first.author[ownId]))
        joins.push({
          slot: fresh.length - 1,
          detail: `${describe(request)} joined ${describe(first)}: the same id, or the name with co-authors in common`,
        });
  }

  const newIds = await allocateIds(tx, 'person', fresh.length);
  if (fresh.length > 0) {
    const now = await transactionTime(tx);
    await tx.copy(
      'person',
      ['id', 'name', 'name_key', 'other_names', 'orcid', 'openalex_id', 's2_id', 'sources', 'updated_at'],
      fresh.map(({ author }, position) => [
        newIds[position] ?? 0,
        withoutNul(author.name.trim()),
        matchKey(author.name),
        [],
        author.orcid ?? null,
        author.openalexId ?? null,
        author.s2Id ?? null,
        [source.name],
        now,
      ]),
    );
  }
  for (let index = 0; index < ids.length; index += 1) {
    const id = ids[index] ?? 0;
    if (id < 0) ids[index] = newIds[-id - 1] ?? 0;
  }
  for (const join of joins)
    events.push({ personId: newIds[join.slot] ?? 0, reason: 'NAME_COAUTHOR', detail: join.detail });

  const created = new Set(newIds);
  const touched = [...new Set(ids.filter((id) => !created.has(id)))];
  if (fills.size > 0 || touched.length > 0) await fillPeople(tx, fills, touched, source.name);
  await recordPersonEvents(tx, events, source.name);
  return { ids, created: fresh.length, matched };
}

async function fillPeople(
  tx: Tx,
  fills: Map<number, Partial<Record<PersonId, string>>>,
  touched: number[],
  source: string,
) {
  const rows = [...fills.entries()];
  if (rows.length > 0)
    await execute(
      tx,
      `UPDATE person p SET orcid = coalesce(p.orcid, v.orcid), openalex_id = coalesce(p.openalex_id, v.openalex_id),
         s2_id = coalesce(p.s2_id, v.s2_id), updated_at = now()
       FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS v(id, orcid, openalex_id, s2_id)
       WHERE p.id = v.id`,
      rows.map(([id]) => id),
      rows.map(([, fill]) => fill.orcid ?? null),
      rows.map(([, fill]) => fill.openalexId ?? null),
      rows.map(([, fill]) => fill.s2Id ?? null),
    );
  await execute(
    tx,
    `UPDATE person SET sources = sources || ARRAY[$2::text], updated_at = now()
     WHERE id = ANY($1::int[]) AND NOT $2::text = ANY(sources)`,
    touched,
    source,
  );
}

export async function recordPersonEvents(
  tx: Tx,
  events: { personId: number; reason: IdentityReason; detail: string }[],
  source: string,
): Promise<number> {
  if (events.length === 0) return 0;
  return execute(
    tx,
    `INSERT INTO identity_event (person_id, reason, detail, source)
     SELECT v.person_id, v.reason::"IdentityReason", v.detail, $4 FROM unnest($1::int[], $2::text[], $3::text[]) AS v(person_id, reason, detail)
     ON CONFLICT DO NOTHING`,
    events.map((event) => event.personId),
    events.map((event) => event.reason),
    events.map((event) => withoutNul(event.detail)),
    source,
  );
}

/**
 * Groups the open requests into people: the same source id, or the same name and a co-author
 * in common (directly or through other requests of that name), makes one person. Two requests
 * of one record (namesakes on one paper) never end up in one group, and groups whose ids differ
 * stay apart.
 */
function namesakeGroups(open: number[], requests: PersonRequest[], keys: string[]): number[][] {
  const parent = new Map(open.map((index) => [index, index]));
  const find = (index: number): number => {
    let root = index;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(index, root);
    return root;
  };
  const idsOfGroup = new Map(open.map((index) => [index, new Map(idsOf(requests[index]?.author ?? { name: '' }))]));
  const contextsOfGroup = new Map(open.map((index) => [index, new Set([requests[index]?.context])]));
  const union = (a: number, b: number) => {
    const [rootA, rootB] = [find(a), find(b)];
    if (rootA === rootB) return;
    const [idsA, idsB] = [idsOfGroup.get(rootA) ?? new Map(), idsOfGroup.get(rootB) ?? new Map()];
    for (const [field, value] of idsB) if (idsA.has(field) && idsA.get(field) !== value) return;
    const [contextsA, contextsB] = [contextsOfGroup.get(rootA) ?? new Set(), contextsOfGroup.get(rootB) ?? new Set()];
    for (const context of contextsB) if (contextsA.has(context)) return;
    for (const [field, value] of idsB) idsA.set(field, value);
    for (const context of contextsB) contextsA.add(context);
    parent.set(rootB, rootA);
  };
  const byId = new Map<string, number>();
  const byCoauthor = new Map<string, number>();
  for (const index of open) {
    const request = requests[index];
    if (!request) continue;
    for (const [field, value] of idsOf(request.author)) {
      const other = byId.get(`${field}:${value}`);
      if (other === undefined) byId.set(`${field}:${value}`, index);
      else union(other, index);
    }
    const key = keys[index] ?? '';
    if (key === '') continue;
    for (const coauthor of request.coauthorKeys) {
      const slot = `${key}\u0000${coauthor}`;
      const other = byCoauthor.get(slot);
      if (other === undefined) byCoauthor.set(slot, index);
      else union(other, index);
    }
  }
  const groups = new Map<number, number[]>();
  for (const index of open) {
    const root = find(index);
    const group = groups.get(root);
    if (group) group.push(index);
    else groups.set(root, [index]);
  }
  return [...groups.values()];
}
