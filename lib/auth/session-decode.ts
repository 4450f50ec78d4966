import { decode } from "next-auth/jwt";
import { currentRequestTiming } from "../observe/timing";
import { authSecret } from "./constants";

// The session cookie is decoded (decrypted and verified: next-auth's JWE, with its key derived
// from the secret) once per request. The proxy decodes it first; the page, its layout, its
// metadata and the data layer then read the same result from the request's timing store
// (lib/observe/timing.ts) instead of decoding it again. Nothing here is shared between
// requests: the store is the request's own, and a result is reused only for the exact
// cookie value it was decoded from. Without a request store (scripts, tests) every call
// decodes.

export type SessionToken = Record<string, unknown>;

/** Decodes a session cookie's value (null: absent, forged, or expired), at most once per request. */
export function decodeSessionCookie(raw: string | undefined | null): Promise<SessionToken | null> {
  if (!raw) return Promise.resolve(null);
  const timing = currentRequestTiming();
  const last = timing?.session.last;
  if (last && last.raw === raw) return last.claims;
  const started = performance.now();
  const claims = decode({ token: raw, secret: authSecret() })
    .then((token) => (token ? (Object.freeze({ ...token }) as SessionToken) : null))
    .catch(() => null)
    .finally(() => {
      if (timing) timing.session.ms += performance.now() - started;
    });
  if (timing) {
    timing.session.decodes += 1;
    timing.session.last = { raw, claims };
  }
  return claims;
}

/**
 * The proxy renewed the session (a new cookie value, encoded here from `token`): later
 * readers in this request see the new cookie, and get these claims without decoding it.
 */
export function rememberEncodedSession(raw: string, token: SessionToken): void {
  const timing = currentRequestTiming();
  if (timing) timing.session.last = { raw, claims: Promise.resolve(Object.freeze({ ...token })) };
}
