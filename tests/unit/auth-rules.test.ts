import { describe, expect, it } from "vitest";
import { claimValues, parseRoleMap, rolesFromClaims } from "@/lib/auth/oidc";
import { passwordSchema } from "@/lib/auth/password";
import { PERMISSIONS } from "@/lib/auth/permissions";
import { assertProductionSecrets, missingProductionSecrets } from "@/lib/env";

describe("password policy", () => {
  const check = (password: string) => {
    const result = passwordSchema.safeParse(password);
    return result.success ? "ok" : result.error.issues[0].message;
  };
  it("accepts 8 to 128 characters of anything, with no composition rules", () => {
    expect(check("plainlongword")).toBe("ok");
    expect(check("ñandú açaí 🚀")).toBe("ok");
    expect(check("x".repeat(64))).toBe("ok");
    expect(check("y".repeat(128))).toBe("ok");
  });
  it("refuses short, overlong and common passwords with a specific message", () => {
    expect(check("short")).toBe("A password needs at least 8 characters.");
    expect(check("z".repeat(129))).toBe("A password may have at most 128 characters.");
    expect(check("password")).toMatch(/most common/);
    expect(check("Qwerty123")).toMatch(/most common/);
    expect(check("iloveyou")).toMatch(/most common/);
  });
});

describe("OIDC role mapping", () => {
  it("parses claim → role [@rollout] entries", () => {
    expect(parseRoleMap("execs=EXECUTIVE, sec=SECURITY_OFFICER@iteration-5\nops=OPS_MANAGER")).toEqual([
      { claimValue: "execs", role: "EXECUTIVE", rolloutSlug: null },
      { claimValue: "sec", role: "SECURITY_OFFICER", rolloutSlug: "iteration-5" },
      { claimValue: "ops", role: "OPS_MANAGER", rolloutSlug: null },
    ]);
    expect(parseRoleMap(undefined)).toEqual([]);
  });
  it("refuses an entry with an unknown role, naming it", () => {
    expect(() => parseRoleMap("execs=BOSS")).toThrow(/"execs=BOSS"/);
  });
  it("reads list, string and nested claims", () => {
    expect(claimValues({ groups: ["a", "b", 3] }, "groups")).toEqual(["a", "b"]);
    expect(claimValues({ groups: "a b,c" }, "groups")).toEqual(["a", "b", "c"]);
    expect(claimValues({ realm_access: { roles: ["x"] } }, "realm_access.roles")).toEqual(["x"]);
    expect(claimValues({}, "groups")).toEqual([]);
  });
  it("grants roles per rollout", () => {
    const rollouts = [
      { id: "r1", slug: "iteration-5" },
      { id: "r2", slug: "other" },
    ];
    const granted = rolesFromClaims({ groups: ["sec", "execs"] }, "groups", parseRoleMap("execs=EXECUTIVE, sec=SECURITY_OFFICER@iteration-5"), rollouts);
    expect([...granted.get("r1")!].sort()).toEqual(["EXECUTIVE", "SECURITY_OFFICER"]);
    expect([...granted.get("r2")!]).toEqual(["EXECUTIVE"]);
  });
});

describe("production secrets", () => {
  const key = Buffer.alloc(32, 7).toString("base64");
  it("names each missing secret", () => {
    expect(missingProductionSecrets({})).toEqual(["NEXTAUTH_SECRET", "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY"]);
    expect(() => assertProductionSecrets({ NEXTAUTH_SECRET: "s" })).toThrow(/without NEXT_SERVER_ACTIONS_ENCRYPTION_KEY\./);
    expect(() => assertProductionSecrets({ NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: key })).toThrow(/without NEXTAUTH_SECRET\./);
  });
  it("refuses an encryption key that is not 32 bytes", () => {
    expect(() => assertProductionSecrets({ NEXTAUTH_SECRET: "s", NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: "c2hvcnQ=" })).toThrow(/32 random bytes/);
    expect(() => assertProductionSecrets({ NEXTAUTH_SECRET: "s", NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: key, GREENLIGHT_LEDGER_KEYS: `k1:${key}` })).not.toThrow();
  });
});

describe("permission table", () => {
  it("lets a viewer only read", () => {
    expect(PERMISSIONS.VIEWER).toEqual(["rollout.view", "reading.track"]);
  });
  it("gives the gate override to the executive role alone", () => {
    const holders = Object.entries(PERMISSIONS).filter(([, actions]) => actions.includes("gate.override")).map(([role]) => role);
    expect(holders).toEqual(["EXECUTIVE"]);
  });
});

describe("next start in production", () => {
  it("refuses to start without its secrets, naming them, while a build needs none", async () => {
    const { PHASE_PRODUCTION_BUILD, PHASE_PRODUCTION_SERVER } = await import("next/constants");
    const { default: config } = await import("@/next.config");
    const saved = { secret: process.env.NEXTAUTH_SECRET, key: process.env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY, ledger: process.env.GREENLIGHT_LEDGER_KEYS };
    delete process.env.GREENLIGHT_LEDGER_KEYS;
    delete process.env.NEXTAUTH_SECRET;
    delete process.env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY;
    try {
      expect(() => config(PHASE_PRODUCTION_SERVER)).toThrow(/refuses to start in production without NEXTAUTH_SECRET and NEXT_SERVER_ACTIONS_ENCRYPTION_KEY/);
      expect(() => config(PHASE_PRODUCTION_BUILD)).not.toThrow();
      process.env.NEXTAUTH_SECRET = "a secret";
      process.env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY = Buffer.alloc(32, 1).toString("base64");
      expect(() => config(PHASE_PRODUCTION_SERVER)).toThrow(/without GREENLIGHT_LEDGER_KEYS/);
      process.env.GREENLIGHT_LEDGER_KEYS = `k1:${Buffer.alloc(32, 2).toString("base64")}`;
      expect(() => config(PHASE_PRODUCTION_SERVER)).not.toThrow();
    } finally {
      for (const [name, value] of [["NEXTAUTH_SECRET", saved.secret], ["NEXT_SERVER_ACTIONS_ENCRYPTION_KEY", saved.key], ["GREENLIGHT_LEDGER_KEYS", saved.ledger]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
