import type { IdentityReason } from '../generated/prisma/client.js';
import { refreshCitationCounts } from '../services/counts.js';
import { matchKey, titleKey } from '../services/identifiers.js';
import { writeInstitutions } from './organizations.js';
import { resolvePeople } from './people.js';
import type { CitationRecord, WorkIds, WorkRecord } from './records.js';
import { markPending } from './settle.js';
import { allocateIds, execute, query, type Tx, transactionTime, withoutNul, withoutReferenceChecks } from './sql.js';
import { clear, stage } from './stage.js';

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
  publicationDatePrecision: string | null;
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
  to_char(publication_date, 'YYYY-MM-DD') AS "publicationDate",
  publication_date_precision::text AS "publicationDatePrecision", type::text AS type, venue, volume, issue, pages,
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
  return record.title ? titleKey(record.title) : null;
}

/** Fields the first record lacks are taken from the later one; references are united. */
function fold(into: WorkRecord, other: WorkRecord): void {
  const ids = into.ids as Record<IdField, string | number | null | undefined>;
  for (const [field, value] of idsOf(other.ids)) ids[field] ??= value;
  into.title ??= other.title;
  into.publicationYear ??= other.publicationYear;
  if (!into.publicationDate && other.publicationDate) {
    into.publicationDate = other.publicationDate;
    into.publicationDatePrecision = other.publicationDatePrecision;
  }
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
  const filled = new Set<StoredWork>();
  const mergedAway = new Set<number>();

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
      mergedAway.add(other.work.id);
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
    if (fillWork(keep, group, source, index)) {
      changed.add(keep.id);
      filled.add(keep);
    }
    if (keep.publicationYear !== year) recite.add(keep.id);
  }
  await writeFills(
    tx,
    [...filled].filter((work) => !mergedAway.has(work.id)),
  );

  const eventsAdded = await recordWorkEvents(tx, events, source.name);
  result.merged += eventsAdded;

  const newIds = await insertWorks(tx, fresh, source, index);
  fresh.forEach((group, position) => {
    const id = newIds[position];
    if (id !== undefined) workIdOf.set(group, id);
  });
  result.inserted = fresh.length;

  for (const id of await writeReportedCounts(tx, groups, workIdOf, source)) changed.add(id);

  // Works whose year was filled in or that took over another's references: the works their stored
  // references cite count again. (The batch's own new references are counted below with the years
  // already written, so a minimal work filled in by its record brings no recount.)
  const recount = await query<{ id: number }>(
    tx,
    `SELECT DISTINCT cited_id AS id FROM citation WHERE citing_id = ANY($1::int[])`,
    [...recite],
  );

  const edges = groups.flatMap((group) =>
    (group.record.references ?? []).map((cited) => ({ citingId: workIdOf.get(group) ?? 0, cited })),
  );
  const written = await writeEdges(tx, edges, source.name);
  result.stubs = written.stubs;
  result.citations = written.citations;

  // A work's own references do not enter its counts, so works that only gained references are not refreshed.
  const refresh = [...new Set([...changed, ...newIds, ...recount.map((row) => row.id)])];
  if (refresh.length > 0) await refreshCitationCounts(tx, refresh);
  for (const id of written.citingChanged) changed.add(id);

  // Authorships go in after the counts settle: the rollups' triggers then carry each work's
  // final per-year counts to its authors once, rather than its old counts and then the change.
  const people = await writeAuthorships(tx, groups, workIdOf, source);
  result.people = people.created;
  for (const id of people.worksChanged) changed.add(id);

  for (const [group, id] of workIdOf) for (const line of group.lines) result.workIdByLine.set(line, id);
  const newSet = new Set(newIds);
  for (const id of workIdOf.values()) if (!newSet.has(id)) changed.has(id) ? result.updated++ : result.unchanged++;
  return result;
}

/**
 * Gives a stored work (in memory) the fields and identifiers it lacks; true when anything
 * changed. The batch's changed works are written together by writeFills.
 */
function fillWork(work: StoredWork, group: Group, source: WorkSource, index: StoredIndex): boolean {
  const record = group.record;
  let changed = false;
  for (const [field, value] of idsOf(record.ids)) {
    if (work[field] !== null) continue;
    const holder = index.get(idKey(field, value));
    if (holder && holder !== work) continue;
    (work as unknown as Record<IdField, string | number>)[field] = value;
    index.add(work);
    changed = true;
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
    if (field === 'title') work.titleKey = titleKey(work[field]);
    changed = true;
  }
  if (work.publicationYear === null && record.publicationYear) {
    work.publicationYear = record.publicationYear;
    changed = true;
  }
  if (work.publicationDate === null && record.publicationDate) {
    work.publicationDate = record.publicationDate;
    work.publicationDatePrecision = record.publicationDatePrecision ?? null;
    changed = true;
  }
  if (work.type === null && record.type) {
    work.type = record.type;
    changed = true;
  }
  if (!work.sources.includes(source.name)) {
    work.sources = [...work.sources, source.name];
    changed = true;
  }
  return changed;
}

