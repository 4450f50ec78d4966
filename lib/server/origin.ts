import { serverEnv } from "../env";

/**
 * Whether a state-changing request comes from the portal's own pages. The Origin header
 * must be present, not "null", and be the portal's origin (the Host the request was sent
 * to, NEXTAUTH_URL, or one of GREENLIGHT_ALLOWED_ORIGINS).
 */
export function isSameOrigin(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (!origin || origin === "null") return false;
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return false;
  }
  const allowed = new Set<string>();
  const env = serverEnv();
  if (env.NEXTAUTH_URL) allowed.add(new URL(env.NEXTAUTH_URL).origin);
  for (const extra of env.GREENLIGHT_ALLOWED_ORIGINS?.split(",") ?? []) {
    if (extra.trim()) allowed.add(new URL(extra.trim()).origin);
  }
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if (host) {
    const proto = headers.get("x-forwarded-proto") ?? originUrl.protocol.replace(":", "");
    allowed.add(`${proto}://${host}`);
  }
  return allowed.has(originUrl.origin);
}
