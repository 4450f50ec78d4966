import { randomUUID } from "node:crypto";
import type { NextAuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { z } from "zod";
import { recordSecurityEvent } from "../audit/record";
import { getDb } from "../db/client";
import { serverEnv, type ServerEnv } from "../env";
import { authSecret, SESSION_MAX_AGE_SECONDS } from "./constants";
import { text } from "../validation/input";
import { parseRoleMap, provisionSsoUser } from "./oidc";
import { dummyPasswordHash, verifyPassword } from "./password";
import { knownDeviceId, issueDeviceCookie } from "./device";
import { safeRedirect } from "./redirect";
import { actorFromClaims, revokeSession } from "./session-check";
import { reserveSignInAttempt, settleSignInAttempt } from "./throttle";

export const SIGN_IN_FAILED = "Email or password is incorrect.";
/** What the browser learns when the password could not be checked (the database is down); the cause goes to the server log. */
export const SIGN_IN_UNAVAILABLE = "Sign-in is unavailable right now. Try again in a moment.";

const credentialsSchema = z.object({
  email: text().trim().max(320),
  password: text().max(1024),
});

type SessionUser = User & { sessionVersion: number };

/** Where a password sign-in comes from: the client's address (null: unknown) and the browser's device cookie, if any. */
export type SignInSource = { address: string | null; deviceCookie?: string | null };

/** A password sign-in that succeeded: the person, and a device cookie to give the browser when it did not hold one for this account. */
export type SignInResult = { user: SessionUser; newDeviceCookie: string | null };

function throttledMessage(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return seconds < 60
    ? `Too many failed sign-in attempts. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`
    : `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/** Checks a password, with throttling (throttle.ts); the answer never says whether the account exists. */
export async function authorizeCredentials(raw: unknown, source: SignInSource): Promise<SignInResult> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success || !parsed.data.email || !parsed.data.password) throw new Error(SIGN_IN_FAILED);
  const { email, password } = parsed.data;

  const deviceId = knownDeviceId(source.deviceCookie, email);
  const reservation = await reserveSignInAttempt(email, { address: source.address, deviceId });
  if (!reservation.allowed) throw new Error(throttledMessage(reservation.retryAfterSeconds));

  let user;
  let ok = false;
  try {
    user = await getDb().user.findUnique({
      where: { email: email.toLowerCase() },
      omit: { passwordHash: false },
    });
    ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  } finally {
    // An attempt that could not be checked stays counted, as a failure would.
    await settleSignInAttempt(reservation.keys, Boolean(ok && user?.passwordHash && user.active));
  }
  if (!user || !user.passwordHash || !ok || !user.active) throw new Error(SIGN_IN_FAILED);
  await recordSecurityEvent(getDb(), { actorId: user.id, action: "user.signed-in", targetType: "User", targetId: user.id });
  return {
    user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion },
    newDeviceCookie: deviceId ? null : issueDeviceCookie(email),
  };
}

/** What one request to next-auth's endpoints carries in, and what its callbacks report back to the route handler. */
export type AuthRequestContext = {
  address: string | null;
  deviceCookie: string | null;
  /** A device cookie to set on the response (a password sign-in succeeded). */
  newDeviceCookie?: string;
  /** The session check could not reach the database: the route answers 503 and keeps the cookie. */
  outage?: boolean;
};

/** Thrown by the session callback for a session that has ended: next-auth then answers "no session" and clears the cookie. */
class SessionEnded extends Error {
  constructor() {
    super("the session has ended");
    this.name = "SessionEnded";
  }
}

function oidcProvider(env: ServerEnv): OAuthConfig<Record<string, unknown>> | null {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) return null;
  const issuer = env.OIDC_ISSUER.replace(/\/+$/, "");
  return {
    id: "oidc",
    name: env.OIDC_NAME ?? "Company SSO",
    type: "oauth",
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    issuer,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    idToken: true,
    checks: ["pkce", "state"],
    authorization: { params: { scope: "openid email profile" } },
    // Many providers keep the email and groups out of the ID token and serve them from
    // the userinfo endpoint: read both (the ID token itself is still verified).
    userinfo: {
      async request({ client, tokens }) {
        // At run time next-auth hands over openid-client's TokenSet, whose ID token it verified.
        const tokenSet = tokens as unknown as Parameters<typeof client.userinfo>[0] & { claims(): Record<string, unknown> };
        const claims = tokenSet.claims();
        try {
          return { ...claims, ...(await client.userinfo(tokenSet)) };
        } catch (error) {
          console.warn(`[auth] SSO userinfo unavailable, using the ID token's claims only: ${error instanceof Error ? error.message : String(error)}`);
          return claims;
        }
      },
    },
    profile(profile) {
      return { id: String(profile.sub), email: String(profile.email ?? ""), name: String(profile.name ?? profile.email ?? "") };
    },
  };
}

