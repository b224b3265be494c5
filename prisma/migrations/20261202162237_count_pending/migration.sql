-- CreateTable
CREATE TABLE "count_pending" (
    "work_id" INTEGER NOT NULL,

    CONSTRAINT "count_pending_pkey" PRIMARY KEY ("work_id")
);
