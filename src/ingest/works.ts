import type { IdentityReason } from '../generated/prisma/client.js';
import { countNewCitations, refreshCitationCounts } from '../services/counts.js';
import { matchKey } from '../services/identifiers.js';
import { resolvePeople } from './people.js';
import type { CitationRecord, WorkIds, WorkRecord } from './records.js';
import { allocateIds, execute, query, type Tx, withoutNul } from './sql.js';

/**
 * Writes a batch of work records inside one transaction: duplicates inside the batch are
 * folded first, each record is resolved to a stored work (normalized DOI, OpenAlex id,
 * Semantic Scholar id and corpus id, arXiv id, then normalized title + year), stored works
 * gain the fields and ids they lack (a stored value is never overwritten, so importing the
 * same file again changes nothing), authors are resolved to people, reported counts are kept
 * per source and date, references become citation edges (to minimal works when the cited
 * work is not stored yet), and the citation counters of every touched work are refreshed.
 */

export interface WorkSource {
  /** Dataset name kept in work.sources, reported_count.source and citation.source. */
  name: string;
  /** The source's own work id, matched first and not recorded as an identity event. */
  ownId: IdField | null;
  /**
   * Bibliographies (BibTeX, CSL-JSON) have no ids of their own: a stored work with the same
   * citation key and title is their record, imported before.
   */
  ownCitationKey?: boolean;
  /** The source's own person id. */
  ownPersonId: 'openalexId' | 's2Id' | null;
  /** Input file name, for provenance of reported counts. */
  file: string;
}

export interface WorkBatchResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Records recognized as a stored work another source brought (a new identity event). */
  merged: number;
  /** Records that repeat an earlier record of the batch, folded into it. */
  skipped: number;
  /** Minimal works created for references to works not stored yet. */
  stubs: number;
  citations: number;
  people: number;
  warnings: { line: number; reason: string }[];
  /** The work each input line was written to. */
  workIdByLine: Map<number, number>;
}

type IdField = 'doi' | 'openalexId' | 's2Id' | 's2CorpusId' | 'arxivId';
const ID_FIELDS: IdField[] = ['doi', 'openalexId', 's2Id', 's2CorpusId', 'arxivId'];
const ID_REASONS: Record<IdField, IdentityReason> = {
  doi: 'DOI',
  openalexId: 'OPENALEX_ID',
  s2Id: 'S2_ID',
  s2CorpusId: 'S2_CORPUS_ID',
  arxivId: 'ARXIV_ID',
};
const ID_COLUMNS: Record<IdField, string> = {
  doi: 'doi',
  openalexId: 'openalex_id',
  s2Id: 's2_id',
  s2CorpusId: 's2_corpus_id',
  arxivId: 'arxiv_id',
};
/** Titles shorter than this ("Introduction", "Editorial") do not identify a work. */
const MIN_TITLE_KEY = 16;

const TEXT_FIELDS = ['title', 'venue', 'volume', 'issue', 'pages', 'publisher', 'url', 'citationKey'] as const;
type TextField = (typeof TEXT_FIELDS)[number];

interface StoredWork {
  id: number;
  doi: string | null;
  openalexId: string | null;
  s2Id: string | null;
  s2CorpusId: number | null;
  arxivId: string | null;
  title: string | null;
  titleKey: string | null;
  publicationYear: number | null;
  publicationDate: string | null;
  type: string | null;
  venue: string | null;
  volume: string | null;
  issue: string | null;
  pages: string | null;
  publisher: string | null;
  url: string | null;
  citationKey: string | null;
  sources: string[];
}

const STORED_COLUMNS = `id, doi, openalex_id AS "openalexId", s2_id AS "s2Id", s2_corpus_id AS "s2CorpusId",
  arxiv_id AS "arxivId", title, title_key AS "titleKey", publication_year AS "publicationYear",
  to_char(publication_date, 'YYYY-MM-DD') AS "publicationDate", type::text AS type, venue, volume, issue, pages,
  publisher, url, citation_key AS "citationKey", sources`;

interface Group {
  record: WorkRecord;
  lines: number[];
  titleKey: string | null;
}

const idKey = (field: IdField, value: string | number) => `${field}:${value}`;
const idsOf = (ids: WorkIds): [IdField, string | number][] =>
  ID_FIELDS.flatMap((field) => {
    const value = ids[field];
    return value === null || value === undefined || value === '' ? [] : [[field, value] as [IdField, string | number]];
  });
const citedKey = (citationKey: string | null | undefined, titleKey: string | null) =>
  citationKey ? `key:${citationKey}|${titleKey ?? ''}` : null;
const titleYearKey = (titleKey: string | null, year: number | null | undefined) =>
  titleKey && titleKey.length >= MIN_TITLE_KEY && year ? `title:${titleKey}|${year}` : null;

