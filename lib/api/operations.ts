import { z } from "zod";
import type { Scope } from "../auth/scopes";
import {
  activityPageSchema,
  activityQuerySchema,
  assignBodySchema,
  criterionSchema,
  decisionBodySchema,
  importNewQuerySchema,
  importOutcomeSchema,
  decisionOutcomeSchema,
  itemListQuerySchema,
  itemPageSchema,
  itemSchema,
  itemStateBodySchema,
  markReadBodySchema,
  markReadOutcomeSchema,
  phaseSchema,
  readingEntrySchema,
  rolloutSchema,
  rolloutSummarySchema,
  signOffSchema,
  transitionBodySchema,
  verifyBodySchema,
  withdrawOutcomeSchema,
} from "./schemas";
import { itemFiltersSchema, signOffFiltersSchema } from "../validation/filters";

// Every /api/v1 operation, once: the OpenAPI document is built from this list, and a test
// checks that each has its route file and method, and each route file is listed here.

export type Operation = {
  method: "get" | "post";
  /** OpenAPI path template, e.g. /rollouts/{slug}. */
  path: string;
  operationId: string;
  summary: string;
  /** The scope a token needs (the owner's roles must also allow the action). */
  scope: Scope;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: z.ZodType;
  /** Writes conditional on the row's version: If-Match required (true) or honoured when sent ("optional"), 412 when stale. */
  ifMatch?: true | "optional";
  /** The answer's media type when it is a file (an export), not JSON. */
  produces?: "text/markdown" | "text/csv" | "text/calendar";
  /** The request body's media type when it is not JSON (an import). */
  consumes?: "text/markdown";
  /** POSTs that honour Idempotency-Key. */
  idempotent?: boolean;
};