/** Writes the filled-in works as they now stand in memory, in one statement. */
async function writeFills(tx: Tx, works: StoredWork[]) {
  if (works.length === 0) return;
  await stage(
    tx,
    'stage_fill',
    [
      'id',
      'doi',
      'openalex_id',
      's2_id',
      's2_corpus_id',
      'arxiv_id',
      'title',
      'title_key',
      'venue',
      'volume',
      'issue',
      'pages',
      'publisher',
      'url',
      'citation_key',
      'publication_year',
      'publication_date',
      'publication_date_precision',
      'type',
      'sources',
    ],
    works.map((work) => [
      work.id,
      work.doi,
      work.openalexId,
      work.s2Id,
      work.s2CorpusId,
      work.arxivId,
      work.title,
      work.titleKey,
      work.venue,
      work.volume,
      work.issue,
      work.pages,
      work.publisher,
      work.url,
      work.citationKey,
      work.publicationYear,
      work.publicationDate,
      work.publicationDatePrecision,
      work.type,
      work.sources,
    ]),
  );
  // Most filled works are minimal works meeting their record, with no authors or projects to
  // move to a new year: the year trigger's work, done set-based for the few that have them,
  // instead of a trigger call per row.
  const triggersOff = await withoutReferenceChecks(tx, async (triggersOff) => {
    if (triggersOff) await moveFilledYears(tx);
    await execute(
      tx,
      `UPDATE work w SET doi = f.doi, openalex_id = f.openalex_id, s2_id = f.s2_id, s2_corpus_id = f.s2_corpus_id,
         arxiv_id = f.arxiv_id, title = f.title, title_key = f.title_key, venue = f.venue, volume = f.volume,
         issue = f.issue, pages = f.pages, publisher = f.publisher, url = f.url, citation_key = f.citation_key,
         publication_year = f.publication_year, publication_date = f.publication_date,
         publication_date_precision = f.publication_date_precision::"DatePrecision", type = f.type::"WorkType",
         sources = f.sources, updated_at = now()
       FROM stage_fill f WHERE w.id = f.id`,
    );
    return triggersOff;
  });
  // The organizations' rollups follow organization_work's own triggers, so their work is done once
  // the triggers are back on (see the organization_rollups migration).
  if (triggersOff) await execute(tx, `SELECT organization_sync_works(array_agg(id), array_agg(id)) FROM stage_fill`);
}

/**
 * What the rollups' work_year_changed trigger and the cohort triggers do, for the staged fills
 * about to be written with triggers off: a work whose publication year changes moves its work from
 * the old year to the new one in its authors' and projects' rollups, and moves itself and its
 * per-year citations to its new cohort.
 */