function keyOf(record: WorkRecord): string | null {
  return record.title ? matchKey(record.title) : null;
}

/** Fields the first record lacks are taken from the later one; references are united. */
function fold(into: WorkRecord, other: WorkRecord): void {
  const ids = into.ids as Record<IdField, string | number | null | undefined>;
  for (const [field, value] of idsOf(other.ids)) ids[field] ??= value;
  into.title ??= other.title;
  into.publicationYear ??= other.publicationYear;
  into.publicationDate ??= other.publicationDate;
  into.type ??= other.type;
  into.venue ??= other.venue;
  if (other.biblio) into.biblio = { ...other.biblio, ...stripNulls(into.biblio ?? {}) };
  if (!into.authors?.length && other.authors?.length) into.authors = other.authors;
  if (other.reported && (!into.reported || other.reported.retrievedOn > into.reported.retrievedOn))
    into.reported = other.reported;
  if (other.references?.length) into.references = [...(into.references ?? []), ...other.references];
}

const stripNulls = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;

/**
 * Folds records of the batch that are one work: records that share an identifier, or title and
 * year, with no identifier that differs (the same rules as for stored works, so batch
 * boundaries do not change the outcome). A record that shares an identifier with a record whose
 * other identifiers differ stays apart, without the shared one, which a unique identifier
 * cannot give twice.
 */
function groupBatch(items: { value: WorkRecord; line: number }[]) {
  const groups: Group[] = [];
  const byKey = new Map<string, Group>();
  const warnings: { line: number; reason: string }[] = [];
  let duplicates = 0;
  const dropShared = (record: WorkRecord, other: Group, line: number) => {
    for (const [field, id] of idsOf(record.ids))
      if (other.record.ids[field] === id) {
        warnings.push({
          line,
          reason: `${field} ${id} is also on line ${other.lines[0]}, whose other identifiers differ; kept apart, and the ${field} is not stored a second time`,
        });
        record.ids[field] = null;
      }
  };
  for (const { value, line } of items) {
    const record: WorkRecord = { ...value, ids: { ...value.ids } };
    const titleKey = keyOf(record);
    const hits: Group[] = [];
    for (const [field, id] of idsOf(record.ids)) {
      const group = byKey.get(idKey(field, id));
      if (!group || hits.includes(group)) continue;
      if (compatibleRecords(group.record.ids, record.ids)) hits.push(group);
      else dropShared(record, group, line);
    }
    const weak = titleYearKey(titleKey, record.publicationYear);
    const byTitle = weak ? byKey.get(weak) : undefined;
    if (byTitle && !hits.includes(byTitle) && compatibleRecords(byTitle.record.ids, record.ids)) hits.push(byTitle);

    const [target, ...others] = hits;
    if (!target) {
      const group = { record, lines: [line], titleKey };
      groups.push(group);
      for (const [field, id] of idsOf(record.ids)) byKey.set(idKey(field, id), group);
      if (weak && !byKey.has(weak)) byKey.set(weak, group);
      continue;
    }
    // Groups the record links (one by DOI, another by arXiv id) are one work when they agree.
    const joined: Group[] = [];
    for (const other of others) {
      const united = { ...other.record.ids, ...stripNulls(record.ids), ...stripNulls(target.record.ids) };
      if (compatibleRecords(united, other.record.ids) && compatibleRecords(target.record.ids, other.record.ids))
        joined.push(other);
      else dropShared(record, other, line);
    }
    duplicates += 1;
    fold(target.record, record);
    target.lines.push(line);
    target.titleKey ??= titleKey;
    for (const other of joined) {
      duplicates += other.lines.length;
      fold(target.record, other.record);
      target.lines.push(...other.lines);
      target.titleKey ??= other.titleKey;
      groups.splice(groups.indexOf(other), 1);
      for (const [key, group] of byKey) if (group === other) byKey.set(key, target);
    }
    for (const [field, id] of idsOf(target.record.ids)) byKey.set(idKey(field, id), target);
    if (weak && !byKey.has(weak)) byKey.set(weak, target);
  }
  return { groups, duplicates, warnings };
}

const compatibleRecords = (a: WorkIds, b: WorkIds) =>
  idsOf(b).every(([field, value]) => a[field] === null || a[field] === undefined || a[field] === value);

class StoredIndex {
  private readonly byKey = new Map<string, StoredWork>();
  constructor(rows: StoredWork[]) {
    for (const row of rows) this.add(row);
  }
  add(row: StoredWork) {
    for (const [field, value] of idsOf(row)) this.byKey.set(idKey(field, value), row);
    const title = titleYearKey(row.titleKey, row.publicationYear);
    if (title && !this.byKey.has(title)) this.byKey.set(title, row);
    const cited = citedKey(row.citationKey, row.titleKey);
    if (cited && !this.byKey.has(cited)) this.byKey.set(cited, row);
  }
  remove(row: StoredWork) {
    for (const [key, value] of this.byKey) if (value === row) this.byKey.delete(key);
  }
  get(key: string | null) {
    return key ? this.byKey.get(key) : undefined;
  }
}

