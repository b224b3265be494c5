-- Changed per-year counts reach the rollups as one signed delta per (work, year): new rows
-- minus old rows, summed by key. Summing needs no join of the two transition tables, which
-- carry no statistics and were joined row by row (a batch of 30,000 changed counts took
-- seconds). A row whose key changes is a fall at the old key and a rise at the new one.
CREATE OR REPLACE FUNCTION rollup_yearly_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rollup_citations(array_agg(work_id), array_agg(year), array_agg(n))
  FROM (
    SELECT work_id, year, sum(n)::int AS n
    FROM (SELECT work_id, year, count AS n FROM new_rows UNION ALL SELECT work_id, year, -count FROM old_rows) changes
    GROUP BY work_id, year
    HAVING sum(n) <> 0
  ) deltas;
  RETURN NULL;
END $$;