async function moveFilledYears(tx: Tx) {
  const moves = `FROM stage_fill f JOIN work w ON w.id = f.id AND w.publication_year IS DISTINCT FROM f.publication_year
    CROSS JOIN LATERAL (VALUES (w.publication_year, -1), (f.publication_year, 1)) AS y(year, n)`;
  await execute(
    tx,
    `SELECT rollup_add_person_years(array_agg(a.person_id), array_agg(y.year), array_agg(y.n), array_agg(0))
     ${moves} JOIN authorship a ON a.work_id = f.id`,
  );
  await execute(
    tx,
    `SELECT rollup_add_project_years(array_agg(l.project_id), array_agg(y.year), array_agg(y.n), array_agg(0))
     ${moves} JOIN work_project l ON l.work_id = f.id`,
  );
  await execute(
    tx,
    `SELECT cohort_add(array_agg(y.year), array_agg(y.n), array_agg(y.n * w.citation_count::bigint),
                       array_agg(y.n * (NOT w.has_yearly_counts)::int))
     ${moves}`,
  );
  await execute(
    tx,
    `SELECT cohort_year_add(array_agg(y.year), array_agg(c.year), array_agg(y.n * c.count::bigint))
     ${moves} JOIN work_yearly_count c ON c.work_id = f.id`,
  );
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
    `INSERT INTO authorship_institution (work_id, position, organization_id)
     SELECT $1, position, organization_id FROM authorship_institution
     WHERE work_id = $2 AND NOT EXISTS (SELECT 1 FROM authorship WHERE work_id = $1)`,
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
  // Each by its own statement, so the rollups' triggers see every row go (see the rollups migration).
  for (const table of ['authorship', 'work_project', 'work_yearly_count'])
    await execute(tx, `DELETE FROM ${table} WHERE work_id = $1`, o);
  await execute(tx, `DELETE FROM work WHERE id = $1`, o);
  const carried: Record<string, unknown> = {};
  for (const field of [
    ...ID_FIELDS,
    ...TEXT_FIELDS,
    'publicationYear',
    'publicationDate',
    'publicationDatePrecision',
    'type',
  ] as const) {
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
       publication_year = $16, publication_date = $17::date, type = $18::"WorkType", sources = $19::text[],
       publication_date_precision = $20::"DatePrecision", updated_at = now()
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
    keep.publicationDatePrecision,
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
  const text = (value: string | null | undefined) => (value ? withoutNul(value) : null);
  const now = await transactionTime(tx);
  await tx.copy(
    'work',
    [
      'id',
      'title',
      'title_key',
      'publication_year',
      'publication_date',
      'publication_date_precision',
      'type',
      'venue',
      'doi',
      'openalex_id',
      's2_id',
      's2_corpus_id',
      'arxiv_id',
      'volume',
      'issue',
      'pages',
      'publisher',
      'url',
      'citation_key',
      'sources',
      'updated_at',
    ],
    groups.map(({ record, titleKey }, position) => [
      ids[position] ?? 0,
      text(record.title),
      titleKey,
      record.publicationYear ?? null,
      record.publicationDate ?? null,
      record.publicationDate ? (record.publicationDatePrecision ?? null) : null,
      record.type ?? null,
      text(record.venue),
      record.ids.doi ?? null,
      record.ids.openalexId ?? null,
      record.ids.s2Id ?? null,
      record.ids.s2CorpusId ?? null,
      record.ids.arxivId ?? null,
      text(record.biblio?.volume),
      text(record.biblio?.issue),
      text(record.biblio?.pages),
      text(record.biblio?.publisher),
      text(record.biblio?.url),
      text(record.biblio?.citationKey),
      [source.name],
      now,
    ]),
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
      publicationDatePrecision: record.publicationDate ? (record.publicationDatePrecision ?? null) : null,
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
  if (withAuthors.length === 0) return { created: 0, organizations: 0, worksChanged };
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
  if (requests.length === 0) return { created: 0, organizations: 0, worksChanged };
  const people = await resolvePeople(tx, requests, { name: source.name, ownId: source.ownPersonId });
  // Namesakes on one work resolved to one person are one authorship, at the first position.
  const onWork = new Set<string>();
  const rows = requests.flatMap((request, at) => {
    const personId = people.ids[at] ?? 0;
    const key = `${request.workId} ${personId}`;
    if (onWork.has(key)) return [];
    onWork.add(key);
    const affiliation = request.author.affiliation ? withoutNul(request.author.affiliation) : null;
    return [[request.workId, personId, request.position, affiliation]];
  });
  await stage(tx, 'stage_authorship', ['work_id', 'person_id', 'position', 'affiliation'], rows);
  // The works and people were written or read above in this transaction.
  const triggersOff = await withoutReferenceChecks(tx, async (triggersOff) => {
    const inserted = await execute(
      tx,
      `INSERT INTO authorship (work_id, person_id, position, affiliation)
       SELECT work_id, person_id, position, affiliation FROM stage_authorship ON CONFLICT DO NOTHING`,
    );
    if (!triggersOff) return false;
    // The works had no authors stored (read above, under the import lock): every staged row went in.
    if (inserted !== rows.length)
      throw new Error(`${rows.length - inserted} of the batch's authorships were written by another writer meanwhile`);
    await addAuthorshipRollups(tx);
    return true;
  });
  if (triggersOff) {
    await execute(
      tx,
      `SELECT organization_sync_authorships(array_agg(work_id), array_agg(person_id)) FROM stage_authorship`,
    );
  }
  const affiliated = requests.flatMap((request, at) =>
    request.author.institutions?.length
      ? [{ workId: request.workId, position: request.position, institutions: request.author.institutions, at }]
      : [],
  );
  let organizations = 0;
  if (affiliated.length > 0) {
    organizations = await writeInstitutions(tx, affiliated);
    await markPending(tx, 'affiliation_pending', [...new Set(affiliated.map((row) => people.ids[row.at] ?? 0))]);
  }
  for (const request of requests) worksChanged.add(request.workId);
  return { created: people.created, organizations, worksChanged };
}

/**
 * What the authorship trigger of the rollups migration does, for the staged authorships just
 * inserted with triggers off: each adds its work's per-year citations and its publication year's
 * work to the person's rollup (the migration's rollup_authorships).
 */
async function addAuthorshipRollups(tx: Tx) {
  await execute(
    tx,
    `SELECT rollup_authorships(array_agg(work_id), array_agg(person_id), array_agg(1)) FROM stage_authorship`,
  );
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
  // The reported counts were upserted just above.
  if (years.length > 0)
    await withoutReferenceChecks(tx, () =>
      execute(
        tx,
        `INSERT INTO reported_yearly_count (reported_count_id, year, count)
         SELECT * FROM unnest($1::int[], $2::int[], $3::int[]) ON CONFLICT DO NOTHING`,
        years.map((row) => row.id),
        years.map((row) => row.year),
        years.map((row) => row.count),
      ),
    );
  return changed.map((row) => row.workId);
}

/**
 * Citation edges from stored citing works to cited works named by identifiers, staged and
 * merged set-based. A cited work that is not stored becomes a minimal work holding only its
 * identifiers, so no edge is dropped; a later import of that work fills it in. New edges are
 * counted into the cited works when the import ends (see countStagedCitations).
 */
export async function writeEdges(
  tx: Tx,
  edges: { citingId: number; cited: WorkIds }[],
  source: string,
): Promise<{ citations: number; stubs: number; citingChanged: number[] }> {
  const usable = edges.filter((edge) => edge.citingId > 0 && idsOf(edge.cited).length > 0);
  if (usable.length === 0) return { citations: 0, stubs: 0, citingChanged: [] };
  await stageRefs(
    tx,
    usable.map((edge) => ({ citingId: edge.citingId, ids: edge.cited })),
  );
  const stubs = await resolveStagedRefs(tx);
  await clear(tx, 'stage_new_edge');
  // Both ends of every staged edge were resolved (or created) above, in this transaction.
  const citations = await withoutReferenceChecks(tx, () =>
    execute(
      tx,
      `WITH added AS (
         INSERT INTO citation (citing_id, cited_id, source) SELECT citing_id, cited_id, $1 FROM stage_ref
         ON CONFLICT DO NOTHING RETURNING citing_id, cited_id
       )
       INSERT INTO stage_new_edge SELECT citing_id, cited_id FROM added`,
      source,
    ),
  );
  await countStagedCitations(tx);
  const citing = await query<{ id: number }>(tx, `SELECT DISTINCT citing_id AS id FROM stage_new_edge`);
  return { citations, stubs, citingChanged: citing.map((row) => row.id) };
}

/** One key per identifier set, the same for the same identifiers in any record. */
const refKey = (ids: WorkIds) =>
  idsOf(ids)
    .map(([field, value]) => idKey(field, value))
    .join(' ');

async function stageRefs(tx: Tx, refs: { citingId: number | null; ids: WorkIds }[]) {
  await stage(
    tx,
    'stage_ref',
    ['slot', 'citing_id', 'ref_key', 'doi', 'openalex_id', 's2_id', 's2_corpus_id', 'arxiv_id'],
    refs.map((ref, slot) => [
      slot,
      ref.citingId,
      refKey(ref.ids),
      ref.ids.doi ?? null,
      ref.ids.openalexId ?? null,
      ref.ids.s2Id ?? null,
      ref.ids.s2CorpusId ?? null,
      ref.ids.arxivId ?? null,
    ]),
  );
}

/**
 * Resolves every staged reference to a stored work — by the first of its identifiers, in
 * priority order, that a stored work holds — and creates minimal works for the rest: staged
 * identifier sets that share an identifier are one minimal work. Minimal works are inserted
 * with their citations from the staged edges already counted, so they are written once.
 * Returns how many were created; stage_stub holds them.
 */
async function resolveStagedRefs(tx: Tx): Promise<number> {
  // Identifier by identifier in priority order, each a join on its unique index.
  for (const field of ID_FIELDS) {
    const column = ID_COLUMNS[field];
    await execute(
      tx,
      `UPDATE stage_ref r SET cited_id = w.id FROM work w
       WHERE r.cited_id IS NULL AND r.${column} IS NOT NULL AND w.${column} = r.${column}`,
    );
  }
  await clear(tx, 'stage_stub');
  const missing = await query<{ refKey: string } & Record<IdField, string | number | null>>(
    tx,
    `SELECT DISTINCT ref_key AS "refKey", doi, openalex_id AS "openalexId", s2_id AS "s2Id",
            s2_corpus_id AS "s2CorpusId", arxiv_id AS "arxivId"
     FROM stage_ref WHERE cited_id IS NULL ORDER BY ref_key`,
  );
  if (missing.length === 0) return 0;
  const stubOfKey = new Map<string, { ids: WorkIds; refKeys: string[] }>();
  for (const row of missing) {
    const ids: WorkIds = {
      doi: row.doi as string | null,
      openalexId: row.openalexId as string | null,
      s2Id: row.s2Id as string | null,
      s2CorpusId: row.s2CorpusId as number | null,
      arxivId: row.arxivId as string | null,
    };
    const keys = idsOf(ids).map(([field, value]) => idKey(field, value));
    const known = keys.map((key) => stubOfKey.get(key)).find((stub) => stub !== undefined);
    if (known) {
      // Keys stay with the stub that took them first, so no stub loses the references it holds.
      known.refKeys.push(row.refKey);
      continue;
    }
    const stub = { ids, refKeys: [row.refKey] };
    for (const key of keys) stubOfKey.set(key, stub);
  }
  const stubs = [...new Set(stubOfKey.values())];
  const stubIds = await allocateIds(tx, 'work', stubs.length);
  const column = (ids: WorkIds) => ID_FIELDS.map((field) => ids[field] ?? null);
  await tx.copy(
    'stage_stub',
    ['id', 'doi', 'openalex_id', 's2_id', 's2_corpus_id', 'arxiv_id'],
    stubs.map((stub, position) => [stubIds[position] ?? 0, ...column(stub.ids)]),
  );
  await stage(
    tx,
    'stage_stub_key',
    ['ref_key', 'stub_id'],
    stubs.flatMap((stub, position) => stub.refKeys.map((key) => [key, stubIds[position] ?? 0])),
  );
  await execute(
    tx,
    `UPDATE stage_ref r SET cited_id = k.stub_id FROM stage_stub_key k WHERE r.cited_id IS NULL AND r.ref_key = k.ref_key`,
  );
  await execute(
    tx,
    `INSERT INTO work (id, doi, openalex_id, s2_id, s2_corpus_id, arxiv_id, citation_count, sources, has_yearly_counts, updated_at)
     SELECT s.id, s.doi, s.openalex_id, s.s2_id, s.s2_corpus_id, s.arxiv_id, coalesce(n.citing, 0), '{}', true, now()
     FROM stage_stub s
     LEFT JOIN (SELECT cited_id, count(DISTINCT citing_id)::int AS citing FROM stage_ref GROUP BY cited_id) n
       ON n.cited_id = s.id`,
  );
  await execute(
    tx,
    `INSERT INTO work_yearly_count (work_id, year, count)
     SELECT r.cited_id, citing.publication_year, count(DISTINCT r.citing_id)::int
     FROM stage_ref r JOIN stage_stub s ON s.id = r.cited_id JOIN work citing ON citing.id = r.citing_id
     WHERE citing.publication_year IS NOT NULL
     GROUP BY r.cited_id, citing.publication_year`,
  );
  return stubs.length;
}

/**
 * Marks the works the batch's new edges (stage_new_edge) count toward: works whose basis is the
 * edges, other than the minimal works this batch made (inserted counted). Their totals and
 * per-year rows are brought up to date when the import ends (see settle.ts), once however many
 * batches cite them; works with a reported basis keep their reported figures.
 */
async function countStagedCitations(tx: Tx) {
  await execute(
    tx,
    `INSERT INTO count_pending (work_id)
     SELECT DISTINCT e.cited_id FROM stage_new_edge e
     JOIN work target ON target.id = e.cited_id AND target.count_basis_id IS NULL
     WHERE e.cited_id NOT IN (SELECT id FROM stage_stub)
     ORDER BY 1
     ON CONFLICT DO NOTHING`,
  );
}

/** Stored work ids for identifier sets, creating minimal works for the ones not stored. */
export async function resolveWorkIds(tx: Tx, wanted: WorkIds[]): Promise<{ ids: number[]; stubIds: number[] }> {
  if (wanted.length === 0) return { ids: [], stubIds: [] };
  await stageRefs(
    tx,
    wanted.map((ids) => ({ citingId: null, ids })),
  );
  await resolveStagedRefs(tx);
  const resolved = await query<{ slot: number; id: number | null }>(
    tx,
    `SELECT slot, cited_id AS id FROM stage_ref ORDER BY slot`,
  );
  const stubs = await query<{ id: number }>(tx, `SELECT id FROM stage_stub ORDER BY id`);
  const ids = new Array<number>(wanted.length).fill(0);
  for (const row of resolved) ids[row.slot] = row.id ?? 0;
  return { ids, stubIds: stubs.map((row) => row.id) };
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
