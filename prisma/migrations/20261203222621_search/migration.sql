-- Search (Query.search): trigram similarity for names, full-text search for titles. pg_trgm is a
-- contrib extension: PostgreSQL servers ship it, the embedded engine loads it (src/db.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The title as English text (stemmed, stop words dropped), kept by PostgreSQL beside the title:
-- ranking reads it instead of parsing every matching title again (6 times faster for a query
-- matching 20,000 titles). Prisma's schema cannot say GENERATED; it knows the column as Unsupported.
ALTER TABLE "work" ADD COLUMN "title_search" tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce("title", ''))) STORED;

-- The GIN indexes take new rows into the index itself (fastupdate off) rather than into a pending
-- list that searches read row by row until a vacuum moves it: the embedded engine has no
-- autovacuum, so after an import its searches would scan thousands of pending entries.

-- CreateIndex
CREATE INDEX "organization_name_trgm_idx" ON "organization" USING GIN ("name" gin_trgm_ops) WITH (fastupdate = off);

-- CreateIndex
CREATE INDEX "person_name_trgm_idx" ON "person" USING GIN ("name" gin_trgm_ops) WITH (fastupdate = off);

-- CreateIndex
CREATE INDEX "project_name_trgm_idx" ON "project" USING GIN ("name" gin_trgm_ops) WITH (fastupdate = off);

-- CreateIndex
CREATE INDEX "work_title_search_idx" ON "work" USING GIN ("title_search") WITH (fastupdate = off);
