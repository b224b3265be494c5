-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "DatePrecision" AS ENUM ('DAY', 'MONTH', 'YEAR');

-- CreateEnum
CREATE TYPE "WorkType" AS ENUM ('ARTICLE', 'BOOK', 'BOOK_CHAPTER', 'DATASET', 'DISSERTATION', 'PREPRINT', 'PROCEEDINGS_ARTICLE', 'REPORT', 'REVIEW', 'SOFTWARE', 'OTHER');

-- CreateEnum
CREATE TYPE "AffiliationKind" AS ENUM ('EDUCATION', 'EMPLOYMENT', 'INTERNSHIP', 'OTHER');

-- CreateEnum
CREATE TYPE "ProjectKind" AS ENUM ('FRAMEWORK', 'LIBRARY', 'FORMAT');

-- CreateEnum
CREATE TYPE "ContributionRole" AS ENUM ('CREATOR', 'LEAD', 'MAINTAINER', 'CONTRIBUTOR');

-- CreateTable
CREATE TABLE "work" (
    "id" SERIAL NOT NULL,
    "title" TEXT,
    "title_key" TEXT,
    "publication_year" INTEGER,
    "publication_date" DATE,
    "type" "WorkType",
    "venue" TEXT,
    "doi" TEXT,
    "openalex_id" TEXT,
    "s2_id" TEXT,
    "arxiv_id" TEXT,
    "sources" TEXT[],
    "citation_count" INTEGER NOT NULL DEFAULT 0,
    "count_basis_id" INTEGER,
    "has_yearly_counts" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "work_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "citation" (
    "citing_id" INTEGER NOT NULL,
    "cited_id" INTEGER NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "citation_pkey" PRIMARY KEY ("citing_id","cited_id")
);

