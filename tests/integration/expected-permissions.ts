// Who may call each endpoint: the product's decision, written out by hand from the rules
// in docs/security.md ("The permission table" and the subject rules below it) and the
// product design. It is NOT computed from lib/auth/permissions.ts: a wrong grant there
// must make tests/integration/authorization-matrix.test.ts fail.
//
// One line per endpoint (or per subject an endpoint treats differently). Every caller not
// listed must be refused and leave the database untouched, without an audit event.
//
// Adding a caller: one line in CALLERS, then name it in the rows that must allow it.
// Adding an endpoint: one line here and one runner in the matrix test (which fails until
// both exist).

export const CALLERS = [
  // one role each, in the rollout under test
  "EXECUTIVE",
  "DEV_LEAD",
  "OPS_MANAGER",
  "DEVOPS",
  "DBA",
  "DATA_ENGINEER",
  "SECURITY_OFFICER",
  "FINANCE",
  "ADMIN",
  "VIEWER",
  // two roles in the rollout: their rights are the union of both
  "DBA+VIEWER",
  "SECURITY_OFFICER+FINANCE",
  "ADMIN+EXECUTIVE",
  "OPS_MANAGER+DATA_ENGINEER",
  // every role, but in another rollout only
  "outsider",
  // no session
  "signed-out",
] as const;

export type Caller = (typeof CALLERS)[number];

// Caller groups, literal.
const MEMBERS = [
  "EXECUTIVE",
  "DEV_LEAD",
  "OPS_MANAGER",
  "DEVOPS",
  "DBA",
  "DATA_ENGINEER",
  "SECURITY_OFFICER",
  "FINANCE",
  "ADMIN",
  "VIEWER",
  "DBA+VIEWER",
  "SECURITY_OFFICER+FINANCE",
  "ADMIN+EXECUTIVE",
  "OPS_MANAGER+DATA_ENGINEER",
] as const satisfies readonly Caller[];
const SIGNED_IN = [...MEMBERS, "outsider"] as const satisfies readonly Caller[];
const ANYONE = [...SIGNED_IN, "signed-out"] as const satisfies readonly Caller[];

// plan.export: every member but a viewer (a viewer reads in the portal, takes nothing away).
const EXPORTERS = [
  "EXECUTIVE",
  "DEV_LEAD",
  "OPS_MANAGER",
  "DEVOPS",
  "DBA",
  "DATA_ENGINEER",
  "SECURITY_OFFICER",
  "FINANCE",
  "ADMIN",
  "DBA+VIEWER",
  "SECURITY_OFFICER+FINANCE",
  "ADMIN+EXECUTIVE",
  "OPS_MANAGER+DATA_ENGINEER",
] as const satisfies readonly Caller[];
// audit.read: executive, security officer, admin.
const AUDITORS = ["EXECUTIVE", "SECURITY_OFFICER", "ADMIN", "SECURITY_OFFICER+FINANCE", "ADMIN+EXECUTIVE"] as const satisfies readonly Caller[];
// users.manage / plan.edit: the rollout's admin.
const ADMINS = ["ADMIN", "ADMIN+EXECUTIVE"] as const satisfies readonly Caller[];

export type Expectation = { endpoint: string; allowed: readonly Caller[] };

