import type { ChecklistRowItem } from "@/components/checklist/checklist-item-row";
import { can } from "../auth/permissions";
import type { RolloutSnapshot } from "../dal/snapshot";
import { awaitsDecision, computeProgress, evaluateGate, gateState } from "../domain/gate";
import { isClosed } from "../domain/phase";
import { isApprover, roleKeyOf, type RoleRef } from "../domain/roles";
import type { ItemState, PhaseStatus } from "../generated/prisma/enums";

// Shapes a rollout snapshot into what the dashboards show. Pure: no queries here.

const DAY = 86_400_000;
type Item = RolloutSnapshot["items"][number];
type SignOff = RolloutSnapshot["signOffs"][number];

export function formatAmount(cents: bigint | null, currency: string | null, locale: string): string | null {
  if (cents === null) return null;
  return new Intl.NumberFormat(locale, { style: "currency", currency: currency ?? "USD", maximumFractionDigits: 0 }).format(Number(cents) / 100);
}

/** Whether the identity owns the item (a custom role owns only its own items, never its base role's). */
export function ownsItem(item: Pick<Item, "ownerRole" | "ownerCustomRoleId">, ref: RoleRef): boolean {
  if (item.ownerRole === null) return false;
  return roleKeyOf({ role: item.ownerRole, customRoleId: item.ownerCustomRoleId }) === roleKeyOf(ref);
}

type Viewer = Pick<RolloutSnapshot, "roles" | "holdings"> & { rollout: { archived: boolean } };

/** What the checklist rules read of an item (a snapshot's item, or a checklist page's). */
type RowItem = Pick<Item, "id" | "text" | "state" | "version" | "optional" | "evidence" | "notApplicableReason" | "dueAt" | "ownerRole" | "ownerCustomRoleId" | "assigneeId" | "stateChangedAt"> & {
  phase: { status: PhaseStatus } | null;
  assignee: { name: string } | null;
  stateChangedBy: { name: string } | null;
};

export function canTick(item: RowItem, viewer: Viewer, actorId: string): boolean {
  if (viewer.rollout.archived) return false;
  if (item.phase && isClosed(item.phase.status)) return false;
  if (can(viewer.roles, "item.tick.any")) return true;
  return can(viewer.roles, "item.tick.own") && (viewer.holdings.some((h) => ownsItem(item, h)) || item.assigneeId === actorId);
}

/** Why the viewer may not tick an item (null when they may): its phase closed, another role owns it, or their role ticks nothing. */
export type TickLock = { reason: "archived" | "closed" | "owner" | "rights"; ownerName: string | null };

export function tickLock(item: RowItem, snapshot: Viewer & { customRoles: readonly { id: string; name: string }[] }, actorId: string): TickLock | null {
  if (canTick(item, snapshot, actorId)) return null;
  if (snapshot.rollout.archived) return { reason: "archived", ownerName: null };
  if (item.phase && isClosed(item.phase.status)) return { reason: "closed", ownerName: null };
  if (can(snapshot.roles, "item.tick.own") && item.ownerRole !== null) {
    const custom = item.ownerCustomRoleId ? snapshot.customRoles.find((c) => c.id === item.ownerCustomRoleId) : undefined;
    return { reason: "owner", ownerName: custom?.name ?? null };
  }
  return { reason: "rights", ownerName: null };
}

/** Whether the viewer may assign the item (to any of the rollout's active members). */
export function mayAssign(item: RowItem, viewer: Viewer): boolean {
  if (viewer.rollout.archived) return false;
  if (can(viewer.roles, "plan.edit")) return true;
  return viewer.holdings.some((h) => ownsItem(item, h)) && can(viewer.roles, "item.tick.own");
}

/** The people rows may be assigned to, once per page: the rollout's active members by name; none when the viewer may assign nothing. */
export function assignablePeople(snapshot: { roles: RolloutSnapshot["roles"]; members: readonly { user: { id: string; name: string } }[] }): { id: string; name: string }[] {
  if (!can(snapshot.roles, "plan.edit") && !can(snapshot.roles, "item.tick.own")) return [];
  const people = new Map(snapshot.members.map((m) => [m.user.id, m.user.name]));
  return [...people].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}

/** Whether the identity may decide the sign-off: it is among the approvers and its rights include deciding. */
export function decidesAs(signOff: Pick<SignOff, "requiredRoles" | "requiredCustomRoleIds">, ref: RoleRef): boolean {
  return can([ref.role], "signoff.decide") && isApprover(signOff, ref);
}

export function isOverdue(item: Pick<Item, "state" | "dueAt">, now: Date): boolean {
  return item.state === "OPEN" && item.dueAt !== null && item.dueAt < now;
}

export function toChecklistRow(item: RowItem): ChecklistRowItem {
  return {
    id: item.id,
    text: item.text,
    state: item.state,
    version: item.version,
    optional: item.optional,
    evidence: item.evidence,
    notApplicableReason: item.notApplicableReason,
    dueAt: item.dueAt,
    ownerRole: item.ownerRole,
    assigneeId: item.assigneeId,
    assigneeName: item.assignee?.name ?? null,
    changedByName: item.stateChangedBy?.name ?? null,
    stateChangedAt: item.stateChangedAt,
  };
}