export function buildAuthOptions(env: ServerEnv = serverEnv(), context: AuthRequestContext = { address: null, deviceCookie: null }): NextAuthOptions {
  const sso = oidcProvider(env);
  const roleClaim = env.OIDC_ROLE_CLAIM ?? "groups";
  const mappings = parseRoleMap(env.OIDC_ROLE_MAP);
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          try {
            const { user, newDeviceCookie } = await authorizeCredentials(credentials, context);
            if (newDeviceCookie) context.newDeviceCookie = newDeviceCookie;
            return user;
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            // next-auth puts the message in the URL: only our own fixed sentences may go there.
            if (message === SIGN_IN_FAILED || message.startsWith("Too many failed sign-in attempts.")) throw error;
            console.error(`[auth] password sign-in could not be checked: ${message}`);
            throw new Error(SIGN_IN_UNAVAILABLE);
          }
        },
      }),
      ...(sso ? [sso] : []),
    ],
    callbacks: {
      redirect: ({ url, baseUrl }) => safeRedirect(url, baseUrl),
      async signIn({ account, profile }) {
        if (account?.provider !== "oidc") return true;
        try {
          const userId = await provisionSsoUser((profile ?? {}) as Record<string, unknown>, { claim: roleClaim, mappings });
          if (userId === null) console.warn(`[auth] SSO sign-in refused: account deactivated (subject ${account.providerAccountId})`);
          return userId !== null;
        } catch (error) {
          // The reason stays in the server's log; the browser only learns "access denied",
          // so a refusal never reveals whether a local account exists.
          console.warn(`[auth] SSO sign-in refused for subject ${account.providerAccountId}: ${error instanceof Error ? error.message : String(error)}`);
          return false;
        }
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          let id = user.id;
          let sessionVersion = (user as Partial<SessionUser>).sessionVersion;
          if (account.provider === "oidc") {
            const local = await getDb().user.findUniqueOrThrow({ where: { oidcSubject: account.providerAccountId } });
            id = local.id;
            sessionVersion = local.sessionVersion;
          }
          const now = Math.floor(Date.now() / 1000);
          // A session id of its own, so signing out can end this session and no other.
          return { ...token, sub: id, sv: sessionVersion ?? 1, sid: randomUUID(), authTime: now, lastSeen: now };
        }
        return token;
      },
      async session({ session, token }) {
        // The same check as every page and action. An ended session (signed out, role or
        // password changed, account deactivated) reads as signed out and its cookie is
        // cleared; a database error is an outage, not a sign-out (the route answers 503).
        let actor;
        try {
          actor = await actorFromClaims(token);
        } catch (error) {
          context.outage = true;
          throw error;
        }
        if (!actor) throw new SessionEnded();
        return {
          ...session,
          user: { id: token.sub, name: token.name, email: token.email },
          sv: token.sv,
          authTime: token.authTime,
          lastSeen: token.lastSeen,
        };
      },
    },
    events: {
      async signOut({ token }) {
        await revokeSession(token ?? {});
      },
    },
    logger: {
      // next-auth logs the failing request on errors; keep credentials out of the logs.
      error(code, metadata) {
        // An ended session is the expected answer for a signed-out cookie, not an error.
        const named = metadata as { name?: string; error?: { name?: string } } | undefined;
        if (named?.name === "SessionEnded" || named?.error?.name === "SessionEnded") return;
        const meta = metadata as { message?: string; error?: { message?: string } } | Error | undefined;
        const message = meta instanceof Error ? meta.message : (meta?.message ?? meta?.error?.message);
        console.error(`[auth] ${code}${message ? `: ${message}` : ""}`);
      },
      warn(code) {
        console.warn(`[auth] ${code}`);
      },
      debug() {},
    },
  };
}
