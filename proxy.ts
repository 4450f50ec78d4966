import { encode } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { ACTIVITY_REFRESH_SECONDS, authSecret, SESSION_MAX_AGE_SECONDS, sessionCookieName, sessionIsFresh } from "./lib/auth/constants";
import { decodeSessionCookie, rememberEncodedSession } from "./lib/auth/session-decode";
import { guardRequest } from "./lib/server/request-guard";

// The proxy only redirects signed-out visitors, renews the session's activity mark and
// sets the per-request Content-Security-Policy. It is not a security boundary: every
// page, action and route handler checks the session again in the data layer.

// /api/metrics checks its own bearer token (and answers 404 when metrics are off).
// /api/v1 authenticates each request itself (bearer token, or a same-origin session).
const PUBLIC_PREFIXES = ["/sign-in", "/api/auth", "/api/health", "/api/metrics", "/api/calendar", "/api/v1"];

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV !== "production";
  const sso = process.env.OIDC_ISSUER ? ` ${new URL(process.env.OIDC_ISSUER).origin}` : "";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${sso}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Whether the session is still live (true/false), or null when the database cannot say. */
async function sessionIsLive(token: Record<string, unknown>): Promise<boolean | null> {
  try {
    const { actorFromClaims } = await import("./lib/auth/session-check");
    return (await actorFromClaims(token)) !== null;
  } catch (error) {
    console.warn(`[auth] session not renewed, its state is unknown: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

export async function proxy(request: NextRequest) {
  // Unreadable requests (a malformed or NUL-carrying address, an oversize or undecodable
  // body) get a 4xx here instead of failing later inside Next as a 500.
  const refused = await guardRequest(request);
  if (refused) return refused;
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const cookieName = sessionCookieName();
  const secureCookie = cookieName.startsWith("__Secure-");
  const path = request.nextUrl.pathname;
  const isPublic = PUBLIC_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

  // Decoded once per request: the page reads this same result (lib/auth/session-decode.ts).
  const token = await decodeSessionCookie(request.cookies.get(cookieName)?.value);
  const now = Math.floor(Date.now() / 1000);
  const fresh = token !== null && sessionIsFresh(token, now);

  if (!fresh && !isPublic) {
    if (path.startsWith("/api/")) {
      return NextResponse.json({ error: "Sign in first." }, { status: 401, headers: { "content-security-policy": csp } });
    }
    const signIn = new URL("/sign-in", request.url);
    if (path !== "/") signIn.searchParams.set("callbackUrl", `${path}${request.nextUrl.search}`);
    return NextResponse.redirect(signIn);
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);

  if (fresh && token && now - (token.lastSeen as number) >= ACTIVITY_REFRESH_SECONDS) {
    // Renew only a session that is still live: one signed out, or ended by a role or
    // password change, must not get a fresh cookie. When the database does not answer,
    // nothing is renewed and nothing is cleared (the page itself reports the outage).
    const live = await sessionIsLive(token);
    if (live) {
      const remaining = SESSION_MAX_AGE_SECONDS - (now - (token.authTime as number));
      const claims = { ...token, lastSeen: now };
      const renewed = await encode({ token: claims, secret: authSecret(), maxAge: remaining });
      // The page reads the renewed cookie: it gets these claims, not a second decode.
      rememberEncodedSession(renewed, { ...claims, iat: now, exp: now + remaining });
      response.cookies.set(cookieName, renewed, {
        httpOnly: true,
        sameSite: "lax",
        path: "/",
        secure: secureCookie,
        maxAge: remaining,
      });
    } else if (live === false) {
      response.cookies.delete(cookieName);
    }
  }
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
