import type { InstitutionRecord } from './records.js';
import { execute, type Tx, withoutNul, withoutReferenceChecks } from './sql.js';
import { stage } from './stage.js';

/**
 * Institutions authors give on their works become organizations (matched by OpenAlex id, then
 * ROR), each authorship keeps its institutions, and every person whose authorships changed gets
 * their affiliation periods derived again from the works: one period per organization and run
 * of years in which their works name it, with the works as evidence. A batch only marks its
 * people; the import derives them once at its end (see settle.ts), rather than a prolific
 * author's whole record again with every batch that names them.
 */

/** Years without a work naming the organization before a period counts as ended and a new one begins. */
export const AFFILIATION_GAP_YEARS = 3;
export const AFFILIATION_SOURCE = 'openalex';

export interface AuthorshipInstitutions {
  workId: number;
  position: number;
  institutions: InstitutionRecord[];
}

const institutionKey = (institution: InstitutionRecord) =>
  institution.openalexId ? `openalex:${institution.openalexId}` : institution.ror ? `ror:${institution.ror}` : null;

/** "Stanford University" -> "stanford-university". */
const slugOf = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'organization';

/** Writes the organizations and authorship institutions of a batch; returns how many organizations were new. */
export async function writeInstitutions(tx: Tx, rows: AuthorshipInstitutions[]): Promise<number> {
  const byKey = new Map<string, InstitutionRecord>();
  const rorTaken = new Set<string>();
  for (const row of rows)
    for (const institution of row.institutions) {
      const key = institutionKey(institution);
      if (!key || byKey.has(key)) continue;
      // One organization per ROR: a second OpenAlex id with the same ROR keeps no ROR of its own.
      // An institution known by its ROR alone is that ROR's organization.
      const ror =
        institution.ror && (!institution.openalexId || !rorTaken.has(institution.ror)) ? institution.ror : null;
      if (ror && institution.openalexId) rorTaken.add(ror);
      byKey.set(key, { ...institution, ror });
    }
  if (byKey.size === 0) return 0;
  await stage(
    tx,
    'stage_institution',
    ['key', 'openalex_id', 'ror', 'name', 'country', 'slug'],
    [...byKey].map(([key, institution]) => [
      key,
      institution.openalexId ?? null,
      institution.ror ?? null,
      withoutNul(institution.name),
      institution.country ?? null,
      slugOf(institution.name),
    ]),
  );
  // Stored organizations found by ROR gain the OpenAlex id they lack.
  await execute(
    tx,
    `UPDATE organization o SET openalex_id = s.openalex_id
     FROM stage_institution s
     WHERE o.ror = s.ror AND o.openalex_id IS NULL AND s.openalex_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM organization t WHERE t.openalex_id = s.openalex_id)`,
  );
  // A stored organization with this ROR and another OpenAlex id is another organization: the
  // institution is then stored without the ROR, which a unique ROR cannot give twice.
  await execute(
    tx,
    `UPDATE stage_institution s SET ror = NULL
     WHERE s.openalex_id IS NOT NULL AND EXISTS (
       SELECT 1 FROM organization o WHERE o.ror = s.ror AND o.openalex_id IS NOT NULL AND o.openalex_id <> s.openalex_id)`,
  );
  const matched = `EXISTS (SELECT 1 FROM organization o
    WHERE o.openalex_id = s.openalex_id OR (o.ror = s.ror AND (s.openalex_id IS NULL OR o.openalex_id IS NULL)))`;
  // A new organization takes its name as slug; when that is taken, the name and its id.
  let created = 0;
  for (const slug of [`s.slug`, `s.slug || '-' || lower(coalesce(s.openalex_id, s.ror))`])
    created += await execute(
      tx,
      `INSERT INTO organization (slug, name, country, ror, openalex_id)
       SELECT ${slug}, s.name, s.country, s.ror, s.openalex_id FROM stage_institution s
       WHERE NOT ${matched} ORDER BY s.key
       ON CONFLICT DO NOTHING`,
    );
  await stage(
    tx,
    'stage_authorship_institution',
    ['work_id', 'position', 'key'],
    rows.flatMap((row) =>
      row.institutions.flatMap((institution) => {
        const key = institutionKey(institution);
        return key ? [[row.workId, row.position, key]] : [];
      }),
    ),
  );
  // The works are the batch's own and the organizations are joined in.
  const named = `FROM stage_authorship_institution a
       JOIN stage_institution s ON s.key = a.key
       JOIN organization o ON o.openalex_id = s.openalex_id OR (s.openalex_id IS NULL AND o.ror = s.ror)`;
  const triggersOff = await withoutReferenceChecks(tx, async (triggersOff) => {
    await execute(
      tx,
      `INSERT INTO authorship_institution (work_id, position, organization_id)
       SELECT a.work_id, a.position, o.id ${named}
       ON CONFLICT DO NOTHING`,
    );
    return triggersOff;
  });
  // What the table's trigger does, once the triggers are back on (organization_work has its own).
  if (triggersOff) await execute(tx, `SELECT organization_work_sync(array_agg(o.id), array_agg(a.work_id)) ${named}`);
  return created;
}

