import { randomBytes } from "node:crypto";
import { isIP } from "node:net";

// Which address a request comes from, for sign-in throttling.
//
// Route handlers see only headers: Next.js does not hand them the socket. It does fill
// X-Forwarded-For with the socket's address, but only when the client sent none, so on
// a portal that faces clients directly (`npm start`) that header is the client's to
// choose. The instrumentation hook (`instrumentation.ts`) therefore stamps each incoming
// request with its socket's peer address in a header of our own, tagged with a secret
// made at start-up: a client cannot forge the stamp, and when the stamp is missing the
// address counts as unknown (throttling then falls back to the account alone, never to
// a bucket shared by every client).

export const PEER_HEADER = "x-greenlight-peer";
const TAG_KEY = Symbol.for("greenlight.peer-tag");

type TagHolder = { [TAG_KEY]?: string };

function peerTag(): string | undefined {
  return (globalThis as TagHolder)[TAG_KEY];
}

/** The stamp for a socket's peer address; makes the process's secret tag on first use. */
export function peerStamp(remoteAddress: string | undefined): string {
  const holder = globalThis as TagHolder;
  holder[TAG_KEY] ??= randomBytes(16).toString("hex");
  return `${holder[TAG_KEY]} ${remoteAddress ?? ""}`;
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** A valid IPv4 or IPv6 address, IPv4-mapped IPv6 written as IPv4; otherwise null. */
export function normalizeAddress(value: string | undefined): string | null {
  let address = value?.trim() ?? "";
  if (address.startsWith("[") && address.includes("]")) address = address.slice(1, address.indexOf("]"));
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address)) address = address.slice(7);
  return isIP(address) ? address.toLowerCase() : null;
}

/** The socket's peer address, when this process stamped the request (see above). */
export function peerAddress(headers: HeaderBag): string | null {
  const tag = peerTag();
  const stamp = header(headers, PEER_HEADER);
  if (!tag || !stamp) return null;
  const space = stamp.indexOf(" ");
  if (space < 0 || stamp.slice(0, space) !== tag) return null;
  return normalizeAddress(stamp.slice(space + 1));
}

/**
 * The client's address, or null when it cannot be known.
 * - `trustedProxies` 0: the socket's peer; X-Forwarded-For is ignored (anyone can send it).
 * - N > 0: the Nth entry from the right of X-Forwarded-For, the one the outermost trusted
 *   proxy recorded. A chain shorter than N gives its leftmost entry.
 */
export function clientAddress(headers: HeaderBag, trustedProxies: number): string | null {
  if (trustedProxies <= 0) return peerAddress(headers);
  const chain = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (chain.length === 0) return peerAddress(headers);
  return normalizeAddress(chain[Math.max(0, chain.length - trustedProxies)]);
}
