-- CreateEnum
CREATE TYPE "AffiliationStatus" AS ENUM ('CONFIRMED', 'REPORTED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "IdentityReason" ADD VALUE 'NAME_VARIANT_PROJECT';
ALTER TYPE "IdentityReason" ADD VALUE 'NAME_VARIANT_COAUTHOR';

-- AlterTable
ALTER TABLE "affiliation" ADD COLUMN     "status" "AffiliationStatus" NOT NULL DEFAULT 'CONFIRMED';

-- AlterTable
ALTER TABLE "identity_event" ADD COLUMN     "kept_apart_from" INTEGER,
ADD COLUMN     "moved" JSONB;