/** Two works can be one only when no identifier they both carry differs. */
const compatible = (work: StoredWork, ids: WorkIds) =>
  idsOf(ids).every(([field, value]) => work[field] === null || work[field] === value);

async function loadStored(
  tx: Tx,
  idLists: WorkIds[],
  titles: { key: string; year: number }[],
  citationKeys: string[] = [],
): Promise<StoredWork[]> {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const field of ID_FIELDS) {
    const values = [
      ...new Set(idLists.map((ids) => ids[field]).filter((value) => value !== null && value !== undefined)),
    ];
    if (values.length === 0) continue;
    params.push(values);
    parts.push(
      `SELECT ${STORED_COLUMNS} FROM work WHERE ${ID_COLUMNS[field]} = ANY($${params.length}::${field === 's2CorpusId' ? 'int' : 'text'}[])`,
    );
  }
  if (titles.length > 0) {
    params.push(
      titles.map((title) => title.key),
      titles.map((title) => title.year),
    );
    parts.push(
      `SELECT ${STORED_COLUMNS} FROM work JOIN unnest($${params.length - 1}::text[], $${params.length}::int[]) AS t(key, year)
       ON title_key = t.key AND publication_year = t.year`,
    );
  }
  if (citationKeys.length > 0) {
    params.push(citationKeys);
    parts.push(`SELECT ${STORED_COLUMNS} FROM work WHERE citation_key = ANY($${params.length}::text[])`);
  }
  if (parts.length === 0) return [];
  // UNION drops the rows several identifiers find twice.
  return query<StoredWork>(tx, parts.join('\nUNION\n'), ...params);
}

interface Match {
  work: StoredWork;
  /** `key`: the bibliography's own citation key (with the same title). */
  reason: IdField | 'title' | 'key';
}

/**
 * The stored works a record matches, best first: by the source's own id, then by identifier in
 * priority order, then title + year.
 */
function matchesOf(index: StoredIndex, group: Group, source: WorkSource): { matches: Match[]; conflicts: Match[] } {
  const matches: Match[] = [];
  const conflicts: Match[] = [];
  const ownId = source.ownId;
  const own = source.ownCitationKey ? index.get(citedKey(group.record.biblio?.citationKey, group.titleKey)) : undefined;
  if (own && compatible(own, group.record.ids)) matches.push({ work: own, reason: 'key' });
  const ids = idsOf(group.record.ids).sort(([a], [b]) => Number(b === ownId) - Number(a === ownId));
  for (const [field, value] of ids) {
    const work = index.get(idKey(field, value));
    if (!work || [...matches, ...conflicts].some((match) => match.work === work)) continue;
    // A stored work with a different value of an identifier the record carries is another
    // work, even when some other identifier says otherwise (e.g. two OpenAlex records of one DOI).
    (compatible(work, group.record.ids) ? matches : conflicts).push({ work, reason: field });
  }
  const byTitle = index.get(titleYearKey(group.titleKey, group.record.publicationYear));
  if (byTitle && !matches.some((match) => match.work === byTitle) && compatible(byTitle, group.record.ids))
    matches.push({ work: byTitle, reason: 'title' });
  return { matches, conflicts };
}

const describeConflict = (conflict: Match, record: WorkRecord) =>
  `${conflict.reason} ${String(record.ids[conflict.reason as IdField])} is already held by work ${conflict.work.id}, whose other identifiers differ (${idsOf(
    conflict.work,
  )
    .map(([field, value]) => `${field} ${value}`)
    .join(', ')}); kept apart, and the ${conflict.reason} is not stored a second time`;

const identityReason = (reason: Match['reason']): IdentityReason =>
  reason === 'title' || reason === 'key' ? 'TITLE_YEAR' : ID_REASONS[reason];

const describeRecord = (source: WorkSource, record: WorkRecord) => `${source.name} record ${record.recordKey}`;