/**
 * Derives the affiliation periods of these people from their works again: per organization,
 * the runs of publication years in which their works name it (a gap of AFFILIATION_GAP_YEARS
 * or more starts a new run), from January of the first year to January of the last, known to
 * the year, ended (the evidence stops there). Only rows that differ are written, so deriving
 * the same works again changes nothing. The people are joined as a table, so each of their
 * authorships and affiliations is found by index (see refreshCitationCounts).
 */
export async function deriveAffiliations(tx: Tx, personIds: number[]): Promise<void> {
  if (personIds.length === 0) return;
  await execute(
    tx,
    `WITH ids AS MATERIALIZED (SELECT DISTINCT id FROM unnest($1::int[]) AS t(id)),
     years AS (
       SELECT a.person_id, ai.organization_id, w.publication_year AS year, count(DISTINCT w.id)::int AS works
       FROM ids
       JOIN authorship a ON a.person_id = ids.id
       JOIN authorship_institution ai ON ai.work_id = a.work_id AND ai.position = a.position
       JOIN work w ON w.id = a.work_id AND w.publication_year IS NOT NULL
       GROUP BY a.person_id, ai.organization_id, w.publication_year
     ),
     runs AS (
       SELECT *, sum(CASE WHEN year - prior >= $2 THEN 1 ELSE 0 END) OVER (
                   PARTITION BY person_id, organization_id ORDER BY year ROWS UNBOUNDED PRECEDING) AS run
       FROM (SELECT *, lag(year) OVER (PARTITION BY person_id, organization_id ORDER BY year) AS prior FROM years) y
     ),
     wanted AS (
       SELECT person_id, organization_id, make_date(min(year), 1, 1) AS start_date, make_date(max(year), 1, 1) AS end_date,
              format('%s works naming it, published %s–%s', sum(works), min(year), max(year)) AS evidence
       FROM runs GROUP BY person_id, organization_id, run
     ),
     gone AS (
       DELETE FROM affiliation f USING ids
       WHERE f.person_id = ids.id AND f.source = $3
         AND NOT EXISTS (SELECT 1 FROM wanted d WHERE d.person_id = f.person_id AND d.organization_id = f.organization_id
                           AND d.start_date = f.start_date AND d.end_date = f.end_date AND d.evidence = f.evidence)
     )
     INSERT INTO affiliation (person_id, organization_id, kind, start_date, start_precision, end_date, end_precision,
                              ended, source, evidence)
     SELECT d.person_id, d.organization_id, 'OTHER', d.start_date, 'YEAR', d.end_date, 'YEAR', true, $3, d.evidence
     FROM wanted d
     WHERE NOT EXISTS (SELECT 1 FROM affiliation f WHERE f.person_id = d.person_id AND f.organization_id = d.organization_id
                         AND f.source = $3 AND f.start_date = d.start_date AND f.end_date = d.end_date
                         AND f.evidence = d.evidence)
     ORDER BY d.person_id, d.organization_id, d.start_date`,
    personIds,
    AFFILIATION_GAP_YEARS,
    AFFILIATION_SOURCE,
  );
}