-- CreateTable
CREATE TABLE "reported_count" (
    "id" SERIAL NOT NULL,
    "work_id" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "source_record" TEXT NOT NULL,
    "retrieved_on" DATE NOT NULL,
    "total" INTEGER NOT NULL,

    CONSTRAINT "reported_count_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reported_yearly_count" (
    "reported_count_id" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "reported_yearly_count_pkey" PRIMARY KEY ("reported_count_id","year")
);

-- CreateTable
CREATE TABLE "work_yearly_count" (
    "work_id" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "work_yearly_count_pkey" PRIMARY KEY ("work_id","year")
);

-- CreateTable
CREATE TABLE "person" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "name_key" TEXT NOT NULL,
    "other_names" TEXT[],
    "orcid" TEXT,
    "openalex_id" TEXT,
    "s2_id" TEXT,
    "sources" TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "authorship" (
    "work_id" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "affiliation" TEXT,

    CONSTRAINT "authorship_pkey" PRIMARY KEY ("work_id","position")
);

-- CreateTable
CREATE TABLE "person_reported_metric" (
    "id" SERIAL NOT NULL,
    "person_id" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "source_record" TEXT NOT NULL,
    "retrieved_on" DATE NOT NULL,
    "retrieved_on_precision" "DatePrecision" NOT NULL,
    "citation_count" INTEGER,
    "h_index" INTEGER,
    "i10_index" INTEGER,

    CONSTRAINT "person_reported_metric_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "organization" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "country" TEXT,
    "ror" TEXT,

    CONSTRAINT "organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "affiliation" (
    "id" SERIAL NOT NULL,
    "person_id" INTEGER NOT NULL,
    "organization_id" INTEGER NOT NULL,
    "kind" "AffiliationKind" NOT NULL,
    "title" TEXT,
    "unit" TEXT,
    "start_date" DATE,
    "start_precision" "DatePrecision",
    "end_date" DATE,
    "end_precision" "DatePrecision",
    "ended" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL,
    "evidence" TEXT NOT NULL,

    CONSTRAINT "affiliation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "project" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ProjectKind" NOT NULL,
    "description" TEXT,
    "repository_url" TEXT,
    "started_on" DATE,
    "started_precision" "DatePrecision",
    "source" TEXT NOT NULL,

    CONSTRAINT "project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contribution" (
    "id" SERIAL NOT NULL,
    "person_id" INTEGER NOT NULL,
    "project_id" INTEGER NOT NULL,
    "role" "ContributionRole" NOT NULL,
    "start_date" DATE NOT NULL,
    "start_precision" "DatePrecision" NOT NULL,
    "end_date" DATE,
    "end_precision" "DatePrecision",
    "ended" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL,
    "evidence" TEXT NOT NULL,

    CONSTRAINT "contribution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "project_activity" (
    "project_id" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,
    "month" DATE NOT NULL,
    "commits" INTEGER NOT NULL,
    "lines_added" INTEGER NOT NULL,
    "lines_deleted" INTEGER NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "project_activity_pkey" PRIMARY KEY ("project_id","person_id","month")
);

-- CreateTable
CREATE TABLE "work_project" (
    "work_id" INTEGER NOT NULL,
    "project_id" INTEGER NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "work_project_pkey" PRIMARY KEY ("work_id","project_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "work_doi_key" ON "work"("doi");

-- CreateIndex
CREATE UNIQUE INDEX "work_openalex_id_key" ON "work"("openalex_id");

-- CreateIndex
CREATE UNIQUE INDEX "work_s2_id_key" ON "work"("s2_id");

-- CreateIndex
CREATE UNIQUE INDEX "work_arxiv_id_key" ON "work"("arxiv_id");

-- CreateIndex
CREATE UNIQUE INDEX "work_count_basis_id_key" ON "work"("count_basis_id");

-- CreateIndex
CREATE INDEX "work_citation_count_id_idx" ON "work"("citation_count" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "work_publication_year_id_idx" ON "work"("publication_year", "id");

-- CreateIndex
CREATE INDEX "work_title_key_publication_year_idx" ON "work"("title_key", "publication_year");

-- CreateIndex
CREATE INDEX "work_venue_idx" ON "work"("venue");

-- CreateIndex
CREATE INDEX "work_type_idx" ON "work"("type");

-- CreateIndex
CREATE INDEX "citation_cited_id_citing_id_idx" ON "citation"("cited_id", "citing_id");

-- CreateIndex
CREATE UNIQUE INDEX "reported_count_work_id_source_retrieved_on_key" ON "reported_count"("work_id", "source", "retrieved_on");

-- CreateIndex
CREATE INDEX "work_yearly_count_year_work_id_idx" ON "work_yearly_count"("year", "work_id");

-- CreateIndex
CREATE UNIQUE INDEX "person_orcid_key" ON "person"("orcid");

-- CreateIndex
CREATE UNIQUE INDEX "person_openalex_id_key" ON "person"("openalex_id");

-- CreateIndex
CREATE UNIQUE INDEX "person_s2_id_key" ON "person"("s2_id");

-- CreateIndex
CREATE INDEX "person_name_key_id_idx" ON "person"("name_key", "id");

-- CreateIndex
CREATE INDEX "person_name_id_idx" ON "person"("name", "id");

-- CreateIndex
CREATE INDEX "authorship_person_id_work_id_idx" ON "authorship"("person_id", "work_id");

-- CreateIndex
CREATE UNIQUE INDEX "authorship_work_id_person_id_key" ON "authorship"("work_id", "person_id");

-- CreateIndex
CREATE UNIQUE INDEX "person_reported_metric_person_id_source_retrieved_on_key" ON "person_reported_metric"("person_id", "source", "retrieved_on");

-- CreateIndex
CREATE UNIQUE INDEX "organization_slug_key" ON "organization"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "organization_ror_key" ON "organization"("ror");

-- CreateIndex
CREATE INDEX "organization_name_id_idx" ON "organization"("name", "id");

-- CreateIndex
CREATE INDEX "affiliation_person_id_start_date_idx" ON "affiliation"("person_id", "start_date");

-- CreateIndex
CREATE INDEX "affiliation_organization_id_start_date_idx" ON "affiliation"("organization_id", "start_date");

-- CreateIndex
CREATE UNIQUE INDEX "project_slug_key" ON "project"("slug");

-- CreateIndex
CREATE INDEX "project_name_id_idx" ON "project"("name", "id");

-- CreateIndex
CREATE INDEX "contribution_project_id_start_date_id_idx" ON "contribution"("project_id", "start_date", "id");

-- CreateIndex
CREATE INDEX "contribution_person_id_start_date_idx" ON "contribution"("person_id", "start_date");

-- CreateIndex
CREATE UNIQUE INDEX "contribution_person_id_project_id_role_start_date_source_key" ON "contribution"("person_id", "project_id", "role", "start_date", "source");

-- CreateIndex
CREATE INDEX "project_activity_person_id_month_idx" ON "project_activity"("person_id", "month");

-- CreateIndex
CREATE INDEX "project_activity_project_id_month_idx" ON "project_activity"("project_id", "month");

-- CreateIndex
CREATE INDEX "work_project_project_id_work_id_idx" ON "work_project"("project_id", "work_id");

-- AddForeignKey
ALTER TABLE "work" ADD CONSTRAINT "work_count_basis_id_fkey" FOREIGN KEY ("count_basis_id") REFERENCES "reported_count"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "citation" ADD CONSTRAINT "citation_citing_id_fkey" FOREIGN KEY ("citing_id") REFERENCES "work"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "citation" ADD CONSTRAINT "citation_cited_id_fkey" FOREIGN KEY ("cited_id") REFERENCES "work"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reported_count" ADD CONSTRAINT "reported_count_work_id_fkey" FOREIGN KEY ("work_id") REFERENCES "work"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reported_yearly_count" ADD CONSTRAINT "reported_yearly_count_reported_count_id_fkey" FOREIGN KEY ("reported_count_id") REFERENCES "reported_count"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_yearly_count" ADD CONSTRAINT "work_yearly_count_work_id_fkey" FOREIGN KEY ("work_id") REFERENCES "work"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "authorship" ADD CONSTRAINT "authorship_work_id_fkey" FOREIGN KEY ("work_id") REFERENCES "work"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "authorship" ADD CONSTRAINT "authorship_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person_reported_metric" ADD CONSTRAINT "person_reported_metric_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "affiliation" ADD CONSTRAINT "affiliation_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "affiliation" ADD CONSTRAINT "affiliation_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contribution" ADD CONSTRAINT "contribution_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contribution" ADD CONSTRAINT "contribution_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project_activity" ADD CONSTRAINT "project_activity_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project_activity" ADD CONSTRAINT "project_activity_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_project" ADD CONSTRAINT "work_project_work_id_fkey" FOREIGN KEY ("work_id") REFERENCES "work"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_project" ADD CONSTRAINT "work_project_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
