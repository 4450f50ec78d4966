-- AlterTable
ALTER TABLE "SignOffDecision" ADD COLUMN     "title" TEXT;

-- Decisions given before the wording was kept were given on the sign-off's current title:
-- renaming a decided sign-off was possible until now, so this is the best record there is.
UPDATE "SignOffDecision" AS d SET "title" = s."title" FROM "SignOff" AS s WHERE s."id" = d."signOffId" AND d."title" IS NULL;
