-- CreateEnum
CREATE TYPE "MemberSource" AS ENUM ('LOCAL', 'SSO');

-- AlterTable
ALTER TABLE "RolloutMember" ADD COLUMN     "source" "MemberSource" NOT NULL DEFAULT 'LOCAL';

-- CreateTable
CREATE TABLE "SignInFailure" (
    "id" BIGSERIAL NOT NULL,
    "accountKey" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignInFailure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SignInFailure_accountKey_at_idx" ON "SignInFailure"("accountKey", "at");

-- CreateIndex
CREATE INDEX "SignInFailure_ip_at_idx" ON "SignInFailure"("ip", "at");
