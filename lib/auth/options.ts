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
import { actorFromClaims } from "./session";
import { checkSignInThrottle, clearAccountFailures, recordSignInFailure } from "./throttle";

export const SIGN_IN_FAILED = "Email or password is incorrect.";

const credentialsSchema = z.object({
  email: text().trim().max(320),
  password: text().max(1024),
});

export function clientAddress(headers: Record<string, string | string[] | undefined> | Headers | undefined): string {
  const get = (name: string) => {
    if (!headers) return undefined;
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return get("x-forwarded-for")?.split(",")[0]?.trim() || get("x-real-ip") || "unknown";
}

type SessionUser = User & { sessionVersion: number };

/** Checks a password, with throttling; the answer never says whether the account exists. */
export async function authorizeCredentials(raw: unknown, ip: string): Promise<SessionUser> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success || !parsed.data.email || !parsed.data.password) throw new Error(SIGN_IN_FAILED);
  const { email, password } = parsed.data;

  const verdict = await checkSignInThrottle(email, ip);
  if (!verdict.allowed) {
    const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
    throw new Error(
      verdict.retryAfterSeconds < 60
        ? `Too many failed sign-in attempts. Try again in ${verdict.retryAfterSeconds} seconds.`
        : `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    );
  }

  const user = await getDb().user.findUnique({
    where: { email: email.toLowerCase() },
    omit: { passwordHash: false },
  });
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !user.passwordHash || !ok || !user.active) {
    await recordSignInFailure(email, ip);
    throw new Error(SIGN_IN_FAILED);
  }
  await clearAccountFailures(email);
  await recordSecurityEvent(getDb(), { actorId: user.id, action: "user.signed-in", targetType: "User", targetId: user.id });
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
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

export function buildAuthOptions(env: ServerEnv = serverEnv()): NextAuthOptions {
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
        authorize: (credentials, req) => authorizeCredentials(credentials, clientAddress(req?.headers)),
      }),
      ...(sso ? [sso] : []),
    ],
    callbacks: {
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
          return { ...token, sub: id, sv: sessionVersion ?? 1, authTime: now, lastSeen: now };
        }
        return token;
      },
      async session({ session, token }) {
        // The same check as every page and action: a revoked session (role or password
        // changed, account deactivated) reads as signed out here too.
        const actor = await actorFromClaims({ sub: token.sub, sv: token.sv, authTime: token.authTime, lastSeen: token.lastSeen });
        if (!actor) return {} as typeof session;
        return {
          ...session,
          user: { id: token.sub, name: token.name, email: token.email },
          sv: token.sv,
          authTime: token.authTime,
          lastSeen: token.lastSeen,
        };
      },
    },
    logger: {
      // next-auth logs the failing request on errors; keep credentials out of the logs.
      error(code, metadata) {
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
