import { describe, expect, it } from "vitest";
import { DEFAULT_CALLBACK, safeCallbackPath, safeRedirect } from "@/lib/auth/redirect";

// The rule: after signing in, only a path on the portal itself is followed. Browsers drop
// TAB/CR/LF inside URLs and read "\" as "/", so anything that a browser could turn into
// another origin goes to the default page instead.

const NASTY = [
  "//evil.example/",
  "///evil.example/",
  "/\\evil.example/",
  "\\\\evil.example/",
  "/\t/evil.example/",
  "/\n/evil.example/",
  "/\r\n/evil.example/",
  "\t//evil.example/",
  " //evil.example/",
  "https://evil.example/",
  "http:evil.example",
  "HTTPS://evil.example/",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "/.//evil.example/",
  "/..//evil.example/",
  "evil.example",
  "%2F%2Fevil.example",
  "%2F%09%2Fevil.example%2F",
  "",
  "/" + "a".repeat(3000),
];

// What a page's searchParams hand over after decoding the query string once.
const decodedOnce = (raw: string) => new URLSearchParams(`callbackUrl=${raw}`).get("callbackUrl");

describe("safeCallbackPath", () => {
  it.each(NASTY.map((value) => [JSON.stringify(value), value]))("sends %s to the default page", (_label, value) => {
    expect(safeCallbackPath(value)).toBe(DEFAULT_CALLBACK);
  });

  it.each([
    ["%2F%09%2Fevil.example%2F"],
    ["%2F%0D%0A%2Fevil.example"],
    ["%2F%5Cevil.example"],
    ["%2F%2Fevil.example"],
    ["%09%2F%2Fevil.example"],
  ])("sends the query value %s (as decoded) to the default page", (raw) => {
    expect(safeCallbackPath(decodedOnce(raw))).toBe(DEFAULT_CALLBACK);
  });

  it.each([
    ["/r/iteration-5", "/r/iteration-5"],
    ["/r/iteration-5/executive?tab=risks#top", "/r/iteration-5/executive?tab=risks#top"],
    ["/r/a/../b", "/r/b"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/search?q=//evil.example", "/search?q=//evil.example"],
    // Still encoded, so a path on the portal (a 404), not a header break.
    ["/%0D%0ALocation:%20https://evil.example", "/%0D%0ALocation:%20https://evil.example"],
  ])("keeps the portal path %j as %j", (value, expected) => {
    expect(safeCallbackPath(value)).toBe(expected);
  });

  it("takes the first of repeated values, and refuses anything not a string", () => {
    expect(safeCallbackPath(["/home", "//evil.example"])).toBe("/home");
    expect(safeCallbackPath(undefined)).toBe(DEFAULT_CALLBACK);
    expect(safeCallbackPath(42)).toBe(DEFAULT_CALLBACK);
  });
});

describe("next-auth's redirect callback", () => {
  const base = "https://portal.example";
  it.each(NASTY.map((value) => [JSON.stringify(value), value]))("sends %s to the portal's home", (_label, value) => {
    expect(safeRedirect(value, base)).toBe(`${base}${DEFAULT_CALLBACK}`);
  });

  it.each([
    ["https://portal.example.evil.example/", `${base}/home`],
    ["https://portal.example@evil.example/", `${base}/home`],
    ["http://portal.example/r/x", `${base}/home`],
    ["https://portal.example/r/x?y=1", `${base}/r/x?y=1`],
    ["https://portal.example//evil.example/", `${base}/home`],
    ["/sign-in", `${base}/sign-in`],
  ])("answers %j with %j", (value, expected) => {
    expect(safeRedirect(value, base)).toBe(expected);
  });
});
