import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { canonicalJson, keyedEventHash, keyedEventMessage } from "@/lib/audit/hash";
import { DEVELOPMENT_KEY, ledgerKeyring, parseLedgerKeys } from "@/lib/audit/keys";
import { assertProductionSecrets } from "@/lib/env";

// The test vector: a literal event and a literal key. The expected HMAC was computed once,
// outside this code, over the canonical bytes below:
//   openssl dgst -sha256 -mac HMAC -macopt hexkey:000102…1e1f message.bin
const KEY = { id: "test-2026", secret: Buffer.from("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "base64") };
const PREV = "ab".repeat(32);
const EVENT = {
  rolloutId: "r-1",
  seq: 7,
  actorId: "u-1",
  action: "item.state.changed",
  targetType: "ChecklistItem",
  targetId: "i-42",
  before: { state: "OPEN", Zeta: 1 },
  after: { state: "DONE", évidence: "ação ✓", Zeta: 2, a: [{ b: 1, A: 2 }] },
  at: new Date("2026-12-07T18:15:00.000Z"),
};
const MESSAGE =
  "greenlight-ledger/2\ntest-2026\n" +
  "abababababababababababababababababababababababababababababababab\n" +
  '{"action":"item.state.changed","actorId":"u-1","after":{"Zeta":2,"a":[{"A":2,"b":1}],"state":"DONE","évidence":"ação ✓"},' +
  '"at":"2026-12-07T18:15:00.000Z","before":{"Zeta":1,"state":"OPEN"},"rolloutId":"r-1","seq":7,"targetId":"i-42","targetType":"ChecklistItem"}';
const EXPECTED_HMAC = "eca4bdaafaff08af68a973f9dce4d02bf08e7ec3bd01d5e7e1acb397f3e1e4af";

describe("the keyed event hash (version 2)", () => {
  it("matches the fixed test vector: canonical bytes and HMAC-SHA-256", () => {
    expect(KEY.secret.toString("hex")).toBe("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    expect(keyedEventMessage(KEY.id, PREV, EVENT)).toBe(MESSAGE);
    expect(keyedEventHash(KEY, PREV, EVENT)).toBe(EXPECTED_HMAC);
  });

  it("is not the public SHA-256 of the same bytes, and changes with the key", () => {
    expect(keyedEventHash(KEY, PREV, EVENT)).not.toBe(createHash("sha256").update(MESSAGE).digest("hex"));
    const other = { id: KEY.id, secret: Buffer.alloc(32, 1) };
    expect(keyedEventHash(other, PREV, EVENT)).not.toBe(EXPECTED_HMAC);
  });
});

describe("the canonical form", () => {
  const original = { localeCompare: String.prototype.localeCompare };
  afterEach(() => {
    String.prototype.localeCompare = original.localeCompare;
  });

  it("orders keys by code point (uppercase before lowercase, accents and emoji after ASCII)", () => {
    const value = { b: 1, a: 2, B: 3, é: 4, z: 5, Z: 6, "😀": 7, "\uFFFD": 8, "10": 9, "9": 10 };
    expect(canonicalJson(value)).toBe('{"10":9,"9":10,"B":3,"Z":6,"a":2,"b":1,"z":5,"é":4,"\uFFFD":8,"😀":7}');
  });

  it("does not depend on the runtime's locale or collation", () => {
    const value = { state: "x", Zeta: 1, évidence: 2, a: { é: 1, e: 2, f: 3 } };
    const expected = '{"Zeta":1,"a":{"e":2,"f":3,"é":1},"state":"x","évidence":2}';
    expect(canonicalJson(value)).toBe(expected);
    // A runtime whose collation sorts backwards (as any locale may differ) changes nothing.
    String.prototype.localeCompare = function (this: string, other: string) {
      return -original.localeCompare.call(this, other);
    } as typeof String.prototype.localeCompare;
    expect(canonicalJson(value)).toBe(expected);
    expect(keyedEventMessage(KEY.id, PREV, EVENT)).toBe(MESSAGE);
    expect(keyedEventHash(KEY, PREV, EVENT)).toBe(EXPECTED_HMAC);
  });
});

describe("ledger keys from the environment", () => {
  const secret = Buffer.alloc(32, 9).toString("base64");

  it("parses kid:base64secret pairs, the first one current", () => {
    const keys = parseLedgerKeys(`new:${secret}, old:${Buffer.alloc(40, 3).toString("base64")}`);
    expect(keys.map((k) => k.id)).toEqual(["new", "old"]);
    expect(ledgerKeyring({ GREENLIGHT_LEDGER_KEYS: `new:${secret} old:${secret}` }).current.id).toBe("new");
  });

  it.each([
    ["no kid", secret, /kid:base64secret/],
    ["a short secret", `k:${Buffer.alloc(16).toString("base64")}`, /16 bytes; it needs at least 32/],
    ["a secret that is not base64", "k:not*base64", /not base64/],
    ["a kid twice", `k:${secret},k:${secret}`, /appears twice/],
  ])("refuses %s", (_what, raw, message) => {
    expect(() => parseLedgerKeys(raw)).toThrow(message);
  });

  it("production refuses to start or to use the ledger without a key; development uses the public development key", () => {
    const env = { NEXTAUTH_SECRET: "s", NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64") };
    expect(() => assertProductionSecrets(env)).toThrow(/without GREENLIGHT_LEDGER_KEYS/);
    expect(() => assertProductionSecrets({ ...env, GREENLIGHT_LEDGER_KEYS: "k:c2hvcnQ=" })).toThrow(/needs at least 32/);
    expect(() => assertProductionSecrets({ ...env, GREENLIGHT_LEDGER_KEYS: `k:${secret}` })).not.toThrow();
    expect(() => ledgerKeyring({ NODE_ENV: "production" })).toThrow(/GREENLIGHT_LEDGER_KEYS is not set/);
    const dev = ledgerKeyring({ NODE_ENV: "test" });
    expect(dev).toMatchObject({ development: true, current: { id: "dev" } });
    expect(dev.current.secret.equals(DEVELOPMENT_KEY.secret)).toBe(true);
  });
});
