import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { invalid } from "@/lib/i18n/zod";
import { parseInput } from "@/lib/server/route";

const probeSchema = z.enum(["live", "ready"], { error: invalid("validation.probe") }).default("ready");

export const dynamic = "force-dynamic";

// Liveness: `GET /api/health?probe=live` answers while the process runs.
// Readiness (the default): also proves the database answers a query, so a load
// balancer stops routing to an instance that lost its database.
export async function GET(request: Request) {
  const headers = { "cache-control": "no-store" };
  // The refusal's language comes from the request alone: the probe never looks up an account.
  const probe = new URL(request.url).searchParams.get("probe") ?? undefined;
  const parsed = await parseInput(probeSchema, probe, { locale: { request, actor: null }, headers });
  if (!parsed.ok) return parsed.response;
  if (parsed.data === "live") {
    return Response.json({ status: "ok", probe: "live", uptimeSeconds: Math.round(process.uptime()) }, { headers });
  }
  const started = performance.now();
  try {
    await getDb().$queryRaw`SELECT 1`;
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return Response.json({ status: "ok", probe: "ready", checks: { database: { status: "ok", latencyMs } } }, { headers });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : "unknown error";
    return Response.json(
      { status: "unavailable", probe: "ready", checks: { database: { status: "down", error: reason } } },
      { status: 503, headers },
    );
  }
}