export function phaseSummaries(snapshot: RolloutSnapshot) {
  return snapshot.phases.map((phase) => {
    const items = snapshot.items.filter((i) => i.phaseId === phase.id);
    const counts: Partial<Record<ItemState, number>> = {};
    for (const item of items) counts[item.state] = (counts[item.state] ?? 0) + 1;
    const signOffs = snapshot.signOffs.filter((s) => s.phaseId === phase.id);
    return {
      phase,
      progress: computeProgress(counts),
      gate: evaluateGate(items, signOffs),
      state: gateState({ ...phase, overriddenByName: phase.overriddenBy?.name ?? null }, items, signOffs),
    };
  });
}

export function overallProgress(snapshot: RolloutSnapshot) {
  const counts: Partial<Record<ItemState, number>> = {};
  for (const item of snapshot.items) if (item.list === "PHASE") counts[item.state] = (counts[item.state] ?? 0) + 1;
  return computeProgress(counts);
}

/**
 * What a role has to do soon: its open items due within 24 h (or listed for the next 24 h),
 * and decisions it owes. An item the plan links to a sign-off this role decides is that
 * decision (deciding completes it), so it shows once, as the decision.
 */
export function nextDay(snapshot: RolloutSnapshot, ref: RoleRef, now: Date) {
  const soon = new Date(now.getTime() + DAY);
  const decides = new Set(snapshot.signOffs.filter((s) => decidesAs(s, ref)).map((s) => s.id));
  const decisions = snapshot.signOffs.filter(
    (s) =>
      awaitsDecision(s) &&
      decides.has(s.id) &&
      !s.decisions.some((d) => d.userId === snapshot.actorId && d.withdrawnAt === null) &&
      s.dueAt !== null &&
      s.dueAt <= soon,
  );
  const items = snapshot.items.filter(
    (i) =>
      ownsItem(i, ref) &&
      i.state === "OPEN" &&
      !(i.phase && isClosed(i.phase.status)) &&
      (i.list === "NEXT_24H" || (i.dueAt !== null && i.dueAt <= soon)) &&
      !(i.signOffId !== null && decides.has(i.signOffId)),
  );
  return { items, decisions };
}

export function riskSummary(snapshot: RolloutSnapshot, now: Date) {
  return {
    overdue: snapshot.items.filter((i) => isOverdue(i, now) && !i.optional),
    blockedPhases: snapshot.phases.filter((p) => p.status === "BLOCKED"),
    rejected: snapshot.signOffs.filter((s) => s.status === "REJECTED"),
    optionalPhases: snapshot.phases.filter((p) => p.optional),
    overridden: snapshot.phases.filter((p) => p.overrideReason),
  };
}

export function budgetSummary(snapshot: RolloutSnapshot) {
  const budgets = snapshot.signOffs.filter((s) => s.kind === "BUDGET" && s.amountCents !== null);
  const asked = budgets.reduce((sum, s) => sum + (s.amountCents ?? BigInt(0)), BigInt(0));
  const approved = budgets.filter((s) => s.status === "APPROVED").reduce((sum, s) => sum + (s.amountCents ?? BigInt(0)), BigInt(0));
  return { budgets, asked, approved, currency: budgets[0]?.currency ?? "USD" };
}

/** Reading progress per role identity: each holder's read entries out of the role's list, and minutes. */
export function teamReading(snapshot: RolloutSnapshot) {
  const refs = new Map<string, RoleRef>();
  for (const e of snapshot.reading) refs.set(roleKeyOf(e), { role: e.role, customRoleId: e.customRoleId });
  return [...refs].map(([key, ref]) => {
    const entries = snapshot.reading.filter((e) => roleKeyOf(e) === key);
    const people = snapshot.members.filter((m) => roleKeyOf(m) === key).map((m) => m.user);
    const perPerson = people.map((person) => ({
      person,
      read: entries.filter((e) => e.readStates.some((r) => r.userId === person.id)).length,
    }));
    const read = perPerson.reduce((sum, p) => sum + p.read, 0);
    const total = entries.length * people.length;
    const custom = ref.customRoleId ? snapshot.customRoles.find((c) => c.id === ref.customRoleId) : undefined;
    return {
      key,
      role: ref.role,
      /** The custom role's own name; null for a built-in role (say it in the reader's language). */
      customName: custom?.name ?? null,
      entries: entries.length,
      minutes: entries.reduce((s, e) => s + e.minutes, 0),
      perPerson,
      read,
      total,
      percent: total ? Math.round((read / total) * 100) : 0,
    };
  });
}

/**
 * Whether a group of sign-offs still carries numbered names rather than names of their own:
 * at least two, and their titles differ only in their digits ("Item 01 of 09", "Item 02 of 09").
 */
export function hasNumberedNames(titles: readonly string[]): boolean {
  if (titles.length < 2 || !titles.every((title) => /\d/.test(title))) return false;
  const shapes = new Set(titles.map((title) => title.replace(/\d+/g, "#")));
  return shapes.size === 1;
}

/** The rollout's document a sign-off's reference starts with ("docs/x.md, section 2" → docs/x.md), among the reading lists' documents. */
export function referencedDocument(reference: string | null, snapshot: { reading: readonly { document: { id: string; title: string; path: string | null } }[] }): { id: string; title: string } | null {
  if (!reference) return null;
  const documents = snapshot.reading.flatMap((e) => (e.document.path ? [{ ...e.document, path: e.document.path }] : [])).sort((a, b) => b.path.length - a.path.length);
  return documents.find((d) => reference === d.path || reference.startsWith(`${d.path},`) || reference.startsWith(`${d.path} `)) ?? null;
}