/** `endpoint` is "<file>#<export>", then the subject in brackets where it matters. */
export const EXPECTED: readonly Expectation[] = [
  // ── server actions ────────────────────────────────────────────────────────────────
  { endpoint: "lib/actions/locale.ts#setLocale", allowed: ANYONE },
  { endpoint: "lib/actions/users.ts#createUserAction", allowed: ADMINS },
  { endpoint: "lib/actions/users.ts#setMemberRolesAction", allowed: ADMINS },
  // Deactivating an account reaches every rollout the person is in: an instance admin's
  // power only, never a rollout role's (the instance admin is in rollouts-authorization.test.ts).
  { endpoint: "lib/actions/users.ts#setUserActiveAction [a member of this rollout]", allowed: [] },
  { endpoint: "lib/actions/users.ts#changePasswordAction [own password]", allowed: SIGNED_IN },
  { endpoint: "lib/actions/sessions.ts#signOutEverywhereAction [own sessions]", allowed: SIGNED_IN },
  { endpoint: "lib/actions/ledger.ts#checkDigestAction", allowed: AUDITORS },
  { endpoint: "lib/actions/ledger.ts#createCalendarTokenAction", allowed: EXPORTERS },
  { endpoint: "lib/actions/ledger.ts#revokeCalendarTokenAction", allowed: EXPORTERS },
  { endpoint: "lib/actions/workflows.ts#renameSignOffAction", allowed: ADMINS },
  // item.tick.own: the item's owner role; item.tick.any: the admin.
  { endpoint: "lib/actions/workflows.ts#updateItemStateAction [item owned by DBA]", allowed: ["DBA", "ADMIN", "DBA+VIEWER", "ADMIN+EXECUTIVE"] },
  // Evidence belongs to the tick: whoever may tick the item may record (or clear) its evidence.
  { endpoint: "lib/actions/workflows.ts#updateItemEvidenceAction [item owned by DBA]", allowed: ["DBA", "ADMIN", "DBA+VIEWER", "ADMIN+EXECUTIVE"] },
  {
    endpoint: "lib/actions/workflows.ts#updateItemStateAction [item owned by SECURITY_OFFICER]",
    allowed: ["SECURITY_OFFICER", "ADMIN", "SECURITY_OFFICER+FINANCE", "ADMIN+EXECUTIVE"],
  },
  // Due date and assignee: plan.edit, or the item's owner role (see the report: the
  // security doc does not state the owner-role half).
  { endpoint: "lib/actions/workflows.ts#updateItemDetailsAction [item owned by DBA]", allowed: ["DBA", "ADMIN", "DBA+VIEWER", "ADMIN+EXECUTIVE"] },
  // The assignee picker's people: whoever may assign the item (the rule above), no one else.
  // The checklist's assignee filter: whoever may see the rollout.
  { endpoint: "lib/actions/checklist.ts#listAssignedPeopleAction", allowed: MEMBERS },
  { endpoint: "lib/actions/checklist.ts#listItemAssigneesAction [item owned by DBA]", allowed: ["DBA", "ADMIN", "DBA+VIEWER", "ADMIN+EXECUTIVE"] },
  // A sign-off is decided by holders of its own approver roles (any plan role may decide;
  // ADMIN and VIEWER never do); the kind is only a category (issue "rollouts of your own").
  { endpoint: "lib/actions/workflows.ts#decideSignOffAction [BUDGET, required FINANCE]", allowed: ["FINANCE", "SECURITY_OFFICER+FINANCE"] },
  { endpoint: "lib/actions/workflows.ts#decideSignOffAction [PRODUCTION_DEPLOYMENT, required EXECUTIVE, DEV_LEAD]", allowed: ["EXECUTIVE", "DEV_LEAD", "ADMIN+EXECUTIVE"] },
  { endpoint: "lib/actions/workflows.ts#decideSignOffAction [SECURITY_POLICY, required SECURITY_OFFICER]", allowed: ["SECURITY_OFFICER", "SECURITY_OFFICER+FINANCE"] },
  // Withdrawing changes the outcome as much as deciding: the same right.
  { endpoint: "lib/actions/workflows.ts#withdrawDecisionAction [BUDGET, required FINANCE]", allowed: ["FINANCE", "SECURITY_OFFICER+FINANCE"] },
  // Someone else's decision is withdrawn by the rollout's admin only (with a reason, told to
  // its author): not by the approvers of the same sign-off, nor by anyone else.
  { endpoint: "lib/actions/workflows.ts#withdrawOthersDecisionAction [BUDGET, required FINANCE, another member's decision]", allowed: ["ADMIN", "ADMIN+EXECUTIVE"] },
  { endpoint: "lib/actions/workflows.ts#transitionPhaseAction [complete, gate open]", allowed: ["EXECUTIVE", "DEV_LEAD", "ADMIN+EXECUTIVE"] },
  // The override exists only for the executive.
  { endpoint: "lib/actions/workflows.ts#transitionPhaseAction [complete, gate closed, override]", allowed: ["EXECUTIVE", "ADMIN+EXECUTIVE"] },
  // Each person marks their own roles' reading lists.
  { endpoint: "lib/actions/workflows.ts#markReadAction [DATA_ENGINEER's list]", allowed: ["DATA_ENGINEER", "OPS_MANAGER+DATA_ENGINEER"] },
  { endpoint: "lib/actions/workflows.ts#markReadAction [VIEWER's list]", allowed: ["VIEWER", "DBA+VIEWER"] },
  {
    endpoint: "lib/actions/workflows.ts#verifyCriterionAction",
    allowed: ["EXECUTIVE", "DEV_LEAD", "OPS_MANAGER", "DEVOPS", "ADMIN+EXECUTIVE", "OPS_MANAGER+DATA_ENGINEER"],
  },

  // ── route handlers ────────────────────────────────────────────────────────────────
  { endpoint: "app/(portal)/r/[slug]/export/items/route.ts#GET", allowed: EXPORTERS },
  { endpoint: "app/(portal)/r/[slug]/export/sign-offs/route.ts#GET", allowed: EXPORTERS },
  { endpoint: "app/(portal)/r/[slug]/export/plan/route.ts#GET", allowed: EXPORTERS },
  { endpoint: "app/(portal)/r/[slug]/ledger/digest/route.ts#GET", allowed: AUDITORS },
  // The secret URL is the credential and carries its owner's plan.export in the rollout;
  // "signed-out" holds no link. The outsider's link names a rollout they are not in.
  { endpoint: "app/api/calendar/[token]/route.ts#GET [the caller's own link]", allowed: EXPORTERS },
  { endpoint: "app/api/health/route.ts#GET", allowed: ANYONE },
  // The live stream of a rollout: whoever may see the rollout (every member, a viewer too);
  // an outsider and a signed-out client get nothing.
  { endpoint: "app/api/r/[slug]/events/route.ts#GET", allowed: MEMBERS },

  // ── page reads (lib/dal) ──────────────────────────────────────────────────────────
  { endpoint: "lib/dal/live.ts#openLiveFeed", allowed: MEMBERS },
  { endpoint: "lib/dal/live.ts#readLiveEvents", allowed: MEMBERS },
  // "Allowed" means this rollout's data came back; pages answer anything else with 404
  // (or the sign-in page when signed out).
  { endpoint: "lib/dal/overview.ts#getRolloutOverview", allowed: MEMBERS },
  { endpoint: "lib/dal/snapshot.ts#loadRolloutSnapshot", allowed: MEMBERS },
  { endpoint: "lib/dal/timeline.ts#getTimeline", allowed: MEMBERS },
  { endpoint: "lib/dal/timeline.ts#getBurnDown", allowed: MEMBERS },
  // A role dashboard is its role's own page: only the members who hold that role see it
  // (a second role adds its own dashboard); an admin or a viewer does not see the others'.
  { endpoint: "lib/dal/dashboard.ts#getRoleDashboard [the DBA dashboard]", allowed: ["DBA", "DBA+VIEWER"] },
  { endpoint: "lib/dal/dashboard.ts#getRoleDashboard [the executive dashboard]", allowed: ["EXECUTIVE", "ADMIN+EXECUTIVE"] },
  { endpoint: "lib/dal/dashboard.ts#getRoleDashboard [the security dashboard]", allowed: ["SECURITY_OFFICER", "SECURITY_OFFICER+FINANCE"] },
  { endpoint: "lib/dal/dashboard.ts#getRoleDashboard [the operations dashboard]", allowed: ["OPS_MANAGER", "OPS_MANAGER+DATA_ENGINEER"] },
  { endpoint: "lib/dal/documents.ts#listDocuments", allowed: MEMBERS },
  { endpoint: "lib/dal/documents.ts#getDocumentForPage", allowed: MEMBERS },
  { endpoint: "lib/dal/reading.ts#getDocument", allowed: MEMBERS },
  { endpoint: "lib/dal/criteria-list.ts#listCriteria", allowed: MEMBERS },
  { endpoint: "lib/dal/contacts.ts#listContacts", allowed: MEMBERS },
  { endpoint: "lib/dal/activity.ts#listActivity", allowed: MEMBERS },
  // The rollout's calendar for the API's export: whoever may export its plan.
  { endpoint: "lib/dal/calendar.ts#calendarForMember", allowed: EXPORTERS },
  { endpoint: "lib/dal/sign-offs.ts#getSignOffDetail [decisions and comments]", allowed: MEMBERS },
  // Anyone who may see the rollout may print a certificate with its evidence.
  { endpoint: "lib/dal/ledger.ts#getDecisionEvidence", allowed: MEMBERS },
  { endpoint: "lib/dal/ledger.ts#getPhaseCertificate", allowed: MEMBERS },
  { endpoint: "lib/dal/checklist.ts#getChecklistPage", allowed: MEMBERS },
  // A phase's page, go/no-go and the summary: every member may view them (rollout.view).
  { endpoint: "lib/dal/gate-pages.ts#getPhasePage", allowed: MEMBERS },
  { endpoint: "lib/dal/gate-pages.ts#getGoNoGoPage", allowed: MEMBERS },
  { endpoint: "lib/dal/gate-pages.ts#getRolloutSummary", allowed: MEMBERS },
  { endpoint: "lib/dal/ledger.ts#getLedgerReport", allowed: AUDITORS },
  // The admin page lists this rollout's members only to this rollout's admins.
  { endpoint: "lib/dal/users.ts#listUsersForAdmin [this rollout's members]", allowed: ADMINS },
  // The account page: one's own calendar links, whoever one is.
  { endpoint: "lib/dal/calendar.ts#rolloutsWithCalendarLink [own links]", allowed: SIGNED_IN },
];
