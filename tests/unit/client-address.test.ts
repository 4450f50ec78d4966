import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddress, PEER_HEADER, peerStamp } from "@/lib/auth/client-address";
import { installPeerStamp } from "@/lib/auth/peer-stamp";
import { assertValidServerEnv, resetServerEnvCache, serverEnv } from "@/lib/env";

// The rule (docs/security.md): with 0 trusted proxy hops the client is the socket's peer
// and X-Forwarded-For is ignored; with N hops, the Nth entry from the right of
// X-Forwarded-For; an address that cannot be known is null, never a shared bucket.

const stamped = (peer: string, extra: Record<string, string> = {}) => new Headers({ [PEER_HEADER]: peerStamp(peer), ...extra });

describe("the client's address", () => {
  it("with no trusted proxy, is the socket's peer whatever X-Forwarded-For says", () => {
    expect(clientAddress(stamped("203.0.113.7", { "x-forwarded-for": "198.51.100.1" }), 0)).toBe("203.0.113.7");
    expect(clientAddress(stamped("::ffff:203.0.113.7"), 0)).toBe("203.0.113.7");
    expect(clientAddress(stamped("2001:DB8::1"), 0)).toBe("2001:db8::1");
  });

  it("rotating X-Forwarded-For does not change it", () => {
    const seen = new Set(["1.1.1.1", "2.2.2.2", "3.3.3.3, 4.4.4.4"].map((xff) => clientAddress(stamped("203.0.113.9", { "x-forwarded-for": xff }), 0)));
    expect([...seen]).toEqual(["203.0.113.9"]);
  });

  it("is unknown (null) without this process's stamp, or with a forged one", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "198.51.100.1" }), 0)).toBeNull();
    expect(clientAddress(new Headers({ [PEER_HEADER]: "0123456789abcdef0123456789abcdef 198.51.100.1" }), 0)).toBeNull();
    expect(clientAddress(new Headers({ [PEER_HEADER]: "198.51.100.1" }), 0)).toBeNull();
    expect(clientAddress(stamped(""), 0)).toBeNull();
  });

  it.each([
    [1, "198.51.100.1, 10.0.0.2", "10.0.0.2"],
    [2, "198.51.100.1, 10.0.0.2", "198.51.100.1"],
    [2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"],
    [3, "198.51.100.1, 10.0.0.2", "198.51.100.1"],
    [1, "not-an-address", null],
    [1, "198.51.100.1,   ", "198.51.100.1"],
  ])("with %i trusted hop(s), X-Forwarded-For %j gives %j", (hops, xff, expected) => {
    expect(clientAddress(stamped("10.0.0.9", { "x-forwarded-for": xff }), hops)).toBe(expected);
  });
});

describe("GREENLIGHT_TRUSTED_PROXIES", () => {
  it.each([
    [undefined, 0],
    ["", 0],
    ["0", 0],
    ["2", 2],
    [" 10 ", 10],
  ])("%j means %i hops", (value, hops) => {
    const saved = process.env.GREENLIGHT_TRUSTED_PROXIES;
    try {
      if (value === undefined) delete process.env.GREENLIGHT_TRUSTED_PROXIES;
      else process.env.GREENLIGHT_TRUSTED_PROXIES = value;
      resetServerEnvCache();
      expect(serverEnv().GREENLIGHT_TRUSTED_PROXIES).toBe(hops);
    } finally {
      if (saved === undefined) delete process.env.GREENLIGHT_TRUSTED_PROXIES;
      else process.env.GREENLIGHT_TRUSTED_PROXIES = saved;
      resetServerEnvCache();
    }
  });

  it.each(["two", "-1", "1.5", "11", "99"])("refuses %j at start-up, naming the setting", (value) => {
    expect(() => assertValidServerEnv({ GREENLIGHT_TRUSTED_PROXIES: value })).toThrow(/GREENLIGHT_TRUSTED_PROXIES must be a whole number of proxy hops, from 0 to 10/);
  });
});

describe("the peer stamp on a real HTTP server", () => {
  let server: http.Server;
  let seen: Headers[] = [];
  beforeAll(async () => {
    installPeerStamp();
    server = http.createServer((req, res) => {
      seen.push(new Headers(Object.entries(req.headers).map(([k, v]): [string, string] => [k, [v].flat().join(", ")])));
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("records the socket's address and overwrites a stamp the client sent", async () => {
    seen = [];
    const { port } = server.address() as AddressInfo;
    await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_HEADER]: "forged 203.0.113.66", "x-forwarded-for": "203.0.113.77" } });
    expect(seen).toHaveLength(1);
    expect(clientAddress(seen[0], 0)).toBe("127.0.0.1");
  });
});