export const OPERATIONS: readonly Operation[] = [
  { method: "get", path: "/rollouts", operationId: "listRollouts", summary: "The rollouts the caller belongs to", scope: "read", response: rolloutSummarySchema.array() },
  { method: "get", path: "/rollouts/{slug}", operationId: "getRollout", summary: "One rollout with its phases", scope: "read", response: rolloutSchema },
  { method: "get", path: "/rollouts/{slug}/phases", operationId: "listPhases", summary: "The rollout's phases in order", scope: "read", response: phaseSchema.array() },
  { method: "get", path: "/rollouts/{slug}/phases/{phaseId}", operationId: "getPhase", summary: "One phase (ETag: its version)", scope: "read", response: phaseSchema },
  {
    method: "get",
    path: "/rollouts/{slug}/items",
    operationId: "listItems",
    summary: "Checklist items, filtered, a page at a time (cursor)",
    scope: "read",
    query: itemListQuerySchema,
    response: itemPageSchema,
  },
  { method: "get", path: "/rollouts/{slug}/items/{itemId}", operationId: "getItem", summary: "One checklist item (ETag: its version)", scope: "read", response: itemSchema },
  {
    method: "post",
    path: "/rollouts/{slug}/items/{itemId}/state",
    operationId: "setItemState",
    summary: "Tick, untick or mark an item not applicable, with evidence",
    scope: "items:write",
    body: itemStateBodySchema,
    response: itemSchema,
    ifMatch: true,
    idempotent: true,
  },
  { method: "get", path: "/rollouts/{slug}/sign-offs", operationId: "listSignOffs", summary: "The rollout's sign-offs with their standing decisions", scope: "read", response: signOffSchema.array() },
  { method: "get", path: "/rollouts/{slug}/sign-offs/{signOffId}", operationId: "getSignOff", summary: "One sign-off (ETag: its version)", scope: "read", response: signOffSchema },
  {
    method: "post",
    path: "/rollouts/{slug}/sign-offs/{signOffId}/decisions",
    operationId: "decideSignOff",
    summary: "Approve or reject a sign-off as one of its approver roles",
    scope: "signoffs:decide",
    body: decisionBodySchema,
    response: decisionOutcomeSchema,
    ifMatch: "optional",
    idempotent: true,
  },
  {
    method: "post",
    path: "/rollouts/{slug}/sign-offs/{signOffId}/withdrawal",
    operationId: "withdrawDecision",
    summary: "Take back the caller's standing decision while the gate is open",
    scope: "signoffs:decide",
    response: withdrawOutcomeSchema,
    idempotent: true,
  },
  {
    method: "post",
    path: "/rollouts/{slug}/phases/{phaseId}/transitions",
    operationId: "transitionPhase",
    summary: "Start, submit, complete, block, unblock, skip or reopen a phase",
    scope: "plan:write",
    body: transitionBodySchema,
    response: phaseSchema,
    ifMatch: true,
    idempotent: true,
  },
  {
    method: "post",
    path: "/rollouts/{slug}/items/{itemId}/assignee",
    operationId: "assignItem",
    summary: "Assign an item to a member (null: nobody), optionally with a new due date",
    scope: "items:write",
    body: assignBodySchema,
    response: itemSchema,
    ifMatch: true,
    idempotent: true,
  },
  { method: "get", path: "/rollouts/{slug}/criteria", operationId: "listCriteria", summary: "The rollout's success criteria, with who verified each", scope: "read", response: criterionSchema.array() },
  {
    method: "post",
    path: "/rollouts/{slug}/criteria/{criterionId}/verification",
    operationId: "verifyCriterion",
    summary: "Mark a success criterion verified (with a note) or not",
    scope: "criteria:verify",
    body: verifyBodySchema,
    response: criterionSchema,
    ifMatch: true,
    idempotent: true,
  },
  { method: "get", path: "/rollouts/{slug}/reading", operationId: "listMyReading", summary: "The caller's own reading lists, with what they have read", scope: "read", response: readingEntrySchema.array() },
  {
    method: "post",
    path: "/rollouts/{slug}/reading/{entryId}/read-state",
    operationId: "markRead",
    summary: "Mark an entry of the caller's own reading list read or unread",
    scope: "read",
    body: markReadBodySchema,
    response: markReadOutcomeSchema,
    idempotent: true,
  },
  {
    method: "get",
    path: "/rollouts/{slug}/activity",
    operationId: "listActivity",
    summary: "The rollout's events, newest first, a page at a time (cursor: before)",
    scope: "read",
    query: activityQuerySchema,
    response: activityPageSchema,
  },
  { method: "get", path: "/rollouts/{slug}/exports/plan", operationId: "exportPlan", summary: "The plan as Markdown with its current state", scope: "read", response: z.string(), produces: "text/markdown" },
  {
    method: "get",
    path: "/rollouts/{slug}/exports/items",
    operationId: "exportItems",
    summary: "The checklist as CSV, with the checklist's filters",
    scope: "read",
    query: itemFiltersSchema,
    response: z.string(),
    produces: "text/csv",
  },
  {
    method: "get",
    path: "/rollouts/{slug}/exports/sign-offs",
    operationId: "exportSignOffs",
    summary: "The sign-offs and their decisions as CSV",
    scope: "read",
    query: signOffFiltersSchema,
    response: z.string(),
    produces: "text/csv",
  },
  {
    method: "post",
    path: "/rollouts",
    operationId: "importNewRollout",
    summary: "Import a Markdown plan (the body, docs/plan-format.md) as a new rollout",
    scope: "plan:write",
    query: importNewQuerySchema,
    body: z.string(),
    consumes: "text/markdown",
    response: importOutcomeSchema,
    idempotent: true,
  },
  {
    method: "post",
    path: "/rollouts/{slug}/plan",
    operationId: "importPlan",
    summary: "Import a Markdown plan (the body) into a rollout with nothing recorded yet",
    scope: "plan:write",
    body: z.string(),
    consumes: "text/markdown",
    response: importOutcomeSchema,
    idempotent: true,
  },
  { method: "get", path: "/rollouts/{slug}/exports/calendar", operationId: "exportCalendar", summary: "The rollout as an iCalendar (.ics) file", scope: "read", response: z.string(), produces: "text/calendar" },
];
