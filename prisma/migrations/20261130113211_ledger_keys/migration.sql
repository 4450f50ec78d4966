-- The ledger is keyed (hash version 2, HMAC-SHA-256 under a key held outside the
-- database); events written before keep hash version 1 (plain SHA-256).
ALTER TABLE "AuditEvent" ADD COLUMN     "hashVersion" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "keyId" TEXT;

-- CreateTable
CREATE TABLE "LedgerCheckpoint" (
    "rolloutId" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "head" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "mac" TEXT NOT NULL,
    "verifiedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerCheckpoint_pkey" PRIMARY KEY ("rolloutId")
);

-- CreateTable
CREATE TABLE "SecurityEvent" (
    "id" BIGSERIAL NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "details" JSONB,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "keyId" TEXT,
    "mac" TEXT,

    CONSTRAINT "SecurityEvent_pkey" PRIMARY KEY ("id")
);

-- Events with no rollout (sign-ins, account changes) leave the rollout chains for the
-- security log, in their original order. Their old global-chain hash is kept in
-- `details.legacyHash`; they carry no MAC.
INSERT INTO "SecurityEvent" ("actorId", "action", "targetType", "targetId", "details", "at")
SELECT "actorId", "action", "targetType", "targetId",
       jsonb_strip_nulls(jsonb_build_object('before', "before", 'after', "after", 'legacyHash', "hash")),
       "at"
FROM "AuditEvent" WHERE "rolloutId" IS NULL ORDER BY "id";

ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_delete;
DELETE FROM "AuditEvent" WHERE "rolloutId" IS NULL;
ALTER TABLE "AuditEvent" ENABLE TRIGGER audit_event_no_update_delete;

-- Every rollout event has a rollout, so (rolloutId, seq) is unique for all of them.
ALTER TABLE "AuditEvent" ALTER COLUMN "rolloutId" SET NOT NULL;

-- CreateIndex
CREATE INDEX "SecurityEvent_actorId_at_idx" ON "SecurityEvent"("actorId", "at");

-- CreateIndex
CREATE INDEX "SecurityEvent_at_idx" ON "SecurityEvent"("at");

-- AddForeignKey
ALTER TABLE "LedgerCheckpoint" ADD CONSTRAINT "LedgerCheckpoint_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SecurityEvent" ADD CONSTRAINT "SecurityEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The security log is append-only too (the refusal names the table).
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER security_event_no_update_delete
  BEFORE UPDATE OR DELETE ON "SecurityEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();

CREATE TRIGGER security_event_no_truncate
  BEFORE TRUNCATE ON "SecurityEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
