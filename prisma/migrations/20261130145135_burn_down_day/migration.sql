-- CreateTable
CREATE TABLE "BurnDownDay" (
    "rolloutId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "delta" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BurnDownDay_pkey" PRIMARY KEY ("rolloutId","day")
);

-- AddForeignKey
ALTER TABLE "BurnDownDay" ADD CONSTRAINT "BurnDownDay_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: the projection of the item state changes already recorded ("at" holds UTC;
-- phase items only;
-- an event without a state after it changes nothing).
INSERT INTO "BurnDownDay" ("rolloutId", "day", "delta")
SELECT e."rolloutId",
       e."at"::date,
       SUM((CASE WHEN e."after"->>'state' = 'OPEN' THEN 1 ELSE 0 END) - (CASE WHEN e."before"->>'state' = 'OPEN' THEN 1 ELSE 0 END))::int
FROM "AuditEvent" e
JOIN "ChecklistItem" i ON i."id" = e."targetId" AND i."rolloutId" = e."rolloutId" AND i."list" = 'PHASE'
WHERE e."action" = 'item.state.changed' AND e."targetType" = 'ChecklistItem'
  AND e."after"->>'state' IN ('OPEN', 'DONE', 'NOT_APPLICABLE')
GROUP BY 1, 2;
