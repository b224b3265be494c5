-- CreateTable
CREATE TABLE "affiliation_pending" (
    "person_id" INTEGER NOT NULL,

    CONSTRAINT "affiliation_pending_pkey" PRIMARY KEY ("person_id")
);
