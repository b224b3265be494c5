-- CreateTable
CREATE TABLE "organization_work" (
    "organization_id" INTEGER NOT NULL,
    "work_id" INTEGER NOT NULL,
    "publication_year" INTEGER,
    "citation_count" INTEGER NOT NULL,
    "has_yearly_counts" BOOLEAN NOT NULL,

    CONSTRAINT "organization_work_pkey" PRIMARY KEY ("organization_id","work_id")
);

-- CreateTable
CREATE TABLE "organization_year" (
    "organization_id" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "works" INTEGER NOT NULL DEFAULT 0,
    "citations" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "organization_year_pkey" PRIMARY KEY ("organization_id","year")
);

-- CreateTable
CREATE TABLE "organization_citation_count" (
    "organization_id" INTEGER NOT NULL,
    "citation_count" INTEGER NOT NULL,
    "has_yearly_counts" BOOLEAN NOT NULL,
    "works" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "organization_citation_count_pkey" PRIMARY KEY ("organization_id","citation_count","has_yearly_counts")
);

-- CreateIndex
CREATE INDEX "organization_work_work_id_idx" ON "organization_work"("work_id");

-- AddForeignKey
ALTER TABLE "organization_work" ADD CONSTRAINT "organization_work_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "organization_work" ADD CONSTRAINT "organization_work_work_id_fkey" FOREIGN KEY ("work_id") REFERENCES "work"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "organization_year" ADD CONSTRAINT "organization_year_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "organization_citation_count" ADD CONSTRAINT "organization_citation_count_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Organizations' rollups. An organization's works (WorkFilter.organizationId) are those that print
-- it as an author's institution and those an author published, by publication year, in a dated
-- affiliation with it: a union over authorship_institution, authorship, affiliation and the
-- work's year, which every read of an organization's figures used to compute again. The
-- database now keeps that union as organization_work, and from its rows, as person_year and the
-- cohorts are kept, organization_year (works per publication year, citations per citation year)
-- and organization_citation_count (works per citationCount: the totals, h-index and i10-index).
--
-- Membership is kept by recomputing it for the (organization, work) pairs a change can touch
-- (organization_work_sync): rows of authorship_institution, authorship and affiliation that come,
-- go or change, and works whose publication year changes. organization_work copies the work's
-- year, citationCount and hasYearlyCounts, kept by a trigger on work, so the rollups follow from
-- organization_work's own changes; per-year citations come from work_yearly_count.
--
-- An import that writes with triggers off (session_replication_role = replica) calls the same
-- functions once the triggers are back on (src/ingest/works.ts, src/ingest/organizations.ts).
--
-- Deleting a work: delete its work_yearly_count rows first, by their own statement (as for the
-- other rollups), so their citations leave organization_year while the work is still a member.

