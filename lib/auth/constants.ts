/** Re-authentication is required 12 hours after sign-in, or after 30 minutes idle. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
export const IDLE_TIMEOUT_SECONDS = 30 * 60;
/** How often the proxy renews a session's "last seen" mark. */
export const ACTIVITY_REFRESH_SECONDS = 60;

const DEV_SECRET = "greenlight-development-secret-never-used-in-production";

/** Production never reaches the fallback: the server refuses to start without the secret. */
export function authSecret(env: NodeJS.ProcessEnv = process.env): string {
  return env.NEXTAUTH_SECRET?.trim() || DEV_SECRET;
}

export type SessionTimes = { authTime?: unknown; lastSeen?: unknown };

/** Whether a session is within its absolute and idle limits. */
export function sessionIsFresh(times: SessionTimes, nowSeconds = Date.now() / 1000): boolean {
  const { authTime, lastSeen } = times;
  if (typeof authTime !== "number" || typeof lastSeen !== "number") return false;
  return nowSeconds - authTime <= SESSION_MAX_AGE_SECONDS && nowSeconds - lastSeen <= IDLE_TIMEOUT_SECONDS;
}

/** next-auth's session cookie: "__Secure-" prefixed when the portal is served over https. */
export function sessionCookieName(env: NodeJS.ProcessEnv = process.env): string {
  return env.NEXTAUTH_URL?.startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}
