-- The criterion groups become a table of the same name: move the old enum aside first.
ALTER TYPE "CriterionGroup" RENAME TO "CriterionGroup_old";

-- DropIndex
DROP INDEX "ReadingListEntry_rolloutId_role_position_key";

-- DropIndex
DROP INDEX "RolloutMember_rolloutId_userId_role_key";

-- DropIndex
DROP INDEX "SuccessCriterion_rolloutId_group_position_key";

-- AlterTable
ALTER TABLE "ChecklistItem" ADD COLUMN     "ownerCustomRoleId" TEXT,
ADD COLUMN     "signOffId" TEXT;

-- AlterTable
ALTER TABLE "Contact" ADD COLUMN     "customRoleId" TEXT,
ADD COLUMN     "roleLabel" TEXT;

-- AlterTable
ALTER TABLE "ReadingListEntry" ADD COLUMN     "customRoleId" TEXT,
ADD COLUMN     "roleKey" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Rollout" ADD COLUMN     "archivedAt" TIMESTAMP(3),
ADD COLUMN     "archivedById" TEXT,
ADD COLUMN     "copiedFromId" TEXT,
ADD COLUMN     "isTemplate" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "RolloutMember" ADD COLUMN     "customRoleId" TEXT,
ADD COLUMN     "roleKey" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "SignOff" ADD COLUMN     "requiredCustomRoleIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "SignOffDecision" ADD COLUMN     "customRoleId" TEXT;

-- CreateTable
CREATE TABLE "CriterionGroup" (
    "id" TEXT NOT NULL,
    "rolloutId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "CriterionGroup_pkey" PRIMARY KEY ("id")
);

-- Data: each rollout's criteria keep their groups, now rows of the rollout's own.
INSERT INTO "CriterionGroup" ("id", "rolloutId", "name", "position")
SELECT 'cg_' || md5("rolloutId" || "group"::text), "rolloutId",
       CASE "group"::text WHEN 'DEPLOYMENT' THEN 'Deployment' WHEN 'MONITORING' THEN 'Monitoring' ELSE 'Operations' END,
       CASE "group"::text WHEN 'DEPLOYMENT' THEN 0 WHEN 'MONITORING' THEN 1 ELSE 2 END
FROM (SELECT DISTINCT "rolloutId", "group" FROM "SuccessCriterion") AS g;

-- AlterTable
ALTER TABLE "SuccessCriterion" ADD COLUMN     "groupId" TEXT;
UPDATE "SuccessCriterion" SET "groupId" = 'cg_' || md5("rolloutId" || "group"::text);
ALTER TABLE "SuccessCriterion" ALTER COLUMN "groupId" SET NOT NULL;
ALTER TABLE "SuccessCriterion" DROP COLUMN "group";

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "canCreateRollouts" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "isInstanceAdmin" BOOLEAN NOT NULL DEFAULT false;

-- DropEnum
DROP TYPE "CriterionGroup_old";

-- roleKey is derived, never written by hand: the built-in role's name, or the custom role's id.
CREATE FUNCTION greenlight_role_key() RETURNS trigger AS $$
BEGIN
  NEW."roleKey" := COALESCE(NEW."customRoleId", NEW."role"::text);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "RolloutMember_roleKey" BEFORE INSERT OR UPDATE ON "RolloutMember"
  FOR EACH ROW EXECUTE FUNCTION greenlight_role_key();
CREATE TRIGGER "ReadingListEntry_roleKey" BEFORE INSERT OR UPDATE ON "ReadingListEntry"
  FOR EACH ROW EXECUTE FUNCTION greenlight_role_key();
UPDATE "RolloutMember" SET "roleKey" = COALESCE("customRoleId", "role"::text);
UPDATE "ReadingListEntry" SET "roleKey" = COALESCE("customRoleId", "role"::text);

-- CreateTable
CREATE TABLE "RolloutRole" (
    "id" TEXT NOT NULL,
    "rolloutId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "baseRole" "Role" NOT NULL,
    "position" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RolloutRole_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RolloutRole_rolloutId_slug_key" ON "RolloutRole"("rolloutId", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "RolloutRole_rolloutId_name_key" ON "RolloutRole"("rolloutId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "CriterionGroup_rolloutId_position_key" ON "CriterionGroup"("rolloutId", "position");

-- CreateIndex
CREATE INDEX "ChecklistItem_signOffId_idx" ON "ChecklistItem"("signOffId");

-- CreateIndex
CREATE INDEX "ChecklistItem_ownerCustomRoleId_idx" ON "ChecklistItem"("ownerCustomRoleId");

-- CreateIndex
CREATE UNIQUE INDEX "ReadingListEntry_rolloutId_roleKey_position_key" ON "ReadingListEntry"("rolloutId", "roleKey", "position");

-- CreateIndex
CREATE INDEX "RolloutMember_customRoleId_idx" ON "RolloutMember"("customRoleId");

-- CreateIndex
CREATE UNIQUE INDEX "RolloutMember_rolloutId_userId_roleKey_key" ON "RolloutMember"("rolloutId", "userId", "roleKey");

-- CreateIndex
CREATE INDEX "SuccessCriterion_rolloutId_idx" ON "SuccessCriterion"("rolloutId");

-- CreateIndex
CREATE UNIQUE INDEX "SuccessCriterion_groupId_position_key" ON "SuccessCriterion"("groupId", "position");

-- AddForeignKey
ALTER TABLE "Rollout" ADD CONSTRAINT "Rollout_archivedById_fkey" FOREIGN KEY ("archivedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rollout" ADD CONSTRAINT "Rollout_copiedFromId_fkey" FOREIGN KEY ("copiedFromId") REFERENCES "Rollout"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RolloutRole" ADD CONSTRAINT "RolloutRole_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RolloutMember" ADD CONSTRAINT "RolloutMember_customRoleId_fkey" FOREIGN KEY ("customRoleId") REFERENCES "RolloutRole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistItem" ADD CONSTRAINT "ChecklistItem_ownerCustomRoleId_fkey" FOREIGN KEY ("ownerCustomRoleId") REFERENCES "RolloutRole"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistItem" ADD CONSTRAINT "ChecklistItem_signOffId_fkey" FOREIGN KEY ("signOffId") REFERENCES "SignOff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignOffDecision" ADD CONSTRAINT "SignOffDecision_customRoleId_fkey" FOREIGN KEY ("customRoleId") REFERENCES "RolloutRole"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReadingListEntry" ADD CONSTRAINT "ReadingListEntry_customRoleId_fkey" FOREIGN KEY ("customRoleId") REFERENCES "RolloutRole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CriterionGroup" ADD CONSTRAINT "CriterionGroup_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SuccessCriterion" ADD CONSTRAINT "SuccessCriterion_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "CriterionGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_customRoleId_fkey" FOREIGN KEY ("customRoleId") REFERENCES "RolloutRole"("id") ON DELETE SET NULL ON UPDATE CASCADE;

