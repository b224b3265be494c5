-- The rollup triggers join their transition tables, which carry no statistics, to authorship,
-- work_project, work and work_yearly_count. Planned on estimates, those joins read whole tables
-- (a hash or merge join over every row), so each write cost more as the database grew. A change
-- touches a few rows of each: probing the tables' indexes row by row costs what the change is
-- worth, whatever the size of the database. Nested functions run with the settings of the
-- trigger function that calls them.
ALTER FUNCTION rollup_yearly_inserted() SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION rollup_yearly_updated() SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION rollup_yearly_deleted() SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION rollup_authorship_inserted() SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION rollup_authorship_updated() SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION rollup_authorship_deleted() SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION rollup_work_project_inserted() SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION rollup_work_project_updated() SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION rollup_work_project_deleted() SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION rollup_work_year() SET enable_hashjoin = off SET enable_mergejoin = off;
-- The same for the functions writers call directly with the rows they changed.
ALTER FUNCTION rollup_citations(int[], int[], int[]) SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION rollup_authorships(int[], int[], int[]) SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION rollup_work_projects(int[], int[], int[]) SET enable_hashjoin = off SET enable_mergejoin = off;
