-- A work's membership of an organization through an affiliation depends on its publication year
-- alone, so only works whose year changed are checked against their authors' affiliations again.
-- Before, every work whose copied fields changed was (an import's settling of citation counts
-- re-checked each work whose count moved). organization_sync_works takes the works whose copied
-- fields changed and, apart, those whose year changed.

DROP FUNCTION organization_sync_works(int[]);

CREATE FUNCTION organization_sync_works(work_ids int[], moved_ids int[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE organization_work o
  SET publication_year = w.publication_year, citation_count = w.citation_count, has_yearly_counts = w.has_yearly_counts
  FROM unnest(work_ids) AS t(id) JOIN work w ON w.id = t.id
  WHERE o.work_id = t.id
    AND (o.publication_year IS DISTINCT FROM w.publication_year OR o.citation_count <> w.citation_count
         OR o.has_yearly_counts <> w.has_yearly_counts);
  PERFORM organization_work_sync(array_agg(f.organization_id), array_agg(a.work_id))
  FROM unnest(moved_ids) AS t(id)
  JOIN authorship a ON a.work_id = t.id
  JOIN affiliation f ON f.person_id = a.person_id;
END $$;

ALTER FUNCTION organization_sync_works(int[], int[]) SET enable_hashjoin = off SET enable_mergejoin = off;

CREATE OR REPLACE FUNCTION organization_works_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM organization_sync_works(
    ARRAY(SELECT id FROM (
      SELECT id, publication_year, citation_count, has_yearly_counts FROM new_rows
      EXCEPT
      SELECT id, publication_year, citation_count, has_yearly_counts FROM old_rows) changed),
    ARRAY(SELECT id FROM (
      SELECT id, publication_year FROM new_rows
      EXCEPT
      SELECT id, publication_year FROM old_rows) moved));
  RETURN NULL;
END $$;
