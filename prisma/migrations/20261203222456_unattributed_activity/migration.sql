-- CreateTable
CREATE TABLE "unattributed_activity" (
    "project_id" INTEGER NOT NULL,
    "month" DATE NOT NULL,
    "commits" INTEGER NOT NULL,
    "lines_added" INTEGER NOT NULL,
    "lines_deleted" INTEGER NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "unattributed_activity_pkey" PRIMARY KEY ("project_id","month")
);

-- AddForeignKey
ALTER TABLE "unattributed_activity" ADD CONSTRAINT "unattributed_activity_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
