import { describe, expect, it } from "vitest";
import { homePath } from "@/lib/domain/home";

// Where a person lands after signing in (issue 9: a person holding a custom role gets that
// role's dashboard like any other). Expected paths are written out from the rule, by hand.

describe("homePath", () => {
  it("sends a holder of a built-in plan role to that role's dashboard", () => {
    expect(homePath([{ slug: "pilot", roles: ["DBA"], builtInRoles: ["DBA"], customRoleSlugs: [] }])).toBe("/r/pilot/dba");
  });

  it("sends someone holding only a custom role to the custom role's dashboard, not its base role's", () => {
    // A "QA Lead" built on DevOps: rights of DevOps, but the dashboard is the QA Lead's.
    expect(homePath([{ slug: "pilot", roles: ["DEVOPS"], builtInRoles: [], customRoleSlugs: ["qa-lead", "sre-lead"] }])).toBe("/r/pilot/qa-lead");
  });

  it("prefers a built-in plan role held as itself over a custom role", () => {
    expect(homePath([{ slug: "pilot", roles: ["DEVOPS", "FINANCE"], builtInRoles: ["FINANCE"], customRoleSlugs: ["qa-lead"] }])).toBe("/r/pilot/finance");
  });

  it("sends an admin without a plan role to the people pages, a viewer to the overview, nobody's rollouts to the list", () => {
    expect(homePath([{ slug: "pilot", roles: ["ADMIN"], builtInRoles: ["ADMIN"], customRoleSlugs: [] }])).toBe("/admin/users");
    expect(homePath([{ slug: "pilot", roles: ["VIEWER"], builtInRoles: ["VIEWER"], customRoleSlugs: [] }])).toBe("/r/pilot");
    expect(homePath([])).toBe("/");
  });

  it("uses the first rollout listed (the newest active one)", () => {
    expect(
      homePath([
        { slug: "newer", roles: ["DEVOPS"], builtInRoles: [], customRoleSlugs: ["qa-lead"] },
        { slug: "older", roles: ["DBA"], builtInRoles: ["DBA"], customRoleSlugs: [] },
      ]),
    ).toBe("/r/newer/qa-lead");
  });
});