export async function writeWorks(
  tx: Tx,
  items: { value: WorkRecord; line: number }[],
  source: WorkSource,
): Promise<WorkBatchResult> {
  const result: WorkBatchResult = {
    inserted: 0,
    updated: 0,
    unchanged: 0,
    merged: 0,
    skipped: 0,
    stubs: 0,
    citations: 0,
    people: 0,
    warnings: [],
    workIdByLine: new Map(),
  };
  const { groups, duplicates, warnings } = groupBatch(items);
  result.skipped = duplicates;
  result.warnings.push(...warnings);

  const titles = groups.flatMap((group) =>
    titleYearKey(group.titleKey, group.record.publicationYear) && group.record.publicationYear
      ? [{ key: group.titleKey as string, year: group.record.publicationYear }]
      : [],
  );
  const stored = await loadStored(
    tx,
    groups.map((group) => group.record.ids),
    titles,
    source.ownCitationKey
      ? groups.flatMap((group) => (group.record.biblio?.citationKey ? [group.record.biblio.citationKey] : []))
      : [],
  );
  const index = new StoredIndex(stored);
  // A record of a source that already contributed to the work was recognized before: no new event.
  const known = new Set(stored.filter((work) => work.sources.includes(source.name)).map((work) => work.id));

  const events: { workId: number; reason: IdentityReason; detail: string }[] = [];
  const changed = new Set<number>();
  const recite = new Set<number>();
  const workIdOf = new Map<Group, number>();
  const fresh: Group[] = [];

  for (const group of groups) {
    const { matches, conflicts } = matchesOf(index, group, source);
    for (const conflict of conflicts)
      result.warnings.push({ line: group.lines[0] ?? 0, reason: describeConflict(conflict, group.record) });
    const first = matches[0];
    if (!first) {
      fresh.push(group);
      continue;
    }
    const keep = first.work;
    for (const other of matches.slice(1)) {
      if (!compatible(keep, other.work)) {
        result.warnings.push({
          line: group.lines[0] ?? 0,
          reason: `also matches work ${other.work.id} by ${other.reason}, which carries different identifiers; kept apart`,
        });
        continue;
      }
      index.remove(other.work);
      await mergeWorks(tx, keep, other.work);
      recite.add(keep.id);
      // Groups of this batch already resolved to the merged work now belong to the kept one.
      for (const [resolved, id] of workIdOf) if (id === other.work.id) workIdOf.set(resolved, keep.id);
      for (const event of events) if (event.workId === other.work.id) event.workId = keep.id;
      for (const ids of [changed, recite]) if (ids.delete(other.work.id)) ids.add(keep.id);
      index.add(keep);
      events.push({
        workId: keep.id,
        reason: identityReason(other.reason),
        detail: `work ${other.work.id} merged in: ${describeRecord(source, group.record)} matched both`,
      });
      changed.add(keep.id);
    }
    if (first.reason !== source.ownId && first.reason !== 'key' && !known.has(keep.id)) {
      const via =
        first.reason === 'title'
          ? `title and year ${group.record.publicationYear}`
          : `${first.reason} ${String(group.record.ids[first.reason])}`;
      events.push({
        workId: keep.id,
        reason: identityReason(first.reason),
        detail: `${describeRecord(source, group.record)} by ${via}`,
      });
    }
    workIdOf.set(group, keep.id);
    const year = keep.publicationYear;
    if (await fillWork(tx, keep, group, source, index)) changed.add(keep.id);
    if (keep.publicationYear !== year) recite.add(keep.id);
  }

  const eventsAdded = await recordWorkEvents(tx, events, source.name);
  result.merged += eventsAdded;

  const newIds = await insertWorks(tx, fresh, source, index);
  fresh.forEach((group, position) => {
    const id = newIds[position];
    if (id !== undefined) workIdOf.set(group, id);
  });
  result.inserted = fresh.length;

  const people = await writeAuthorships(tx, groups, workIdOf, source);
  result.people = people.created;
  for (const id of people.worksChanged) changed.add(id);

  for (const id of await writeReportedCounts(tx, groups, workIdOf, source)) changed.add(id);

  const edges = groups.flatMap((group) =>
    (group.record.references ?? []).map((cited) => ({ citingId: workIdOf.get(group) ?? 0, cited })),
  );
  const written = await writeEdges(tx, edges, source.name);
  result.stubs = written.stubs;
  result.citations = written.citations;
  for (const id of written.citingChanged) changed.add(id);

  for (const [group, id] of workIdOf) for (const line of group.lines) result.workIdByLine.set(line, id);
  const newSet = new Set(newIds);
  for (const id of workIdOf.values()) if (!newSet.has(id)) changed.has(id) ? result.updated++ : result.unchanged++;
  // Works whose year was filled in or that took over another's references: the works they cite count again.
  const recount = await query<{ id: number }>(
    tx,
    `SELECT DISTINCT cited_id AS id FROM citation WHERE citing_id = ANY($1::int[])`,
    [...recite],
  );
  const refresh = [...new Set([...changed, ...newIds, ...recount.map((row) => row.id)])];
  if (refresh.length > 0) await refreshCitationCounts(tx, refresh);
  return result;
}

