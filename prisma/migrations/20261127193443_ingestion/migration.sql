-- CreateEnum
CREATE TYPE "IdentityReason" AS ENUM ('DOI', 'OPENALEX_ID', 'S2_ID', 'S2_CORPUS_ID', 'ARXIV_ID', 'TITLE_YEAR', 'ORCID', 'NAME_COAUTHOR', 'NAME', 'MANUAL_MERGE', 'MANUAL_SPLIT');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('RUNNING', 'FINISHED', 'FAILED');

-- AlterTable
ALTER TABLE "project" ALTER COLUMN "kind" DROP NOT NULL;

-- AlterTable
ALTER TABLE "work" ADD COLUMN     "citation_key" TEXT,
ADD COLUMN     "issue" TEXT,
ADD COLUMN     "pages" TEXT,
ADD COLUMN     "publisher" TEXT,
ADD COLUMN     "s2_corpus_id" INTEGER,
ADD COLUMN     "url" TEXT,
ADD COLUMN     "volume" TEXT;

-- CreateTable
CREATE TABLE "identity_event" (
    "id" SERIAL NOT NULL,
    "work_id" INTEGER,
    "person_id" INTEGER,
    "reason" "IdentityReason" NOT NULL,
    "detail" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "identity_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_run" (
    "id" SERIAL NOT NULL,
    "format" TEXT NOT NULL,
    "input" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "status" "ImportStatus" NOT NULL DEFAULT 'RUNNING',
    "lines_done" INTEGER NOT NULL DEFAULT 0,
    "summary" JSONB NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "import_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "identity_event_work_id_reason_detail_key" ON "identity_event"("work_id", "reason", "detail");

-- CreateIndex
CREATE UNIQUE INDEX "identity_event_person_id_reason_detail_key" ON "identity_event"("person_id", "reason", "detail");

-- CreateIndex
CREATE INDEX "import_run_format_input_fingerprint_idx" ON "import_run"("format", "input", "fingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "work_s2_corpus_id_key" ON "work"("s2_corpus_id");

-- AddForeignKey
ALTER TABLE "identity_event" ADD CONSTRAINT "identity_event_work_id_fkey" FOREIGN KEY ("work_id") REFERENCES "work"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity_event" ADD CONSTRAINT "identity_event_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
