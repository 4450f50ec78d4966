import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { databaseEnv } from "@/lib/env";
import { BODY_LIMIT_BYTES } from "@/lib/server/limits";
import { checkAddress, guardRequest } from "@/lib/server/request-guard";
import { toFields } from "@/lib/server/action";

// The request guard that proxy.ts runs first: the rules are the HTTP ones the fuzz review
// asked for (400 for an address that does not decode or holds NUL, 413 over 1 MB, 411 for
// a streamed body, 400 for an action body React cannot decode).

const at = (path: string, init?: RequestInit) => new Request(`http://portal.test${path}`, init);
async function refusal(request: Request) {
  const response = await guardRequest(request);
  return response ? { status: response.status, ...((await response.json()) as { error: string; code: string }) } : null;
}

describe("guardRequest", () => {
  it("lets ordinary pages, queries and bodies through", async () => {
    expect(await refusal(at("/r/iteration-5/checklist?role=DBA&assignee=me"))).toBeNull();
    expect(await refusal(at("/r/itera%C3%A7%C3%A3o/documents/abc%20def"))).toBeNull();
    expect(await refusal(at("/r/x", { method: "POST", body: "x".repeat(BODY_LIMIT_BYTES), headers: { "content-length": String(BODY_LIMIT_BYTES) } }))).toBeNull();
  });

  it("refuses any path segment that does not decode, with 400 (property over random bytes)", async () => {
    expect(await refusal(at("/r/%E0%A4%A/checklist"))).toEqual({ status: 400, code: "INVALID_INPUT", error: "This address is malformed (invalid percent-encoding)." });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 6 }), (bytes) => {
        const segment = [...bytes].map((b) => `%${b.toString(16).padStart(2, "0").toUpperCase()}`).join("");
        let decodes = true;
        try {
          decodeURIComponent(segment);
        } catch {
          decodes = false;
        }
        const verdict = checkAddress(new URL(`http://portal.test/r/${segment}/checklist`));
        const nul = decodes && decodeURIComponent(segment).includes("\u0000");
        expect(verdict?.key ?? null).toBe(!decodes ? "errors.input.badUrl" : nul ? "errors.input.nulInUrl" : null);
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it("refuses NUL in a path or a query with 400, in the requester's language", async () => {
    expect(await refusal(at("/r/a%00b"))).toMatchObject({ status: 400, error: "An address may not contain the NUL character (%00)." });
    expect(await refusal(at("/r/x/checklist?assignee=%00"))).toMatchObject({ status: 400 });
    expect(await refusal(at("/r/x?%00=1"))).toMatchObject({ status: 400 });
    expect(await refusal(at("/r/a%00b", { headers: { "accept-language": "pt-BR,pt;q=0.9" } }))).toMatchObject({ error: "Um endereço não pode conter o caractere NUL (%00)." });
    expect(await refusal(at("/r/a%00b", { headers: { cookie: "NEXT_LOCALE=pt-BR", "accept-language": "en" } }))).toMatchObject({ error: "Um endereço não pode conter o caractere NUL (%00)." });
  });

  it("answers 413 over 1 MB, 411 for a body streamed without its length, 400 for a nonsense length", async () => {
    const over = String(BODY_LIMIT_BYTES + 1);
    expect(await refusal(at("/r/x", { method: "POST", headers: { "content-length": over } }))).toEqual({ status: 413, code: "TOO_LARGE", error: "The request is too large: at most 1 MB may be sent." });
    expect(await refusal(at("/r/x", { method: "POST", headers: { "transfer-encoding": "chunked" } }))).toMatchObject({ status: 411, code: "LENGTH_REQUIRED" });
    expect(await refusal(at("/r/x", { method: "POST", headers: { "content-length": "-1" } }))).toMatchObject({ status: 400 });
    // A GET carries no body to limit.
    expect(await refusal(at("/r/x", { headers: { "content-length": over } }))).toBeNull();
  });

  it("lets the import pages take a whole plan (up to 5 MB with the choices), and no other page", async () => {
    const threeMb = String(3 * 1024 * 1024);
    const overFive = String(5 * 1024 * 1024 + 1);
    expect(await refusal(at("/import", { method: "POST", headers: { "content-length": threeMb } }))).toBeNull();
    expect(await refusal(at("/r/x/import", { method: "POST", headers: { "content-length": threeMb } }))).toBeNull();
    expect(await refusal(at("/import", { method: "POST", headers: { "content-length": overFive } }))).toEqual({ status: 413, code: "TOO_LARGE", error: "The request is too large: at most 5 MB may be sent." });
    expect(await refusal(at("/r/x/import", { method: "POST", headers: { "content-length": overFive } }))).toMatchObject({ status: 413 });
    // Other pages, and paths that only look alike, keep the 1 MB limit.
    for (const path of ["/new", "/r/x/edit", "/import/x", "/r/x/y/import", "/r/import"]) {
      expect(await refusal(at(path, { method: "POST", headers: { "content-length": threeMb } })), path).toMatchObject({ status: 413 });
    }
  });

  it("answers 400 for server-action bodies React cannot decode, and lets well-framed ones through", async () => {
    const action = (body: BodyInit, headers: Record<string, string> = {}) => at("/r/x", { method: "POST", body, headers: { "next-action": "abc", ...headers } });
    expect(await refusal(action("garbage{", { "content-type": "text/plain" }))).toMatchObject({ status: 400, error: "The request's data could not be read. Reload the page and try again." });
    expect(await refusal(action('["$undefined",{"a":1}]', { "content-type": "text/plain" }))).toBeNull();
    const multipart = new FormData();
    multipart.set("0", "garbage{");
    expect(await refusal(action(multipart))).toMatchObject({ status: 400 });
    const ok = new FormData();
    ok.set("0", '["$K1"]');
    ok.set("1_note", "free text is not framing");
    expect(await refusal(action(ok))).toBeNull();
    // A form posted without JavaScript: its $ACTION_ fields are JSON; the person's fields are free.
    const mpa = new FormData();
    mpa.set("$ACTION_REF_1", "");
    mpa.set("$ACTION_1:0", '{"id":"abc","bound":"$@1"}');
    mpa.set("$ACTION_1:1", "not json");
    mpa.set("$ACTION_KEY", "k123");
    mpa.set("note", "{not json either, and fine}");
    expect(await refusal(at("/r/x", { method: "POST", body: mpa }))).toMatchObject({ status: 400 });
    mpa.set("$ACTION_1:1", '["$undefined"]');
    expect(await refusal(at("/r/x", { method: "POST", body: mpa }))).toBeNull();
  });
});

describe("toFields (what runAction accepts)", () => {
  it("takes FormData and plain objects, and nothing else", () => {
    const form = new FormData();
    form.append("roles", "DBA");
    form.append("roles", "VIEWER");
    form.append("$ACTION_KEY", "k");
    expect(toFields(form)).toEqual({ roles: ["DBA", "VIEWER"] });
    expect(toFields({ a: 1 })).toEqual({ a: 1 });
    for (const garbage of [undefined, null, 1, "a=b", [], [["a", "b"]], new Date(), new Map(), new (class X {})()]) expect(toFields(garbage)).toBeNull();
  });
});

describe("database limits from the environment", () => {
  it("has documented defaults", () => {
    expect(databaseEnv({})).toEqual({ DATABASE_POOL_MAX: 10, DATABASE_CONNECT_TIMEOUT_MS: 5000, DATABASE_STATEMENT_TIMEOUT_MS: 15_000, DATABASE_TRANSACTION_TIMEOUT_MS: 10_000, HEALTH_CHECK_TIMEOUT_MS: 1000 });
    expect(databaseEnv({ DATABASE_CONNECT_TIMEOUT_MS: " 2500 ", DATABASE_STATEMENT_TIMEOUT_MS: "0", HEALTH_CHECK_TIMEOUT_MS: "" })).toMatchObject({ DATABASE_CONNECT_TIMEOUT_MS: 2500, DATABASE_STATEMENT_TIMEOUT_MS: 0, HEALTH_CHECK_TIMEOUT_MS: 1000 });
  });

  it("refuses a value that is not a whole number in range, naming the variable", () => {
    expect(() => databaseEnv({ DATABASE_CONNECT_TIMEOUT_MS: "5s" })).toThrow('DATABASE_CONNECT_TIMEOUT_MS must be a whole number from 100 to 600000 (got "5s").');
    expect(() => databaseEnv({ DATABASE_POOL_MAX: "0" })).toThrow("DATABASE_POOL_MAX must be a whole number from 1 to 1000");
    expect(() => databaseEnv({ HEALTH_CHECK_TIMEOUT_MS: "1.5" })).toThrow("HEALTH_CHECK_TIMEOUT_MS");
  });
});
