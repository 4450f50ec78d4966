import type { DecisionValue, Role, SignOffStatus } from "../generated/prisma/enums";

export type Quorum = {
  status: SignOffStatus;
  approvals: number;
  needed: number;
  /** Required roles that have not approved yet (only when every role must approve). */
  missingRoles: Role[];
};

/**
 * A sign-off's state from its standing decisions: any rejection rejects it; otherwise it
 * is approved once it has `approvalsNeeded` approvals (from distinct people) and, when
 * `everyRole` is set, at least one from each required role.
 */
export function evaluateQuorum(
  signOff: { approvalsNeeded: number; everyRole: boolean; requiredRoles: readonly Role[] },
  decisions: readonly { value: DecisionValue; role: Role; withdrawnAt: Date | null }[],
): Quorum {
  const standing = decisions.filter((d) => d.withdrawnAt === null);
  const approvals = standing.filter((d) => d.value === "APPROVE");
  const missingRoles = signOff.everyRole
    ? signOff.requiredRoles.filter((role) => !approvals.some((d) => d.role === role))
    : [];
  const status: SignOffStatus = standing.some((d) => d.value === "REJECT")
    ? "REJECTED"
    : approvals.length >= signOff.approvalsNeeded && missingRoles.length === 0
      ? "APPROVED"
      : "PENDING";
  return { status, approvals: approvals.length, needed: signOff.approvalsNeeded, missingRoles };
}
