import type { DecisionValue, Role, SignOffStatus } from "../generated/prisma/enums";

export type Quorum = {
  status: SignOffStatus;
  approvals: number;
  needed: number;
  /** Required built-in roles that have not approved yet (only when every role must approve). */
  missingRoles: Role[];
  /** Required custom roles (by id) that have not approved yet (only when every role must approve). */
  missingCustomRoleIds: string[];
};

type QuorumSignOff = { approvalsNeeded: number; everyRole: boolean; requiredRoles: readonly Role[]; requiredCustomRoleIds?: readonly string[] };
type QuorumDecision = { value: DecisionValue; role: Role; customRoleId?: string | null; withdrawnAt: Date | null };

/**
 * A sign-off's state from its standing decisions: any rejection rejects it; otherwise it
 * is approved once it has `approvalsNeeded` approvals (from distinct people) and, when
 * `everyRole` is set, at least one from each approver role. A role is an identity: an
 * approval given as a custom role counts for that custom role only, never for its base role.
 */
export function evaluateQuorum(signOff: QuorumSignOff, decisions: readonly QuorumDecision[]): Quorum {
  const standing = decisions.filter((d) => d.withdrawnAt === null);
  const approvals = standing.filter((d) => d.value === "APPROVE");
  const builtInApprovals = new Set(approvals.filter((d) => !d.customRoleId).map((d) => d.role));
  const customApprovals = new Set(approvals.map((d) => d.customRoleId).filter((id): id is string => !!id));
  const missingRoles = signOff.everyRole ? signOff.requiredRoles.filter((role) => !builtInApprovals.has(role)) : [];
  const missingCustomRoleIds = signOff.everyRole ? (signOff.requiredCustomRoleIds ?? []).filter((id) => !customApprovals.has(id)) : [];
  const status: SignOffStatus = standing.some((d) => d.value === "REJECT")
    ? "REJECTED"
    : approvals.length >= signOff.approvalsNeeded && missingRoles.length === 0 && missingCustomRoleIds.length === 0
      ? "APPROVED"
      : "PENDING";
  return { status, approvals: approvals.length, needed: signOff.approvalsNeeded, missingRoles, missingCustomRoleIds };
}
