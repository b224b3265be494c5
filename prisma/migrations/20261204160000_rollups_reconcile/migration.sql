-- Reconciling the rollups with their recounts. The triggers keep each rollup exact for every
-- writer that runs alone; two writers side by side can each miss the other's rows, because a
-- rollup row follows from rows that only one of them can see until it commits (an import batch
-- moving a work's per-year counts while a correction adds that work's author to an organization).
-- Writers take turns on the data version's row, so an import sees when another writer committed
-- between its own writes, and then ends by calling rollups_reconcile() (src/ingest/reconcile.ts).

-- Makes one rollup table equal to its recount view (<table>_recount): rows the recount lacks are
-- deleted, rows it has that differ or are missing are written. keep_zero_rows: the table keeps rows
-- that fell to zero (the cohorts), which the recount leaves out. Returns the rows changed.
CREATE FUNCTION rollup_reconcile(rollup text, keys text[], keep_zero_rows boolean DEFAULT false) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  recount text := rollup || '_recount';
  key_list text;
  key_match text;
  columns text;
  updates text;
  zero text;
  gone bigint;
  written bigint;
BEGIN
  SELECT string_agg(quote_ident(k), ', '), string_agg(format('t.%1$I = r.%1$I', k), ' AND ')
  INTO key_list, key_match FROM unnest(keys) AS k;
  SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
         string_agg(format('%1$I = EXCLUDED.%1$I', a.attname), ', ' ORDER BY a.attnum) FILTER (WHERE NOT a.attname = ANY(keys)),
         string_agg(format('t.%I = 0', a.attname), ' AND ' ORDER BY a.attnum) FILTER (WHERE NOT a.attname = ANY(keys))
  INTO columns, updates, zero
  FROM pg_attribute a WHERE a.attrelid = rollup::regclass AND a.attnum > 0 AND NOT a.attisdropped;
  EXECUTE format('DELETE FROM %1$I t WHERE NOT EXISTS (SELECT 1 FROM %2$I r WHERE %3$s)%4$s',
    rollup, recount, key_match, CASE WHEN keep_zero_rows THEN format(' AND NOT (%s)', zero) ELSE '' END);
  GET DIAGNOSTICS gone = ROW_COUNT;
  EXECUTE format('INSERT INTO %1$I (%2$s) SELECT %2$s FROM (SELECT %2$s FROM %3$I EXCEPT SELECT %2$s FROM %1$I) d
      ORDER BY %4$s ON CONFLICT (%4$s) DO UPDATE SET %5$s',
    rollup, columns, recount, key_list, updates);
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN gone + written;
END $$;

-- Every rollup, organization_work first: its own triggers carry its changes into the two
-- organization rollups, which are then reconciled in turn. Returns the rows changed.
CREATE FUNCTION rollups_reconcile() RETURNS bigint LANGUAGE sql AS $$
  SELECT rollup_reconcile('organization_work', ARRAY['organization_id', 'work_id'])
       + rollup_reconcile('organization_year', ARRAY['organization_id', 'year'])
       + rollup_reconcile('organization_citation_count', ARRAY['organization_id', 'citation_count', 'has_yearly_counts'])
       + rollup_reconcile('person_year', ARRAY['person_id', 'year'])
       + rollup_reconcile('project_year', ARRAY['project_id', 'year'])
       + rollup_reconcile('cohort', ARRAY['publication_year'], true)
       + rollup_reconcile('cohort_year', ARRAY['publication_year', 'year'], true)
$$;
