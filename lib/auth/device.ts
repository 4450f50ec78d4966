import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { authSecret } from "./constants";
import { accountKey } from "./throttle";

// The device cookie: set after a successful password sign-in, it marks this browser as
// one its owner has used for this account. Sign-in throttling counts a known device on
// its own (see throttle.ts), so an attacker elsewhere cannot lock the owner out.
// Value: a random id and an HMAC (keyed with NEXTAUTH_SECRET) binding it to the account,
// so it cannot be forged, nor moved to another account. httpOnly, sent only to /api/auth.

export const DEVICE_COOKIE_MAX_AGE_SECONDS = 180 * 24 * 60 * 60;

export function deviceCookieName(env: NodeJS.ProcessEnv = process.env): string {
  return env.NEXTAUTH_URL?.startsWith("https://") ? "__Secure-greenlight.device" : "greenlight.device";
}

function signature(email: string, id: string): string {
  return createHmac("sha256", authSecret()).update(`greenlight-device:v1:${accountKey(email)}:${id}`).digest("base64url");
}

/** A fresh device cookie value for the account. */
export function issueDeviceCookie(email: string): string {
  const id = randomBytes(16).toString("base64url");
  return `${id}.${signature(email, id)}`;
}

/** The device's id when `value` is a genuine device cookie of this account; otherwise null. */
export function knownDeviceId(value: string | undefined | null, email: string): string | null {
  if (!value) return null;
  const match = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return null;
  const [, id, given] = match;
  const expected = Buffer.from(signature(email, id));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? id : null;
}

/** The Set-Cookie header value for a device cookie. */
export function deviceSetCookie(value: string, env: NodeJS.ProcessEnv = process.env): string {
  const secure = env.NEXTAUTH_URL?.startsWith("https://");
  return [
    `${deviceCookieName(env)}=${value}`,
    "Path=/api/auth",
    `Max-Age=${DEVICE_COOKIE_MAX_AGE_SECONDS}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}
