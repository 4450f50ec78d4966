import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { permissionTableMarkdown } from "@/lib/auth/permissions";

describe("docs/security.md", () => {
  it("shows the permission table exactly as lib/auth/permissions.ts defines it", () => {
    const doc = readFileSync("docs/security.md", "utf8");
    const section = /<!-- permissions:start -->\n([\s\S]*?)\n<!-- permissions:end -->/.exec(doc)?.[1];
    expect(section).toBe(permissionTableMarkdown());
  });
});
