-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('EXECUTIVE', 'DEV_LEAD', 'OPS_MANAGER', 'DEVOPS', 'DBA', 'DATA_ENGINEER', 'SECURITY_OFFICER', 'FINANCE', 'ADMIN', 'VIEWER');

-- CreateEnum
CREATE TYPE "PhaseStatus" AS ENUM ('NOT_STARTED', 'IN_PROGRESS', 'AWAITING_SIGNOFF', 'DONE', 'BLOCKED', 'SKIPPED');

-- CreateEnum
CREATE TYPE "ItemList" AS ENUM ('IMMEDIATE', 'NEXT_24H', 'PHASE');

-- CreateEnum
CREATE TYPE "ItemState" AS ENUM ('OPEN', 'DONE', 'NOT_APPLICABLE');

-- CreateEnum
CREATE TYPE "SignOffKind" AS ENUM ('PHASE_GATE', 'PRODUCTION_DEPLOYMENT', 'DEPLOYMENT_DATE', 'BUDGET', 'SECURITY_POLICY', 'ACCESS_CONTROL', 'COMPLIANCE', 'GO_NO_GO');

-- CreateEnum
CREATE TYPE "SignOffStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "DecisionValue" AS ENUM ('APPROVE', 'REJECT');

-- CreateEnum
CREATE TYPE "CriterionGroup" AS ENUM ('DEPLOYMENT', 'MONITORING', 'OPERATIONS');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT,
    "oidcSubject" TEXT,
    "locale" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "sessionVersion" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rollout" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "anchorDate" DATE NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Rollout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RolloutMember" (
    "id" TEXT NOT NULL,
    "rolloutId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RolloutMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Phase" (
    "id" TEXT NOT NULL,
    "rolloutId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "goal" TEXT,
    "window" TEXT,
    "plannedStart" TIMESTAMP(3),
    "plannedEnd" TIMESTAMP(3),
    "actualStart" TIMESTAMP(3),
    "actualEnd" TIMESTAMP(3),
    "status" "PhaseStatus" NOT NULL DEFAULT 'NOT_STARTED',
    "optional" BOOLEAN NOT NULL DEFAULT false,
    "blockedReason" TEXT,
    "overrideReason" TEXT,
    "overriddenById" TEXT,
    "overriddenAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Phase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChecklistItem" (
    "id" TEXT NOT NULL,
    "rolloutId" TEXT NOT NULL,
    "phaseId" TEXT,
    "list" "ItemList" NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "ownerRole" "Role",
    "assigneeId" TEXT,
    "dueAt" TIMESTAMP(3),
    "optional" BOOLEAN NOT NULL DEFAULT false,
    "state" "ItemState" NOT NULL DEFAULT 'OPEN',
    "stateChangedById" TEXT,
    "stateChangedAt" TIMESTAMP(3),
    "evidence" TEXT,
    "notApplicableReason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChecklistItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignOff" (
    "id" TEXT NOT NULL,
    "rolloutId" TEXT NOT NULL,
    "phaseId" TEXT,
    "kind" "SignOffKind" NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "reference" TEXT,
    "amountCents" BIGINT,
    "currency" TEXT,
    "requiredRoles" "Role"[],
    "approvalsNeeded" INTEGER NOT NULL DEFAULT 1,
    "everyRole" BOOLEAN NOT NULL DEFAULT false,
    "requiredForGate" BOOLEAN NOT NULL DEFAULT true,
    "status" "SignOffStatus" NOT NULL DEFAULT 'PENDING',
    "dueAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignOff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignOffDecision" (
    "id" TEXT NOT NULL,
    "signOffId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "value" "DecisionValue" NOT NULL,
    "comment" TEXT,
    "decidedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" TIMESTAMP(3),
    "withdrawnById" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "SignOffDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Document" (
    "id" TEXT NOT NULL,
    "rolloutId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "path" TEXT,
    "url" TEXT,
    "summary" TEXT[],
    "action" TEXT,
    "body" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReadingListEntry" (
    "id" TEXT NOT NULL,
    "rolloutId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "documentId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "minutes" INTEGER NOT NULL,
    "sectionHint" TEXT,

    CONSTRAINT "ReadingListEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReadState" (
    "id" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReadState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Milestone" (
    "id" TEXT NOT NULL,
    "rolloutId" TEXT NOT NULL,
    "phaseId" TEXT,
    "key" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3),
    "details" TEXT[],
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Milestone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SuccessCriterion" (
    "id" TEXT NOT NULL,
    "rolloutId" TEXT NOT NULL,
    "group" "CriterionGroup" NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "verifiedById" TEXT,
    "verifiedAt" TIMESTAMP(3),
    "note" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "SuccessCriterion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" TEXT NOT NULL,
    "rolloutId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "topic" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "notes" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "rolloutId" TEXT,
    "seq" INTEGER NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "before" JSONB,
    "after" JSONB,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "prevHash" TEXT,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_oidcSubject_key" ON "User"("oidcSubject");

-- CreateIndex
CREATE UNIQUE INDEX "Rollout_slug_key" ON "Rollout"("slug");

-- CreateIndex
CREATE INDEX "RolloutMember_userId_idx" ON "RolloutMember"("userId");

-- CreateIndex
CREATE INDEX "RolloutMember_rolloutId_role_idx" ON "RolloutMember"("rolloutId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "RolloutMember_rolloutId_userId_role_key" ON "RolloutMember"("rolloutId", "userId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Phase_rolloutId_position_key" ON "Phase"("rolloutId", "position");

-- CreateIndex
CREATE INDEX "ChecklistItem_rolloutId_list_position_idx" ON "ChecklistItem"("rolloutId", "list", "position");

-- CreateIndex
CREATE INDEX "ChecklistItem_phaseId_state_idx" ON "ChecklistItem"("phaseId", "state");

-- CreateIndex
CREATE INDEX "ChecklistItem_rolloutId_ownerRole_state_idx" ON "ChecklistItem"("rolloutId", "ownerRole", "state");

-- CreateIndex
CREATE INDEX "ChecklistItem_assigneeId_state_idx" ON "ChecklistItem"("assigneeId", "state");

-- CreateIndex
CREATE INDEX "ChecklistItem_rolloutId_state_dueAt_idx" ON "ChecklistItem"("rolloutId", "state", "dueAt");

-- CreateIndex
CREATE INDEX "SignOff_rolloutId_kind_position_idx" ON "SignOff"("rolloutId", "kind", "position");

-- CreateIndex
CREATE INDEX "SignOff_phaseId_idx" ON "SignOff"("phaseId");

-- CreateIndex
CREATE INDEX "SignOff_rolloutId_status_idx" ON "SignOff"("rolloutId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "SignOffDecision_signOffId_userId_key" ON "SignOffDecision"("signOffId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Document_rolloutId_key_key" ON "Document"("rolloutId", "key");

-- CreateIndex
CREATE INDEX "ReadingListEntry_documentId_idx" ON "ReadingListEntry"("documentId");

-- CreateIndex
CREATE UNIQUE INDEX "ReadingListEntry_rolloutId_role_position_key" ON "ReadingListEntry"("rolloutId", "role", "position");

-- CreateIndex
CREATE INDEX "ReadState_userId_idx" ON "ReadState"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ReadState_entryId_userId_key" ON "ReadState"("entryId", "userId");

-- CreateIndex
CREATE INDEX "Milestone_rolloutId_startsAt_idx" ON "Milestone"("rolloutId", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Milestone_rolloutId_key_key" ON "Milestone"("rolloutId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "SuccessCriterion_rolloutId_group_position_key" ON "SuccessCriterion"("rolloutId", "group", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Contact_rolloutId_position_key" ON "Contact"("rolloutId", "position");

-- CreateIndex
CREATE INDEX "AuditEvent_targetType_targetId_idx" ON "AuditEvent"("targetType", "targetId");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_idx" ON "AuditEvent"("actorId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_rolloutId_seq_key" ON "AuditEvent"("rolloutId", "seq");

-- AddForeignKey
ALTER TABLE "RolloutMember" ADD CONSTRAINT "RolloutMember_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RolloutMember" ADD CONSTRAINT "RolloutMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Phase" ADD CONSTRAINT "Phase_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Phase" ADD CONSTRAINT "Phase_overriddenById_fkey" FOREIGN KEY ("overriddenById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistItem" ADD CONSTRAINT "ChecklistItem_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistItem" ADD CONSTRAINT "ChecklistItem_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistItem" ADD CONSTRAINT "ChecklistItem_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistItem" ADD CONSTRAINT "ChecklistItem_stateChangedById_fkey" FOREIGN KEY ("stateChangedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignOff" ADD CONSTRAINT "SignOff_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignOff" ADD CONSTRAINT "SignOff_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignOffDecision" ADD CONSTRAINT "SignOffDecision_signOffId_fkey" FOREIGN KEY ("signOffId") REFERENCES "SignOff"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignOffDecision" ADD CONSTRAINT "SignOffDecision_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignOffDecision" ADD CONSTRAINT "SignOffDecision_withdrawnById_fkey" FOREIGN KEY ("withdrawnById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReadingListEntry" ADD CONSTRAINT "ReadingListEntry_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReadingListEntry" ADD CONSTRAINT "ReadingListEntry_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReadState" ADD CONSTRAINT "ReadState_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "ReadingListEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReadState" ADD CONSTRAINT "ReadState_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Milestone" ADD CONSTRAINT "Milestone_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Milestone" ADD CONSTRAINT "Milestone_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SuccessCriterion" ADD CONSTRAINT "SuccessCriterion_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SuccessCriterion" ADD CONSTRAINT "SuccessCriterion_verifiedById_fkey" FOREIGN KEY ("verifiedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