/** Sets the fields and identifiers a stored work lacks; true when anything changed. */
async function fillWork(tx: Tx, work: StoredWork, group: Group, source: WorkSource, index: StoredIndex) {
  const record = group.record;
  const sets: string[] = [];
  const params: unknown[] = [work.id];
  const set = (column: string, value: unknown, cast: string) => {
    params.push(value);
    sets.push(`${column} = $${params.length}::${cast}`);
  };
  for (const [field, value] of idsOf(record.ids)) {
    if (work[field] !== null) continue;
    const holder = index.get(idKey(field, value));
    if (holder && holder !== work) continue;
    (work as unknown as Record<IdField, string | number>)[field] = value;
    index.add(work);
    set(ID_COLUMNS[field], value, field === 's2CorpusId' ? 'int' : 'text');
  }
  const texts: Record<TextField, string | null | undefined> = {
    title: record.title,
    venue: record.venue,
    volume: record.biblio?.volume,
    issue: record.biblio?.issue,
    pages: record.biblio?.pages,
    publisher: record.biblio?.publisher,
    url: record.biblio?.url,
    citationKey: record.biblio?.citationKey,
  };
  for (const field of TEXT_FIELDS) {
    const value = texts[field];
    if (work[field] !== null || !value) continue;
    work[field] = withoutNul(value);
    set(field === 'citationKey' ? 'citation_key' : field, work[field], 'text');
    if (field === 'title') set('title_key', matchKey(work[field]), 'text');
  }
  if (work.publicationYear === null && record.publicationYear) {
    work.publicationYear = record.publicationYear;
    set('publication_year', record.publicationYear, 'int');
  }
  if (work.publicationDate === null && record.publicationDate) {
    work.publicationDate = record.publicationDate;
    set('publication_date', record.publicationDate, 'date');
  }
  if (work.type === null && record.type) {
    work.type = record.type;
    set('type', record.type, '"WorkType"');
  }
  if (!work.sources.includes(source.name)) {
    work.sources = [...work.sources, source.name];
    set('sources', work.sources, 'text[]');
  }
  if (sets.length === 0) return false;
  await execute(tx, `UPDATE work SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, ...params);
  return true;
}

/**
 * Joins `other` into `keep`: citations in both directions, authorships when keep has none,
 * reported counts keep lacks, project links and identity events move; then other is deleted
 * and keep takes the identifiers and fields it lacked.
 */
async function mergeWorks(tx: Tx, keep: StoredWork, other: StoredWork): Promise<void> {
  const [k, o] = [keep.id, other.id];
  await execute(
    tx,
    `INSERT INTO citation (citing_id, cited_id, source) SELECT $1, cited_id, source FROM citation
     WHERE citing_id = $2 AND cited_id <> $1 ON CONFLICT DO NOTHING`,
    k,
    o,
  );
  await execute(
    tx,
    `INSERT INTO citation (citing_id, cited_id, source) SELECT citing_id, $1, source FROM citation
     WHERE cited_id = $2 AND citing_id <> $1 ON CONFLICT DO NOTHING`,
    k,
    o,
  );
  await execute(
    tx,
    `INSERT INTO authorship (work_id, person_id, position, affiliation)
     SELECT $1, person_id, position, affiliation FROM authorship
     WHERE work_id = $2 AND NOT EXISTS (SELECT 1 FROM authorship WHERE work_id = $1)`,
    k,
    o,
  );
  await execute(tx, `UPDATE work SET count_basis_id = NULL WHERE id = $1`, o);
  await execute(
    tx,
    `UPDATE reported_count r SET work_id = $1 WHERE work_id = $2 AND NOT EXISTS (
       SELECT 1 FROM reported_count k WHERE k.work_id = $1 AND k.source = r.source AND k.retrieved_on = r.retrieved_on)`,
    k,
    o,
  );
  await execute(
    tx,
    `INSERT INTO work_project (work_id, project_id, source) SELECT $1, project_id, source FROM work_project
     WHERE work_id = $2 ON CONFLICT DO NOTHING`,
    k,
    o,
  );
  await execute(
    tx,
    `INSERT INTO identity_event (work_id, reason, detail, source, at) SELECT $1, reason, detail, source, at
     FROM identity_event WHERE work_id = $2 ON CONFLICT DO NOTHING`,
    k,
    o,
  );
  await execute(tx, `DELETE FROM work WHERE id = $1`, o);
  const carried: Record<string, unknown> = {};
  for (const field of [...ID_FIELDS, ...TEXT_FIELDS, 'publicationYear', 'publicationDate', 'type'] as const) {
    if (keep[field] === null && other[field] !== null) {
      (keep as unknown as Record<string, unknown>)[field] = other[field];
      carried[field] = other[field];
    }
  }
  keep.titleKey ??= other.titleKey;
  keep.sources = [...new Set([...keep.sources, ...other.sources])];
  await execute(
    tx,
    `UPDATE work SET doi = $2, openalex_id = $3, s2_id = $4, s2_corpus_id = $5, arxiv_id = $6, title = $7, title_key = $8,
       venue = $9, volume = $10, issue = $11, pages = $12, publisher = $13, url = $14, citation_key = $15,
       publication_year = $16, publication_date = $17::date, type = $18::"WorkType", sources = $19::text[], updated_at = now()
     WHERE id = $1`,
    k,
    keep.doi,
    keep.openalexId,
    keep.s2Id,
    keep.s2CorpusId,
    keep.arxivId,
    keep.title,
    keep.titleKey,
    keep.venue,
    keep.volume,
    keep.issue,
    keep.pages,
    keep.publisher,
    keep.url,
    keep.citationKey,
    keep.publicationYear,
    keep.publicationDate,
    keep.type,
    keep.sources,
  );
}

async function insertWorks(tx: Tx, groups: Group[], source: WorkSource, index: StoredIndex): Promise<number[]> {
  const ids = await allocateIds(tx, 'work', groups.length);
  if (groups.length === 0) return ids;
  const taken = new Set<string>();
  for (const group of groups) {
    const record = group.record;
    const held = idsOf(record.ids).filter(
      ([field, value]) => index.get(idKey(field, value)) || taken.has(idKey(field, value)),
    );
    if (held.length > 0) record.ids = { ...record.ids, ...Object.fromEntries(held.map(([field]) => [field, null])) };
    for (const [field, value] of idsOf(record.ids)) taken.add(idKey(field, value));
  }
  const records = groups.map((group) => group.record);
  const text = (value: string | null | undefined) => (value ? withoutNul(value) : null);
  await execute(
    tx,
    `INSERT INTO work (id, title, title_key, publication_year, publication_date, type, venue, doi, openalex_id, s2_id,
                       s2_corpus_id, arxiv_id, volume, issue, pages, publisher, url, citation_key, sources, updated_at)
     SELECT v.id, v.title, v.title_key, v.year, v.date, v.type::"WorkType", v.venue, v.doi, v.openalex_id, v.s2_id,
            v.corpus, v.arxiv, v.volume, v.issue, v.pages, v.publisher, v.url, v.citation_key, ARRAY[$19::text], now()
     FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::date[], $6::text[], $7::text[], $8::text[], $9::text[],
                 $10::text[], $11::int[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[])
       AS v(id, title, title_key, year, date, type, venue, doi, openalex_id, s2_id, corpus, arxiv, volume, issue, pages,
            publisher, url, citation_key)`,
    ids,
    records.map((record) => text(record.title)),
    groups.map((group) => group.titleKey),
    records.map((record) => record.publicationYear ?? null),
    records.map((record) => record.publicationDate ?? null),
    records.map((record) => record.type ?? null),
    records.map((record) => text(record.venue)),
    records.map((record) => record.ids.doi ?? null),
    records.map((record) => record.ids.openalexId ?? null),
    records.map((record) => record.ids.s2Id ?? null),
    records.map((record) => record.ids.s2CorpusId ?? null),
    records.map((record) => record.ids.arxivId ?? null),
    records.map((record) => text(record.biblio?.volume)),
    records.map((record) => text(record.biblio?.issue)),
    records.map((record) => text(record.biblio?.pages)),
    records.map((record) => text(record.biblio?.publisher)),
    records.map((record) => text(record.biblio?.url)),
    records.map((record) => text(record.biblio?.citationKey)),
    source.name,
  );
  groups.forEach((group, position) => {
    const record = group.record;
    index.add({
      id: ids[position] ?? 0,
      doi: record.ids.doi ?? null,
      openalexId: record.ids.openalexId ?? null,
      s2Id: record.ids.s2Id ?? null,
      s2CorpusId: record.ids.s2CorpusId ?? null,
      arxivId: record.ids.arxivId ?? null,
      title: record.title ?? null,
      titleKey: group.titleKey,
      publicationYear: record.publicationYear ?? null,
      publicationDate: record.publicationDate ?? null,
      type: record.type ?? null,
      venue: record.venue ?? null,
      volume: null,
      issue: null,
      pages: null,
      publisher: null,
      url: null,
      citationKey: null,
      sources: [source.name],
    });
  });
  return ids;
}

/** Authors of works that have none stored yet; a stored author list is kept as it is. */
async function writeAuthorships(tx: Tx, groups: Group[], workIdOf: Map<Group, number>, source: WorkSource) {
  const withAuthors = groups.filter((group) => group.record.authors?.length);
  const worksChanged = new Set<number>();
  if (withAuthors.length === 0) return { created: 0, worksChanged };
  const stored = await query<{ workId: number }>(
    tx,
    `SELECT DISTINCT work_id AS "workId" FROM authorship WHERE work_id = ANY($1::int[])`,
    withAuthors.map((group) => workIdOf.get(group)),
  );
  const authored = new Set(stored.map((row) => row.workId));
  // One author list per work: the first record of the batch that has one gives it.
  const pending = withAuthors.filter((group) => {
    const workId = workIdOf.get(group) ?? 0;
    if (authored.has(workId)) return false;
    authored.add(workId);
    return true;
  });
  const requests = pending.flatMap((group) => {
    const authors = (group.record.authors ?? []).filter((author) => author.name.trim() !== '');
    const keys = authors.map((author) => matchKey(author.name));
    return authors.map((author, position) => ({
      author,
      // A namesake on the same work is not a co-author in common.
      coauthorKeys: keys.filter((key) => key !== keys[position]),
      context: `on ${group.record.recordKey}`,
      workId: workIdOf.get(group) ?? 0,
      position: position + 1,
    }));
  });
  if (requests.length === 0) return { created: 0, worksChanged };
  const people = await resolvePeople(tx, requests, { name: source.name, ownId: source.ownPersonId });
  await execute(
    tx,
    `INSERT INTO authorship (work_id, person_id, position, affiliation)
     SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[]) ON CONFLICT DO NOTHING`,
    requests.map((request) => request.workId),
    people.ids,
    requests.map((request) => request.position),
    requests.map((request) => (request.author.affiliation ? withoutNul(request.author.affiliation) : null)),
  );
  for (const request of requests) worksChanged.add(request.workId);
  return { created: people.created, worksChanged };
}

/** Upserts each record's reported count; returns the works whose stored figures changed. */
async function writeReportedCounts(
  tx: Tx,
  groups: Group[],
  workIdOf: Map<Group, number>,
  source: WorkSource,
): Promise<number[]> {
  const reported = groups.flatMap((group) => {
    const figures = group.record.reported;
    const workId = workIdOf.get(group);
    if (!figures || workId === undefined) return [];
    const years = [...(figures.years ?? [])].sort((a, b) => a.year - b.year);
    return [{ workId, figures, years, sourceRecord: `${source.file} ${group.record.recordKey}` }];
  });
  if (reported.length === 0) return [];
  const stored = await query<{ id: number; workId: number; total: number; sourceRecord: string; years: string }>(
    tx,
    `SELECT rc.id, rc.work_id AS "workId", rc.total, rc.source_record AS "sourceRecord",
            coalesce((SELECT string_agg(y.year || ':' || y.count, ',' ORDER BY y.year)
                      FROM reported_yearly_count y WHERE y.reported_count_id = rc.id), '') AS years
     FROM reported_count rc
     WHERE rc.source = $1 AND (rc.work_id, rc.retrieved_on) IN (SELECT * FROM unnest($2::int[], $3::date[]))`,
    source.name,
    reported.map((row) => row.workId),
    reported.map((row) => row.figures.retrievedOn),
  );
  const byWork = new Map(stored.map((row) => [row.workId, row]));
  const latest = new Map(reported.map((row) => [`${row.workId} ${row.figures.retrievedOn}`, row]));
  const changed = [...latest.values()].filter((row) => {
    const current = byWork.get(row.workId);
    const years = row.years.map((year) => `${year.year}:${year.count}`).join(',');
    return !current || current.total !== row.figures.total || current.years !== years;
  });
  if (changed.length === 0) return [];
  const upserted = await query<{ id: number; workId: number }>(
    tx,
    `INSERT INTO reported_count (work_id, source, source_record, retrieved_on, total)
     SELECT v.work_id, $1, v.source_record, v.retrieved_on, v.total
     FROM unnest($2::int[], $3::text[], $4::date[], $5::int[]) AS v(work_id, source_record, retrieved_on, total)
     ON CONFLICT (work_id, source, retrieved_on) DO UPDATE SET total = EXCLUDED.total, source_record = EXCLUDED.source_record
     RETURNING id, work_id AS "workId"`,
    source.name,
    changed.map((row) => row.workId),
    changed.map((row) => row.sourceRecord),
    changed.map((row) => row.figures.retrievedOn),
    changed.map((row) => row.figures.total),
  );
  const countOf = new Map(upserted.map((row) => [row.workId, row.id]));
  await execute(
    tx,
    `DELETE FROM reported_yearly_count WHERE reported_count_id = ANY($1::int[])`,
    upserted.map((row) => row.id),
  );
  const years = changed.flatMap((row) =>
    row.years.map((year) => ({ id: countOf.get(row.workId) ?? 0, year: year.year, count: year.count })),
  );
  if (years.length > 0)
    await execute(
      tx,
      `INSERT INTO reported_yearly_count (reported_count_id, year, count)
       SELECT * FROM unnest($1::int[], $2::int[], $3::int[]) ON CONFLICT DO NOTHING`,
      years.map((row) => row.id),
      years.map((row) => row.year),
      years.map((row) => row.count),
    );
  return changed.map((row) => row.workId);
}

/**
 * Citation edges from stored citing works to cited works named by identifiers. A cited work
 * that is not stored becomes a minimal work holding only its identifiers, so no edge is
 * dropped; a later import of that work fills it in. New edges are counted into the cited
 * works as they are written (see countNewCitations).
 */
export async function writeEdges(
  tx: Tx,
  edges: { citingId: number; cited: WorkIds }[],
  source: string,
): Promise<{ citations: number; stubs: number; citingChanged: number[] }> {
  const empty = { citations: 0, stubs: 0, citingChanged: [] };
  const usable = edges.filter((edge) => edge.citingId > 0 && idsOf(edge.cited).length > 0);
  if (usable.length === 0) return empty;
  const { ids: citedIds, stubIds } = await resolveWorkIds(
    tx,
    usable.map((edge) => edge.cited),
  );
  const pairs = new Map<string, [number, number]>();
  usable.forEach((edge, position) => {
    const cited = citedIds[position];
    if (cited) pairs.set(`${edge.citingId}>${cited}`, [edge.citingId, cited]);
  });
  const rows = [...pairs.values()];
  const inserted = await query<{ citingId: number; citedId: number }>(
    tx,
    `INSERT INTO citation (citing_id, cited_id, source) SELECT *, $3 FROM unnest($1::int[], $2::int[])
     ON CONFLICT DO NOTHING RETURNING citing_id AS "citingId", cited_id AS "citedId"`,
    rows.map(([citing]) => citing),
    rows.map(([, cited]) => cited),
    source,
  );
  await countNewCitations(tx, inserted);
  return {
    citations: inserted.length,
    stubs: stubIds.length,
    citingChanged: [...new Set(inserted.map((row) => row.citingId))],
  };
}

/** Stored work ids for identifier sets, creating minimal works for the ones not stored. */
export async function resolveWorkIds(tx: Tx, wanted: WorkIds[]): Promise<{ ids: number[]; stubIds: number[] }> {
  const index = new StoredIndex(await loadStored(tx, wanted, []));
  const ids = new Array<number>(wanted.length).fill(0);
  const missing = new Map<string, { ids: WorkIds; positions: number[] }>();
  wanted.forEach((workIds, position) => {
    const keys = idsOf(workIds).map(([field, value]) => idKey(field, value));
    const stored = keys.map((key) => index.get(key)).find((work) => work !== undefined);
    if (stored) {
      ids[position] = stored.id;
      return;
    }
    const entry = keys.map((key) => missing.get(key)).find((found) => found !== undefined);
    if (entry) entry.positions.push(position);
    else {
      const created = { ids: workIds, positions: [position] };
      for (const key of keys) missing.set(key, created);
    }
  });
  const stubs = [...new Set(missing.values())];
  const stubIds = await allocateIds(tx, 'work', stubs.length);
  if (stubs.length > 0) {
    const column = (field: IdField) => stubs.map((stub) => stub.ids[field] ?? null);
    await execute(
      tx,
      `INSERT INTO work (id, doi, openalex_id, s2_id, s2_corpus_id, arxiv_id, sources, has_yearly_counts, updated_at)
       SELECT *, '{}'::text[], true, now() FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[])`,
      stubIds,
      column('doi'),
      column('openalexId'),
      column('s2Id'),
      column('s2CorpusId'),
      column('arxivId'),
    );
    stubs.forEach((stub, position) => {
      for (const at of stub.positions) ids[at] = stubIds[position] ?? 0;
    });
  }
  return { ids, stubIds };
}

/** Citation records from an edge file: both ends resolved (or created minimal), then written. */
export async function writeCitationRecords(
  tx: Tx,
  items: { value: CitationRecord; line: number }[],
  source: string,
): Promise<{ citations: number; stubs: number }> {
  const citing = await resolveWorkIds(
    tx,
    items.map((item) => item.value.citing),
  );
  const written = await writeEdges(
    tx,
    items.map((item, position) => ({ citingId: citing.ids[position] ?? 0, cited: item.value.cited })),
    source,
  );
  return { citations: written.citations, stubs: written.stubs + citing.stubIds.length };
}

async function recordWorkEvents(
  tx: Tx,
  events: { workId: number; reason: IdentityReason; detail: string }[],
  source: string,
): Promise<number> {
  if (events.length === 0) return 0;
  const added = await query(
    tx,
    `INSERT INTO identity_event (work_id, reason, detail, source)
     SELECT v.work_id, v.reason::"IdentityReason", v.detail, $4 FROM unnest($1::int[], $2::text[], $3::text[]) AS v(work_id, reason, detail)
     ON CONFLICT DO NOTHING RETURNING id`,
    events.map((event) => event.workId),
    events.map((event) => event.reason),
    events.map((event) => withoutNul(event.detail)),
    source,
  );
  return added.length;
}