-- Whether a period (affiliation, contribution) touches calendar year `year`: the rule of
-- src/services/periods.ts (yearInPeriodSql).
CREATE FUNCTION year_in_period(year int, start_date date, end_date date, ended boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT start_date < make_date(year + 1, 1, 1)
     AND (end_date >= make_date(year, 1, 1)
       OR (end_date IS NULL AND NOT ended)
       OR (end_date IS NULL AND ended AND start_date >= make_date(year, 1, 1)))
$$;

CREATE VIEW organization_work_recount AS
SELECT m.organization_id, m.work_id, w.publication_year, w.citation_count, w.has_yearly_counts
FROM (
  SELECT organization_id, work_id FROM authorship_institution
  UNION
  SELECT f.organization_id, a.work_id
  FROM affiliation f
  JOIN authorship a ON a.person_id = f.person_id
  JOIN work w ON w.id = a.work_id
  WHERE year_in_period(w.publication_year, f.start_date, f.end_date, f.ended)
) m
JOIN work w ON w.id = m.work_id;

CREATE VIEW organization_year_recount AS
SELECT organization_id, year, sum(works)::int AS works, sum(citations)::bigint AS citations
FROM (
  SELECT o.organization_id, y.year, 0 AS works, y.count::bigint AS citations
  FROM organization_work o JOIN work_yearly_count y ON y.work_id = o.work_id
  UNION ALL
  SELECT o.organization_id, o.publication_year, 1, 0 FROM organization_work o WHERE o.publication_year IS NOT NULL
) parts
GROUP BY organization_id, year
HAVING sum(works) <> 0 OR sum(citations) <> 0;

CREATE VIEW organization_citation_count_recount AS
SELECT organization_id, citation_count, has_yearly_counts, count(*)::int AS works
FROM organization_work
GROUP BY organization_id, citation_count, has_yearly_counts;

INSERT INTO organization_work SELECT * FROM organization_work_recount;
INSERT INTO organization_year SELECT * FROM organization_year_recount;
INSERT INTO organization_citation_count SELECT * FROM organization_citation_count_recount;

-- Adds signed (organization, year, works, citations) rows; rows that fall to zero are removed.
-- Organizations already deleted (a cascade) are passed over. Keys in order, so concurrent
-- writers take the rows' locks in the same order.
CREATE FUNCTION organization_year_add(organization_ids int[], years int[], works int[], citations bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE zero_organizations int[]; zero_years int[];
BEGIN
  WITH up AS (
    INSERT INTO organization_year AS o (organization_id, year, works, citations)
    SELECT t.organization_id, t.year, sum(t.works)::int, sum(t.citations)::bigint
    FROM unnest(organization_ids, years, works, citations) AS t(organization_id, year, works, citations)
    WHERE t.year IS NOT NULL AND EXISTS (SELECT 1 FROM organization g WHERE g.id = t.organization_id)
    GROUP BY t.organization_id, t.year
    HAVING sum(t.works) <> 0 OR sum(t.citations) <> 0
    ORDER BY 1, 2
    ON CONFLICT (organization_id, year) DO UPDATE
      SET works = o.works + EXCLUDED.works, citations = o.citations + EXCLUDED.citations
    RETURNING o.organization_id, o.year, o.works, o.citations
  )
  SELECT array_agg(up.organization_id), array_agg(up.year) INTO zero_organizations, zero_years
  FROM up WHERE up.works = 0 AND up.citations = 0;
  IF zero_organizations IS NOT NULL THEN
    DELETE FROM organization_year o USING unnest(zero_organizations, zero_years) AS z(organization_id, year)
    WHERE o.organization_id = z.organization_id AND o.year = z.year AND o.works = 0 AND o.citations = 0;
  END IF;
END $$;

-- Adds signed (organization, citationCount, hasYearlyCounts, works) rows, likewise.
CREATE FUNCTION organization_citation_count_add(organization_ids int[], counts int[], has_years boolean[], works int[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE zero_organizations int[]; zero_counts int[]; zero_has_years boolean[];
BEGIN
  WITH up AS (
    INSERT INTO organization_citation_count AS o (organization_id, citation_count, has_yearly_counts, works)
    SELECT t.organization_id, t.count, t.has_years, sum(t.works)::int
    FROM unnest(organization_ids, counts, has_years, works) AS t(organization_id, count, has_years, works)
    WHERE EXISTS (SELECT 1 FROM organization g WHERE g.id = t.organization_id)
    GROUP BY t.organization_id, t.count, t.has_years
    HAVING sum(t.works) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT (organization_id, citation_count, has_yearly_counts) DO UPDATE SET works = o.works + EXCLUDED.works
    RETURNING o.organization_id, o.citation_count, o.has_yearly_counts, o.works
  )
  SELECT array_agg(up.organization_id), array_agg(up.citation_count), array_agg(up.has_yearly_counts)
  INTO zero_organizations, zero_counts, zero_has_years
  FROM up WHERE up.works = 0;
  IF zero_organizations IS NOT NULL THEN
    DELETE FROM organization_citation_count o
    USING unnest(zero_organizations, zero_counts, zero_has_years) AS z(organization_id, count, has_years)
    WHERE o.organization_id = z.organization_id AND o.citation_count = z.count
      AND o.has_yearly_counts = z.has_years AND o.works = 0;
  END IF;
END $$;

-- Signed organization_work rows, passed on to both rollups. A row's per-year citations are added
-- or taken only where `with_citations` (a row that comes or goes, not one whose copied fields change).
CREATE FUNCTION organization_work_rollup(
  organization_ids int[], work_ids int[], years int[], counts int[], has_years boolean[], signs int[], with_citations boolean[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_year_add(array_agg(t.organization_id), array_agg(t.year), array_agg(t.sign), array_agg(0::bigint))
  FROM unnest(organization_ids, years, signs) AS t(organization_id, year, sign);
  PERFORM organization_year_add(array_agg(t.organization_id), array_agg(y.year), array_agg(0), array_agg(t.sign * y.count::bigint))
  FROM unnest(organization_ids, work_ids, signs, with_citations) AS t(organization_id, work_id, sign, with_citations)
  JOIN work_yearly_count y ON y.work_id = t.work_id
  WHERE t.with_citations;
  PERFORM organization_citation_count_add(array_agg(t.organization_id), array_agg(t.count), array_agg(t.has_years), array_agg(t.sign))
  FROM unnest(organization_ids, counts, has_years, signs) AS t(organization_id, count, has_years, sign);
END $$;

CREATE FUNCTION organization_work_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_work_rollup(array_agg(organization_id), array_agg(work_id), array_agg(publication_year),
    array_agg(citation_count), array_agg(has_yearly_counts), array_agg(1), array_agg(true))
  FROM new_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION organization_work_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_work_rollup(array_agg(organization_id), array_agg(work_id), array_agg(publication_year),
    array_agg(citation_count), array_agg(has_yearly_counts), array_agg(-1), array_agg(true))
  FROM old_rows;
  RETURN NULL;
END $$;

-- Rows updated: out with the old fields, in with the new. Their per-year citations move only
-- for a row whose key changed (summed by key, without joining the transition tables).
CREATE FUNCTION organization_work_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_work_rollup(array_agg(organization_id), array_agg(work_id), array_agg(publication_year),
    array_agg(citation_count), array_agg(has_yearly_counts), array_agg(sign), array_agg(false))
  FROM (
    SELECT organization_id, work_id, publication_year, citation_count, has_yearly_counts, 1 AS sign FROM new_rows
    UNION ALL
    SELECT organization_id, work_id, publication_year, citation_count, has_yearly_counts, -1 FROM old_rows
  ) changes;
  PERFORM organization_year_add(array_agg(k.organization_id), array_agg(y.year), array_agg(0), array_agg(k.sign * y.count::bigint))
  FROM (
    SELECT organization_id, work_id, sum(sign)::int AS sign
    FROM (SELECT organization_id, work_id, 1 AS sign FROM new_rows UNION ALL SELECT organization_id, work_id, -1 FROM old_rows) keys
    GROUP BY organization_id, work_id
    HAVING sum(sign) <> 0
  ) k
  JOIN work_yearly_count y ON y.work_id = k.work_id;
  RETURN NULL;
END $$;

CREATE TRIGGER organization_work_inserted AFTER INSERT ON organization_work
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_work_inserted();
CREATE TRIGGER organization_work_updated AFTER UPDATE ON organization_work
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_work_updated();
CREATE TRIGGER organization_work_deleted AFTER DELETE ON organization_work
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_work_deleted();

-- Recomputes whether each (organization, work) pair is a membership and writes what differs.
CREATE FUNCTION organization_work_sync(organization_ids int[], work_ids int[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  WITH pair AS (
    SELECT DISTINCT t.organization_id, t.work_id
    FROM unnest(organization_ids, work_ids) AS t(organization_id, work_id)
    WHERE t.organization_id IS NOT NULL AND t.work_id IS NOT NULL
  ),
  member AS MATERIALIZED (
    SELECT p.organization_id, p.work_id,
      EXISTS (SELECT 1 FROM authorship_institution ai WHERE ai.work_id = p.work_id AND ai.organization_id = p.organization_id)
      OR EXISTS (SELECT 1 FROM authorship a JOIN affiliation f ON f.person_id = a.person_id JOIN work w ON w.id = a.work_id
                 WHERE a.work_id = p.work_id AND f.organization_id = p.organization_id
                   AND year_in_period(w.publication_year, f.start_date, f.end_date, f.ended)) AS member
    FROM pair p
  ),
  gone AS (
    DELETE FROM organization_work o USING member m
    WHERE NOT m.member AND o.organization_id = m.organization_id AND o.work_id = m.work_id
  )
  INSERT INTO organization_work (organization_id, work_id, publication_year, citation_count, has_yearly_counts)
  SELECT m.organization_id, m.work_id, w.publication_year, w.citation_count, w.has_yearly_counts
  FROM member m JOIN work w ON w.id = m.work_id JOIN organization g ON g.id = m.organization_id
  WHERE m.member
  ORDER BY 1, 2
  ON CONFLICT (organization_id, work_id) DO NOTHING;
END $$;

-- Authorships that come, go or change: the works against the periods of their people's
-- affiliations.
CREATE FUNCTION organization_sync_authorships(work_ids int[], person_ids int[]) RETURNS void
LANGUAGE sql AS $$
  SELECT organization_work_sync(array_agg(f.organization_id), array_agg(t.work_id))
  FROM unnest(work_ids, person_ids) AS t(work_id, person_id)
  JOIN work w ON w.id = t.work_id
  JOIN affiliation f ON f.person_id = t.person_id
  WHERE year_in_period(w.publication_year, f.start_date, f.end_date, f.ended)
$$;

-- Affiliations that come, go or change: their people's works published in their periods.
CREATE FUNCTION organization_sync_affiliations(
  person_ids int[], organization_ids int[], start_dates date[], end_dates date[], ended boolean[]
) RETURNS void LANGUAGE sql AS $$
  SELECT organization_work_sync(array_agg(t.organization_id), array_agg(a.work_id))
  FROM unnest(person_ids, organization_ids, start_dates, end_dates, ended) AS t(person_id, organization_id, start_date, end_date, ended)
  JOIN authorship a ON a.person_id = t.person_id
  JOIN work w ON w.id = a.work_id
  WHERE year_in_period(w.publication_year, t.start_date, t.end_date, t.ended)
$$;

-- Works whose copied fields changed (with triggers off, an import passes the works it updated):
-- organization_work takes the new fields, and a changed year is checked against the periods of
-- the authors' affiliations.
CREATE FUNCTION organization_sync_works(work_ids int[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE organization_work o
  SET publication_year = w.publication_year, citation_count = w.citation_count, has_yearly_counts = w.has_yearly_counts
  FROM unnest(work_ids) AS t(id) JOIN work w ON w.id = t.id
  WHERE o.work_id = t.id
    AND (o.publication_year IS DISTINCT FROM w.publication_year OR o.citation_count <> w.citation_count
         OR o.has_yearly_counts <> w.has_yearly_counts);
  PERFORM organization_work_sync(array_agg(f.organization_id), array_agg(a.work_id))
  FROM unnest(work_ids) AS t(id)
  JOIN authorship a ON a.work_id = t.id
  JOIN affiliation f ON f.person_id = a.person_id;
END $$;

CREATE FUNCTION organization_works_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_sync_works(array_agg(id))
  FROM (
    SELECT id, publication_year, citation_count, has_yearly_counts FROM new_rows
    EXCEPT
    SELECT id, publication_year, citation_count, has_yearly_counts FROM old_rows
  ) changed;
  RETURN NULL;
END $$;

CREATE FUNCTION organization_authorships_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_sync_authorships(array_agg(work_id), array_agg(person_id)) FROM new_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION organization_authorships_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_sync_authorships(array_agg(work_id), array_agg(person_id))
  FROM (SELECT work_id, person_id FROM new_rows UNION SELECT work_id, person_id FROM old_rows) changes;
  RETURN NULL;
END $$;

CREATE FUNCTION organization_authorships_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_sync_authorships(array_agg(work_id), array_agg(person_id)) FROM old_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION organization_institutions_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_work_sync(array_agg(organization_id), array_agg(work_id)) FROM new_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION organization_institutions_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_work_sync(array_agg(organization_id), array_agg(work_id))
  FROM (SELECT organization_id, work_id FROM new_rows UNION ALL SELECT organization_id, work_id FROM old_rows) changes;
  RETURN NULL;
END $$;

CREATE FUNCTION organization_institutions_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_work_sync(array_agg(organization_id), array_agg(work_id)) FROM old_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION organization_affiliations_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_sync_affiliations(array_agg(person_id), array_agg(organization_id), array_agg(start_date),
    array_agg(end_date), array_agg(ended))
  FROM new_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION organization_affiliations_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_sync_affiliations(array_agg(person_id), array_agg(organization_id), array_agg(start_date),
    array_agg(end_date), array_agg(ended))
  FROM (
    SELECT person_id, organization_id, start_date, end_date, ended FROM new_rows
    UNION ALL
    SELECT person_id, organization_id, start_date, end_date, ended FROM old_rows
  ) changes;
  RETURN NULL;
END $$;

CREATE FUNCTION organization_affiliations_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_sync_affiliations(array_agg(person_id), array_agg(organization_id), array_agg(start_date),
    array_agg(end_date), array_agg(ended))
  FROM old_rows;
  RETURN NULL;
END $$;

-- Per-year counts that come, go or change reach the organizations of their works.
CREATE FUNCTION organization_add_citations(work_ids int[], years int[], counts bigint[]) RETURNS void
LANGUAGE sql AS $$
  SELECT organization_year_add(array_agg(o.organization_id), array_agg(d.year), array_agg(0), array_agg(d.n))
  FROM (
    SELECT t.work_id, t.year, sum(t.n)::bigint AS n
    FROM unnest(work_ids, years, counts) AS t(work_id, year, n)
    GROUP BY t.work_id, t.year
    HAVING sum(t.n) <> 0
  ) d
  JOIN organization_work o ON o.work_id = d.work_id
$$;

CREATE FUNCTION organization_yearly_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_add_citations(array_agg(work_id), array_agg(year), array_agg(count::bigint)) FROM new_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION organization_yearly_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_add_citations(array_agg(work_id), array_agg(year), array_agg(n))
  FROM (SELECT work_id, year, count::bigint AS n FROM new_rows UNION ALL SELECT work_id, year, -count FROM old_rows) changes;
  RETURN NULL;
END $$;

CREATE FUNCTION organization_yearly_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_add_citations(array_agg(work_id), array_agg(year), array_agg(-count::bigint)) FROM old_rows;
  RETURN NULL;
END $$;

CREATE TRIGGER work_organization_updated AFTER UPDATE ON work
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_works_updated();
CREATE TRIGGER authorship_organization_inserted AFTER INSERT ON authorship
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_authorships_inserted();
CREATE TRIGGER authorship_organization_updated AFTER UPDATE ON authorship
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_authorships_updated();
CREATE TRIGGER authorship_organization_deleted AFTER DELETE ON authorship
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_authorships_deleted();
CREATE TRIGGER authorship_institution_organization_inserted AFTER INSERT ON authorship_institution
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_institutions_inserted();
CREATE TRIGGER authorship_institution_organization_updated AFTER UPDATE ON authorship_institution
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_institutions_updated();
CREATE TRIGGER authorship_institution_organization_deleted AFTER DELETE ON authorship_institution
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_institutions_deleted();
CREATE TRIGGER affiliation_organization_inserted AFTER INSERT ON affiliation
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_affiliations_inserted();
CREATE TRIGGER affiliation_organization_updated AFTER UPDATE ON affiliation
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_affiliations_updated();
CREATE TRIGGER affiliation_organization_deleted AFTER DELETE ON affiliation
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_affiliations_deleted();
CREATE TRIGGER work_yearly_count_organization_inserted AFTER INSERT ON work_yearly_count
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_yearly_inserted();
CREATE TRIGGER work_yearly_count_organization_updated AFTER UPDATE ON work_yearly_count
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_yearly_updated();
CREATE TRIGGER work_yearly_count_organization_deleted AFTER DELETE ON work_yearly_count
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_yearly_deleted();

-- Joins of transition tables and unnested arrays probe the tables' indexes row by row (see
-- rollup_index_probes): a change costs what it touches, whatever the size of the database.
ALTER FUNCTION organization_work_rollup(int[], int[], int[], int[], boolean[], int[], boolean[]) SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION organization_work_updated() SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION organization_work_sync(int[], int[]) SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION organization_sync_authorships(int[], int[]) SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION organization_sync_affiliations(int[], int[], date[], date[], boolean[]) SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION organization_sync_works(int[]) SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION organization_add_citations(int[], int[], bigint[]) SET enable_hashjoin = off SET enable_mergejoin = off;
