import { getDb } from "@/lib/db/client";
import { translator } from "@/lib/i18n/server-messages";
import { scrapeText } from "@/lib/observe/collect";
import { bearerMatches } from "@/lib/observe/token";

export const dynamic = "force-dynamic";

// A metrics scraper reads this (see docs/operations.md, "Metrics"). Never public: without
// METRICS_TOKEN in the environment the endpoint does not exist (404); with it, a request
// without that bearer token gets 401 and nothing else.
export async function GET(request: Request) {
  const expected = process.env.METRICS_TOKEN?.trim();
  if (!expected) return new Response(null, { status: 404, headers: { "cache-control": "no-store" } });
  if (!bearerMatches(request.headers.get("authorization"), expected)) {
    const t = await translator({ request, actor: null });
    return Response.json(
      { error: t({ key: "errors.request.metricsToken" }), code: "UNAUTHENTICATED" },
      { status: 401, headers: { "www-authenticate": 'Bearer realm="metrics"', "cache-control": "no-store" } },
    );
  }
  let db;
  try {
    db = getDb();
  } catch {
    db = null;
  }
  const { body, contentType } = await scrapeText(db);
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
