-- AlterTable
ALTER TABLE "organization" ADD COLUMN     "openalex_id" TEXT;

-- AlterTable
ALTER TABLE "work" ADD COLUMN     "publication_date_precision" "DatePrecision";

-- CreateTable
CREATE TABLE "authorship_institution" (
    "work_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "organization_id" INTEGER NOT NULL,

    CONSTRAINT "authorship_institution_pkey" PRIMARY KEY ("work_id","position","organization_id")
);

-- CreateTable
CREATE TABLE "person_year" (
    "person_id" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "works" INTEGER NOT NULL DEFAULT 0,
    "citations" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "person_year_pkey" PRIMARY KEY ("person_id","year")
);

-- CreateTable
CREATE TABLE "project_year" (
    "project_id" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "works" INTEGER NOT NULL DEFAULT 0,
    "citations" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "project_year_pkey" PRIMARY KEY ("project_id","year")
);

-- CreateIndex
CREATE INDEX "authorship_institution_organization_id_work_id_idx" ON "authorship_institution"("organization_id", "work_id");

-- CreateIndex
CREATE UNIQUE INDEX "organization_openalex_id_key" ON "organization"("openalex_id");

-- AddForeignKey
ALTER TABLE "authorship_institution" ADD CONSTRAINT "authorship_institution_work_id_fkey" FOREIGN KEY ("work_id") REFERENCES "work"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "authorship_institution" ADD CONSTRAINT "authorship_institution_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person_year" ADD CONSTRAINT "person_year_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project_year" ADD CONSTRAINT "project_year_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Rollups. person_year and project_year are sums that the database keeps itself, set-based per
-- statement: citations from work_yearly_count (a work's per-year counts under its count basis),
-- works from publication years, reached through authorship and work_project. Every writer
-- (imports, corrections, the seed) keeps them exact without knowing of them. The *_recount
-- views compute the same figures from scratch; the tests compare the two.
--
-- Deleting a work or a person: delete its authorship, work_project and work_yearly_count rows
-- first, each by its own statement, so every change passes through the triggers once.

CREATE VIEW person_year_recount AS
SELECT person_id, year, sum(works)::int AS works, sum(citations)::int AS citations
FROM (
  SELECT a.person_id, y.year, 0 AS works, y.count AS citations
  FROM authorship a JOIN work_yearly_count y ON y.work_id = a.work_id
  UNION ALL
  SELECT a.person_id, w.publication_year, 1, 0
  FROM authorship a JOIN work w ON w.id = a.work_id WHERE w.publication_year IS NOT NULL
) parts
GROUP BY person_id, year
HAVING sum(works) <> 0 OR sum(citations) <> 0;

CREATE VIEW project_year_recount AS
SELECT project_id, year, sum(works)::int AS works, sum(citations)::int AS citations
FROM (
  SELECT l.project_id, y.year, 0 AS works, y.count AS citations
  FROM work_project l JOIN work_yearly_count y ON y.work_id = l.work_id
  UNION ALL
  SELECT l.project_id, w.publication_year, 1, 0
  FROM work_project l JOIN work w ON w.id = l.work_id WHERE w.publication_year IS NOT NULL
) parts
GROUP BY project_id, year
HAVING sum(works) <> 0 OR sum(citations) <> 0;

INSERT INTO person_year (person_id, year, works, citations) SELECT * FROM person_year_recount;
INSERT INTO project_year (project_id, year, works, citations) SELECT * FROM project_year_recount;

-- Adds signed (person, year, works, citations) rows; rows that fall to zero are removed.
CREATE FUNCTION rollup_add_person_years(person_ids int[], years int[], works int[], citations int[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE zero_people int[]; zero_years int[];
BEGIN
  WITH up AS (
    INSERT INTO person_year AS p (person_id, year, works, citations)
    SELECT t.person_id, t.year, sum(t.works)::int, sum(t.citations)::int
    FROM unnest(person_ids, years, works, citations) AS t(person_id, year, works, citations)
    WHERE t.year IS NOT NULL
    GROUP BY t.person_id, t.year
    HAVING sum(t.works) <> 0 OR sum(t.citations) <> 0
    ON CONFLICT (person_id, year) DO UPDATE
      SET works = p.works + EXCLUDED.works, citations = p.citations + EXCLUDED.citations
    RETURNING p.person_id, p.year, p.works, p.citations
  )
  SELECT array_agg(up.person_id), array_agg(up.year) INTO zero_people, zero_years
  FROM up WHERE up.works = 0 AND up.citations = 0;
  IF zero_people IS NOT NULL THEN
    DELETE FROM person_year p USING unnest(zero_people, zero_years) AS z(person_id, year)
    WHERE p.person_id = z.person_id AND p.year = z.year AND p.works = 0 AND p.citations = 0;
  END IF;
END $$;

CREATE FUNCTION rollup_add_project_years(project_ids int[], years int[], works int[], citations int[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE zero_projects int[]; zero_years int[];
BEGIN
  WITH up AS (
    INSERT INTO project_year AS p (project_id, year, works, citations)
    SELECT t.project_id, t.year, sum(t.works)::int, sum(t.citations)::int
    FROM unnest(project_ids, years, works, citations) AS t(project_id, year, works, citations)
    WHERE t.year IS NOT NULL
    GROUP BY t.project_id, t.year
    HAVING sum(t.works) <> 0 OR sum(t.citations) <> 0
    ON CONFLICT (project_id, year) DO UPDATE
      SET works = p.works + EXCLUDED.works, citations = p.citations + EXCLUDED.citations
    RETURNING p.project_id, p.year, p.works, p.citations
  )
  SELECT array_agg(up.project_id), array_agg(up.year) INTO zero_projects, zero_years
  FROM up WHERE up.works = 0 AND up.citations = 0;
  IF zero_projects IS NOT NULL THEN
    DELETE FROM project_year p USING unnest(zero_projects, zero_years) AS z(project_id, year)
    WHERE p.project_id = z.project_id AND p.year = z.year AND p.works = 0 AND p.citations = 0;
  END IF;
END $$;

-- Signed per-(work, year) citation changes, passed on to the works' authors and projects.
CREATE FUNCTION rollup_citations(work_ids int[], years int[], counts int[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rollup_add_person_years(array_agg(a.person_id), array_agg(t.year), array_agg(0), array_agg(t.n))
  FROM unnest(work_ids, years, counts) AS t(work_id, year, n) JOIN authorship a ON a.work_id = t.work_id;
  PERFORM rollup_add_project_years(array_agg(l.project_id), array_agg(t.year), array_agg(0), array_agg(t.n))
  FROM unnest(work_ids, years, counts) AS t(work_id, year, n) JOIN work_project l ON l.work_id = t.work_id;
END $$;

CREATE FUNCTION rollup_yearly_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- New rows only add: one upsert per rollup, straight from the transition table.
  INSERT INTO person_year AS p (person_id, year, citations)
  SELECT a.person_id, n.year, sum(n.count)::int FROM new_rows n JOIN authorship a ON a.work_id = n.work_id
  GROUP BY a.person_id, n.year HAVING sum(n.count) <> 0
  ON CONFLICT (person_id, year) DO UPDATE SET citations = p.citations + EXCLUDED.citations;
  INSERT INTO project_year AS p (project_id, year, citations)
  SELECT l.project_id, n.year, sum(n.count)::int FROM new_rows n JOIN work_project l ON l.work_id = n.work_id
  GROUP BY l.project_id, n.year HAVING sum(n.count) <> 0
  ON CONFLICT (project_id, year) DO UPDATE SET citations = p.citations + EXCLUDED.citations;
  RETURN NULL;
END $$;

CREATE FUNCTION rollup_yearly_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM old_rows o LEFT JOIN new_rows n ON n.work_id = o.work_id AND n.year = o.year
             WHERE n.work_id IS NULL OR n.count < o.count) THEN
    -- Counts that fall (or rows that move) may leave rollup rows at zero: the general path removes them.
    PERFORM rollup_citations(array_agg(work_id), array_agg(year), array_agg(n))
    FROM (SELECT work_id, year, count AS n FROM new_rows UNION ALL SELECT work_id, year, -count FROM old_rows) changes;
  ELSE
    INSERT INTO person_year AS p (person_id, year, citations)
    SELECT a.person_id, n.year, sum(n.count - o.count)::int
    FROM new_rows n JOIN old_rows o ON o.work_id = n.work_id AND o.year = n.year
    JOIN authorship a ON a.work_id = n.work_id
    WHERE n.count <> o.count
    GROUP BY a.person_id, n.year
    ON CONFLICT (person_id, year) DO UPDATE SET citations = p.citations + EXCLUDED.citations;
    INSERT INTO project_year AS p (project_id, year, citations)
    SELECT l.project_id, n.year, sum(n.count - o.count)::int
    FROM new_rows n JOIN old_rows o ON o.work_id = n.work_id AND o.year = n.year
    JOIN work_project l ON l.work_id = n.work_id
    WHERE n.count <> o.count
    GROUP BY l.project_id, n.year
    ON CONFLICT (project_id, year) DO UPDATE SET citations = p.citations + EXCLUDED.citations;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION rollup_yearly_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rollup_citations(array_agg(work_id), array_agg(year), array_agg(-count)) FROM old_rows;
  RETURN NULL;
END $$;

CREATE TRIGGER work_yearly_count_inserted AFTER INSERT ON work_yearly_count
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_yearly_inserted();
CREATE TRIGGER work_yearly_count_updated AFTER UPDATE ON work_yearly_count
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_yearly_updated();
CREATE TRIGGER work_yearly_count_deleted AFTER DELETE ON work_yearly_count
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_yearly_deleted();

-- Authorships that come or go bring or take their work's citations per year and its year's
-- work. People already deleted (a merge's cascade) are passed over.
CREATE FUNCTION rollup_authorships(work_ids int[], person_ids int[], signs int[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rollup_add_person_years(array_agg(r.person_id), array_agg(r.year), array_agg(r.works), array_agg(r.citations))
  FROM (
    SELECT t.person_id, y.year, 0 AS works, t.sign * y.count AS citations
    FROM unnest(work_ids, person_ids, signs) AS t(work_id, person_id, sign)
    JOIN person p ON p.id = t.person_id
    JOIN work_yearly_count y ON y.work_id = t.work_id
    UNION ALL
    SELECT t.person_id, w.publication_year, t.sign, 0
    FROM unnest(work_ids, person_ids, signs) AS t(work_id, person_id, sign)
    JOIN person p ON p.id = t.person_id
    JOIN work w ON w.id = t.work_id
  ) r;
END $$;

CREATE FUNCTION rollup_authorship_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO person_year AS p (person_id, year, works, citations)
  SELECT person_id, year, sum(works)::int, sum(citations)::int
  FROM (
    SELECT n.person_id, y.year, 0 AS works, y.count AS citations
    FROM new_rows n JOIN work_yearly_count y ON y.work_id = n.work_id
    UNION ALL
    SELECT n.person_id, w.publication_year, 1, 0
    FROM new_rows n JOIN work w ON w.id = n.work_id WHERE w.publication_year IS NOT NULL
  ) added
  GROUP BY person_id, year HAVING sum(works) <> 0 OR sum(citations) <> 0
  ON CONFLICT (person_id, year) DO UPDATE SET works = p.works + EXCLUDED.works, citations = p.citations + EXCLUDED.citations;
  RETURN NULL;
END $$;

CREATE FUNCTION rollup_authorship_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rollup_authorships(array_agg(work_id), array_agg(person_id), array_agg(sign))
  FROM (SELECT work_id, person_id, 1 AS sign FROM new_rows UNION ALL SELECT work_id, person_id, -1 FROM old_rows) changes;
  RETURN NULL;
END $$;

CREATE FUNCTION rollup_authorship_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rollup_authorships(array_agg(work_id), array_agg(person_id), array_agg(-1)) FROM old_rows;
  RETURN NULL;
END $$;

CREATE TRIGGER authorship_inserted AFTER INSERT ON authorship
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_authorship_inserted();
CREATE TRIGGER authorship_updated AFTER UPDATE ON authorship
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_authorship_updated();
CREATE TRIGGER authorship_deleted AFTER DELETE ON authorship
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_authorship_deleted();

-- Works linked to or unlinked from a project, likewise.
CREATE FUNCTION rollup_work_projects(work_ids int[], project_ids int[], signs int[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rollup_add_project_years(array_agg(r.project_id), array_agg(r.year), array_agg(r.works), array_agg(r.citations))
  FROM (
    SELECT t.project_id, y.year, 0 AS works, t.sign * y.count AS citations
    FROM unnest(work_ids, project_ids, signs) AS t(work_id, project_id, sign)
    JOIN project p ON p.id = t.project_id
    JOIN work_yearly_count y ON y.work_id = t.work_id
    UNION ALL
    SELECT t.project_id, w.publication_year, t.sign, 0
    FROM unnest(work_ids, project_ids, signs) AS t(work_id, project_id, sign)
    JOIN project p ON p.id = t.project_id
    JOIN work w ON w.id = t.work_id
  ) r;
END $$;

CREATE FUNCTION rollup_work_project_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO project_year AS p (project_id, year, works, citations)
  SELECT project_id, year, sum(works)::int, sum(citations)::int
  FROM (
    SELECT n.project_id, y.year, 0 AS works, y.count AS citations
    FROM new_rows n JOIN work_yearly_count y ON y.work_id = n.work_id
    UNION ALL
    SELECT n.project_id, w.publication_year, 1, 0
    FROM new_rows n JOIN work w ON w.id = n.work_id WHERE w.publication_year IS NOT NULL
  ) added
  GROUP BY project_id, year HAVING sum(works) <> 0 OR sum(citations) <> 0
  ON CONFLICT (project_id, year) DO UPDATE SET works = p.works + EXCLUDED.works, citations = p.citations + EXCLUDED.citations;
  RETURN NULL;
END $$;

CREATE FUNCTION rollup_work_project_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rollup_work_projects(array_agg(work_id), array_agg(project_id), array_agg(sign))
  FROM (SELECT work_id, project_id, 1 AS sign FROM new_rows UNION ALL SELECT work_id, project_id, -1 FROM old_rows) changes;
  RETURN NULL;
END $$;

CREATE FUNCTION rollup_work_project_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rollup_work_projects(array_agg(work_id), array_agg(project_id), array_agg(-1)) FROM old_rows;
  RETURN NULL;
END $$;

CREATE TRIGGER work_project_inserted AFTER INSERT ON work_project
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_work_project_inserted();
CREATE TRIGGER work_project_updated AFTER UPDATE ON work_project
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_work_project_updated();
CREATE TRIGGER work_project_deleted AFTER DELETE ON work_project
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_work_project_deleted();

-- A work whose publication year is filled in or corrected moves its work to the new year.
CREATE FUNCTION rollup_work_year() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rollup_add_person_years(array_agg(a.person_id), array_agg(y.year), array_agg(y.n), array_agg(0))
  FROM authorship a, (VALUES (OLD.publication_year, -1), (NEW.publication_year, 1)) AS y(year, n)
  WHERE a.work_id = NEW.id;
  PERFORM rollup_add_project_years(array_agg(l.project_id), array_agg(y.year), array_agg(y.n), array_agg(0))
  FROM work_project l, (VALUES (OLD.publication_year, -1), (NEW.publication_year, 1)) AS y(year, n)
  WHERE l.work_id = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER work_year_changed AFTER UPDATE OF publication_year ON work
  FOR EACH ROW WHEN (OLD.publication_year IS DISTINCT FROM NEW.publication_year) EXECUTE FUNCTION rollup_work_year();
