import { describe, expect, it } from "vitest";
import { evaluateQuorum } from "@/lib/domain/sign-off";

// The approval rule (issue 9, part 4): "N approvals" or "every listed role", where a role is
// an identity — a custom role's approval counts for it alone, never for its base role.

const approve = (role: "DBA" | "DEVOPS" | "EXECUTIVE", customRoleId: string | null = null) => ({ value: "APPROVE" as const, role, customRoleId, withdrawnAt: null });

describe("evaluateQuorum", () => {
  const everyRole = { approvalsNeeded: 2, everyRole: true, requiredRoles: ["DBA" as const], requiredCustomRoleIds: ["qa"] };

  it("with every role required, waits for the custom role even when the count is reached", () => {
    expect(evaluateQuorum(everyRole, [approve("DBA"), approve("DBA")])).toMatchObject({ status: "PENDING", approvals: 2, missingRoles: [], missingCustomRoleIds: ["qa"] });
  });

  it("does not count a base-role holder for the custom role, nor the custom role for its base role", () => {
    expect(evaluateQuorum(everyRole, [approve("DBA"), approve("DEVOPS")])).toMatchObject({ status: "PENDING", missingCustomRoleIds: ["qa"] });
    const devopsAndQa = { approvalsNeeded: 2, everyRole: true, requiredRoles: ["DEVOPS" as const], requiredCustomRoleIds: ["qa"] };
    expect(evaluateQuorum(devopsAndQa, [approve("DEVOPS", "qa"), approve("DBA")])).toMatchObject({ status: "PENDING", missingRoles: ["DEVOPS"], missingCustomRoleIds: [] });
  });

  it("approves once each listed role has approved", () => {
    expect(evaluateQuorum(everyRole, [approve("DBA"), approve("DEVOPS", "qa")])).toMatchObject({ status: "APPROVED", missingRoles: [], missingCustomRoleIds: [] });
  });

  it("counts approvals only, when every role is not required; a rejection rejects", () => {
    const count = { approvalsNeeded: 2, everyRole: false, requiredRoles: ["DBA" as const], requiredCustomRoleIds: ["qa"] };
    expect(evaluateQuorum(count, [approve("DBA")])).toMatchObject({ status: "PENDING", approvals: 1, needed: 2 });
    expect(evaluateQuorum(count, [approve("DBA"), approve("DBA")])).toMatchObject({ status: "APPROVED", missingCustomRoleIds: [] });
    expect(evaluateQuorum(count, [approve("DBA"), approve("DBA"), { value: "REJECT", role: "DEVOPS", customRoleId: "qa", withdrawnAt: null }])).toMatchObject({ status: "REJECTED" });
  });
});
