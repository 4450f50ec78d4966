import { createServer } from "node:http";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";

// A real OpenID Connect provider for the browser tests (the `oidc-provider` package),
// started by Playwright beside the portal: `tsx tests/e2e/oidc-provider.ts`.
//
// One confidential client (the portal, "Acme SSO" on its sign-in page), the authorization
// code flow with PKCE required, and a few people in memory. The login and consent pages
// are the package's built-in development pages: any password is accepted, the login name
// picks the person. Imported (by the portal's test server and the SSO spec) it only
// provides the constants below; run directly it serves.

export const SSO_PORT = Number(process.env.E2E_OIDC_PORT) || 3101;
export const SSO_ISSUER = `http://127.0.0.1:${SSO_PORT}`;
export const SSO_NAME = "Acme SSO";
export const SSO_CLIENT_ID = "greenlight-e2e";
export const SSO_CLIENT_SECRET = "greenlight-e2e-client-secret-not-for-production";
/** How the portal maps the provider's `groups` claim to roles (OIDC_ROLE_MAP). */
export const SSO_ROLE_MAP = "rollout-execs=EXECUTIVE@iteration-5, sec-team=SECURITY_OFFICER@iteration-5";

export type SsoUser = { login: string; email: string; email_verified: boolean; name: string; groups: string[] };

/** The provider's people; `login` is what one types on its login page (and their `sub`). */
export const SSO_USERS = {
  executive: { login: "ana.sso", email: "ana.sso@acme.example", email_verified: true, name: "Ana Souza", groups: ["rollout-execs", "staff"] },
  security: { login: "sam.sso", email: "sam.sso@acme.example", email_verified: true, name: "Samuel Teixeira", groups: ["sec-team", "staff"] },
  // Claims a demo account's address, but the provider has not verified it.
  unverified: { login: "carla.unverified", email: "cto@greenlight.demo", email_verified: false, name: "Not Carla", groups: ["rollout-execs"] },
} satisfies Record<string, SsoUser>;

async function serve() {
  // oidc-provider 9 targets Node.js 22 LTS; on Node 20 it needs at least 20.18 (URL.parse, crypto.hash).
  const crypto = await import("node:crypto");
  if (!("parse" in URL) || !("hash" in crypto)) {
    console.error(`The SSO test provider needs Node.js 20.18 or later (22 LTS recommended); this is ${process.version}.`);
    process.exit(1);
  }
  // @ts-expect-error -- oidc-provider ships no type declarations; only its constructor and callback() are used.
  const { default: Provider } = await import("oidc-provider");

  const portal = `http://127.0.0.1:${process.env.E2E_PORT ?? "3100"}`;
  const people = new Map<string, SsoUser>(Object.values(SSO_USERS).map((user) => [user.login, user]));
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

  const provider = new Provider(SSO_ISSUER, {
    clients: [
      {
        client_id: SSO_CLIENT_ID,
        client_secret: SSO_CLIENT_SECRET,
        redirect_uris: [`${portal}/api/auth/callback/oidc`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic", // what next-auth's client sends by default
      },
    ],
    pkce: { required: () => true },
    // `groups` comes with every sign-in, as company providers are usually set up to send it.
    claims: { openid: ["sub", "groups"], email: ["email", "email_verified"], profile: ["name"] },
    // The spec-strict default: with an access token issued, email, name and groups are
    // served by the userinfo endpoint, not put in the ID token (as Okta's thin tokens do),
    // so the portal must read both.
    conformIdTokenClaims: true,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    jwks: { keys: [{ ...signingKey, kid: "e2e-signing-key", use: "sig", alg: "RS256" }] },
    async findAccount(_ctx: unknown, sub: string) {
      const user = people.get(sub);
      if (!user) return undefined;
      const { login, ...claims } = user;
      return { accountId: login, claims: async () => ({ sub: login, ...claims }) };
    },
  });
  provider.on("server_error", (_ctx: unknown, error: Error) => console.error("[sso] server error:", error));

  const server = createServer(provider.callback()).listen(SSO_PORT, "127.0.0.1", () => {
    console.log(`SSO test provider at ${SSO_ISSUER} for ${portal}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
