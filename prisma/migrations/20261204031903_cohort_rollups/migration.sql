-- CreateTable
CREATE TABLE "cohort" (
    "publication_year" INTEGER NOT NULL,
    "works" INTEGER NOT NULL DEFAULT 0,
    "citations" BIGINT NOT NULL DEFAULT 0,
    "works_without_yearly_counts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "cohort_pkey" PRIMARY KEY ("publication_year")
);

-- CreateTable
CREATE TABLE "cohort_year" (
    "publication_year" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "citations" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "cohort_year_pkey" PRIMARY KEY ("publication_year","year")
);

-- Cohorts: the same figures as person_year and project_year, keyed by publication year alone,
-- so figures over a range of publication years (or over every work) read a row per year. Kept by
-- statement-level triggers on work and work_yearly_count: each statement's changes are summed
-- by key (new rows minus old rows) and added in one upsert, keys in order so concurrent writers
-- take the rows' locks in the same order. Rows that fall to zero stay; readers sum them.
--
-- An import that writes with triggers off (session_replication_role = replica) does their work
-- itself with the same functions (src/ingest/works.ts, moveFilledYears).
--
-- Deleting a work: delete its work_yearly_count rows first, by their own statement (as for the
-- other rollups), so their citations leave cohort_year while the work still gives their cohort.

CREATE VIEW cohort_recount AS
SELECT publication_year, count(*)::int AS works, sum(citation_count)::bigint AS citations,
       (count(*) FILTER (WHERE NOT has_yearly_counts))::int AS works_without_yearly_counts
FROM work WHERE publication_year IS NOT NULL
GROUP BY publication_year;

CREATE VIEW cohort_year_recount AS
SELECT w.publication_year, y.year, sum(y.count)::bigint AS citations
FROM work w JOIN work_yearly_count y ON y.work_id = w.id
WHERE w.publication_year IS NOT NULL
GROUP BY w.publication_year, y.year
HAVING sum(y.count) <> 0;

INSERT INTO cohort SELECT * FROM cohort_recount;
INSERT INTO cohort_year SELECT * FROM cohort_year_recount;

