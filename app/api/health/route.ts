import { z } from "zod";
import { getDb } from "@/lib/db/client";

const probeSchema = z.enum(["live", "ready"], { error: 'probe must be "live" or "ready".' }).default("ready");

export const dynamic = "force-dynamic";

// Liveness: `GET /api/health?probe=live` answers while the process runs.
// Readiness (the default): also proves the database answers a query, so a load
// balancer stops routing to an instance that lost its database.
export async function GET(request: Request) {
  const headers = { "cache-control": "no-store" };
  const parsed = probeSchema.safeParse(new URL(request.url).searchParams.get("probe") ?? undefined);
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0]?.message, code: "INVALID_INPUT" }, { status: 400, headers });
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
