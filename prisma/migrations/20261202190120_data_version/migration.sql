-- CreateTable
CREATE TABLE "data_version" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "version" BIGINT NOT NULL DEFAULT 0,
    "database" UUID NOT NULL DEFAULT gen_random_uuid(),

    CONSTRAINT "data_version_pkey" PRIMARY KEY ("id")
);
-- The one row, and only one.
ALTER TABLE "data_version" ADD CONSTRAINT "data_version_one_row" CHECK ("id");
INSERT INTO "data_version" ("id", "version") VALUES (true, 0);

-- Called by every writer in its own transaction; the notification goes out when it commits.
CREATE FUNCTION data_changed() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  bumped bigint;
BEGIN
  UPDATE data_version SET version = version + 1 RETURNING version INTO bumped;
  PERFORM pg_notify('citegraph_data_version', bumped::text);
  RETURN bumped;
END
$$;