-- Adds signed (publication year, works, citations, works without per-year counts) rows.
CREATE FUNCTION cohort_add(years int[], works int[], citations bigint[], without int[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO cohort AS c (publication_year, works, citations, works_without_yearly_counts)
  SELECT t.year, sum(t.works)::int, sum(t.citations)::bigint, sum(t.without)::int
  FROM unnest(years, works, citations, without) AS t(year, works, citations, without)
  WHERE t.year IS NOT NULL
  GROUP BY t.year
  HAVING sum(t.works) <> 0 OR sum(t.citations) <> 0 OR sum(t.without) <> 0
  ORDER BY t.year
  ON CONFLICT (publication_year) DO UPDATE
    SET works = c.works + EXCLUDED.works, citations = c.citations + EXCLUDED.citations,
        works_without_yearly_counts = c.works_without_yearly_counts + EXCLUDED.works_without_yearly_counts
$$;

-- Adds signed (publication year, citation year, citations) rows.
CREATE FUNCTION cohort_year_add(publication_years int[], years int[], citations bigint[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO cohort_year AS c (publication_year, year, citations)
  SELECT t.publication_year, t.year, sum(t.citations)::bigint
  FROM unnest(publication_years, years, citations) AS t(publication_year, year, citations)
  WHERE t.publication_year IS NOT NULL
  GROUP BY t.publication_year, t.year
  HAVING sum(t.citations) <> 0
  ORDER BY 1, 2
  ON CONFLICT (publication_year, year) DO UPDATE SET citations = c.citations + EXCLUDED.citations
$$;

-- Adds signed per-(work, year) citation changes to the works' cohorts.
CREATE FUNCTION cohort_add_citations(work_ids int[], years int[], counts bigint[]) RETURNS void
LANGUAGE sql AS $$
  SELECT cohort_year_add(array_agg(w.publication_year), array_agg(d.year), array_agg(d.n))
  FROM (
    SELECT t.work_id, t.year, sum(t.n)::bigint AS n
    FROM unnest(work_ids, years, counts) AS t(work_id, year, n)
    GROUP BY t.work_id, t.year
    HAVING sum(t.n) <> 0
  ) d
  JOIN work w ON w.id = d.work_id
$$;

CREATE FUNCTION cohort_works_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cohort_add(array_agg(publication_year), array_agg(1), array_agg(citation_count::bigint),
                     array_agg((NOT has_yearly_counts)::int))
  FROM new_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION cohort_works_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cohort_add(array_agg(publication_year), array_agg(-1), array_agg(-citation_count::bigint),
                     array_agg(-(NOT has_yearly_counts)::int))
  FROM old_rows;
  RETURN NULL;
END $$;

-- Works updated: counted out of their old cohorts and into their new ones; an update that changes
-- none of the year, the count or has_yearly_counts sums to nothing. A work whose year changed takes
-- its per-year counts along: its rows are found by summing +1 (new year) and -1 (old year) per
-- work, without joining the two transition tables, which carry no statistics.
CREATE FUNCTION cohort_works_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cohort_add(array_agg(publication_year), array_agg(sign), array_agg(sign * citation_count::bigint),
                     array_agg(sign * (NOT has_yearly_counts)::int))
  FROM (
    SELECT publication_year, 1 AS sign, citation_count, has_yearly_counts FROM new_rows
    UNION ALL
    SELECT publication_year, -1, citation_count, has_yearly_counts FROM old_rows
  ) changes;
  PERFORM cohort_year_add(array_agg(m.publication_year), array_agg(y.year), array_agg(m.sign * y.count::bigint))
  FROM (
    SELECT id, publication_year, sum(sign)::int AS sign
    FROM (SELECT id, publication_year, 1 AS sign FROM new_rows UNION ALL SELECT id, publication_year, -1 FROM old_rows) years
    WHERE publication_year IS NOT NULL
    GROUP BY id, publication_year
    HAVING sum(sign) <> 0
  ) m
  JOIN work_yearly_count y ON y.work_id = m.id;
  RETURN NULL;
END $$;

CREATE FUNCTION cohort_yearly_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cohort_add_citations(array_agg(work_id), array_agg(year), array_agg(count::bigint)) FROM new_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION cohort_yearly_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cohort_add_citations(array_agg(work_id), array_agg(year), array_agg(n))
  FROM (SELECT work_id, year, count::bigint AS n FROM new_rows UNION ALL SELECT work_id, year, -count FROM old_rows) changes;
  RETURN NULL;
END $$;

CREATE FUNCTION cohort_yearly_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cohort_add_citations(array_agg(work_id), array_agg(year), array_agg(-count::bigint)) FROM old_rows;
  RETURN NULL;
END $$;

CREATE TRIGGER work_cohort_inserted AFTER INSERT ON work
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cohort_works_inserted();
CREATE TRIGGER work_cohort_updated AFTER UPDATE ON work
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cohort_works_updated();
CREATE TRIGGER work_cohort_deleted AFTER DELETE ON work
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cohort_works_deleted();
CREATE TRIGGER work_yearly_count_cohort_inserted AFTER INSERT ON work_yearly_count
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cohort_yearly_inserted();
CREATE TRIGGER work_yearly_count_cohort_updated AFTER UPDATE ON work_yearly_count
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cohort_yearly_updated();
CREATE TRIGGER work_yearly_count_cohort_deleted AFTER DELETE ON work_yearly_count
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cohort_yearly_deleted();

-- Joins to work and work_yearly_count probe their indexes row by row (see rollup_index_probes).
ALTER FUNCTION cohort_works_updated() SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION cohort_yearly_inserted() SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION cohort_yearly_updated() SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION cohort_yearly_deleted() SET enable_hashjoin = off SET enable_mergejoin = off;
