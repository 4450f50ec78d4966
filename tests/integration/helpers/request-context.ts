import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { authSecret, sessionCookieName } from "@/lib/auth/constants";

// The request a server action runs in: its cookies and headers. Tests install one per
// call (see the vi.mock of next/headers in each test file), so the real session and
// origin checks run exactly as under Next.

export const ORIGIN = "http://portal.test";

type RequestState = { cookies: Map<string, string>; headers: Headers };

export const requestState: RequestState = { cookies: new Map(), headers: new Headers() };

export function setRequest({ cookie, origin = ORIGIN }: { cookie?: string | null; origin?: string | null } = {}): void {
  requestState.cookies = new Map();
  if (cookie) requestState.cookies.set(sessionCookieName(), cookie);
  requestState.headers = new Headers({ host: new URL(ORIGIN).host, "x-forwarded-proto": "http" });
  if (origin !== null) requestState.headers.set("origin", origin);
}

/** A next-auth session cookie for the user, as the sign-in would have issued it. */
export async function sessionCookie(
  user: { id: string; sessionVersion: number },
  times: { authTime?: number; lastSeen?: number; sid?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return encode({
    token: { sub: user.id, sv: user.sessionVersion, sid: times.sid ?? randomUUID(), authTime: times.authTime ?? now, lastSeen: times.lastSeen ?? now },
    secret: authSecret(),
  });
}

/** The module factory for vi.mock("next/headers"). */
export function nextHeadersMock() {
  return {
    cookies: async () => ({
      get: (name: string) => (requestState.cookies.has(name) ? { name, value: requestState.cookies.get(name)! } : undefined),
      set: (name: string, value: string) => void requestState.cookies.set(name, value),
      has: (name: string) => requestState.cookies.has(name),
      getAll: () => [...requestState.cookies].map(([name, value]) => ({ name, value })),
      delete: (name: string) => void requestState.cookies.delete(name),
    }),
    headers: async () => requestState.headers,
  };
}
