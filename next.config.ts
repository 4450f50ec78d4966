import type { NextConfig } from "next";
import { PHASE_PRODUCTION_SERVER } from "next/constants";
import createNextIntlPlugin from "next-intl/plugin";
import { assertProductionSecrets, databaseEnv } from "./lib/env";
import { BODY_LIMIT } from "./lib/server/limits";

// Messages are compiled at build time (next-intl's `precompile`): the catalogues become
// compact syntax trees, and the browser gets next-intl's small formatter instead of the ICU
// message parser (~11 kB gzip off every page's first load).
const withNextIntl = createNextIntlPlugin({
  requestConfig: "./lib/i18n/request.ts",
  experimental: { messages: { path: "./lib/i18n/messages", format: "json", locales: ["en", "pt-BR"], precompile: true } },
});

// Headers every response carries; the Content-Security-Policy, which needs a fresh
// nonce per request, is set by proxy.ts.
const securityHeaders = [
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  ...(process.env.NODE_ENV === "production"
    ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }]
    : []),
];

const nextConfig: NextConfig = {
  // PGlite loads its WASM and data files from its own package folder, and argon2 ships
  // a native binary: both must stay plain Node modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@node-rs/argon2", "pg"],
  // The browser tests build into their own folder, so they never clobber a running portal.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // No page uses next/image, so the optimizer endpoint is off: /_next/image answers 404
  // instead of fetching a page of the portal (a local URL) and failing on it with a 500.
  images: { unoptimized: true },
  // The body limit of server actions, the same one proxy.ts enforces with a 413 from the
  // request's Content-Length (Next answers its own limit with a 500).
  experimental: { serverActions: { bodySizeLimit: BODY_LIMIT } },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default function config(phase: string): NextConfig {
  // `next start` refuses to serve without its secrets (a build does not need them).
  if (phase === PHASE_PRODUCTION_SERVER) {
    assertProductionSecrets();
    // Nor with a database limit that is not a whole number in range (it names the variable).
    databaseEnv();
  }
  return withNextIntl(nextConfig);
}
