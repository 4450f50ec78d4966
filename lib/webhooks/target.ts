import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

// Where a webhook may be sent: http(s) URLs whose host resolves only to public addresses.
// Private, loopback, link-local and other special ranges are refused (the portal must not
// become a way into its own network), unless GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE=1.

const SPECIAL = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24],
  ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) SPECIAL.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["2001:db8::", 32], ["64:ff9b::", 96]] as const) SPECIAL.addSubnet(net, prefix, "ipv6");

export function privateTargetsAllowed(): boolean {
  return process.env.GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE === "1";
}

/** Whether an address is private, loopback or otherwise not on the public internet. */
export function isSpecialAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return SPECIAL.check(address, "ipv4");
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return SPECIAL.check(mapped[1], "ipv4");
    return SPECIAL.check(address, "ipv6");
  }
  return true;
}

export type TargetRefusal = "scheme" | "private" | "unresolved";

/** Why a URL may not receive webhooks, or null when it may (its host resolved now). */
export async function refuseTarget(raw: string): Promise<TargetRefusal | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "scheme";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "scheme";
  if (url.username || url.password) return "scheme";
  if (privateTargetsAllowed()) return null;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return isSpecialAddress(host) ? "private" : null;
  if (host === "localhost" || host.endsWith(".localhost")) return "private";
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    return "unresolved";
  }
  if (addresses.length === 0) return "unresolved";
  return addresses.some((a) => isSpecialAddress(a.address)) ? "private" : null;
}
