import { z } from "zod";
import { getDb, pingDatabase } from "@/lib/db/client";
import { databaseEnv } from "@/lib/env";
import { invalid } from "@/lib/i18n/zod";
import { shutdownReason } from "@/lib/observe/lifecycle";
import { parseInput } from "@/lib/server/route";

const probeSchema = z.enum(["live", "ready"], { error: invalid("validation.probe") }).default("ready");

export const dynamic = "force-dynamic";

// Liveness: `GET /api/health?probe=live` answers while the process runs.
// Readiness (the default): also proves the database answers a query within
// HEALTH_CHECK_TIMEOUT_MS (1 s by default), so a load balancer stops routing to an
// instance that lost its database or has no free connection; the 503 says why.
export async function GET(request: Request) {
  const headers = { "cache-control": "no-store" };
  // The refusal's language comes from the request alone: the probe never looks up an account.
  const probe = new URL(request.url).searchParams.get("probe") ?? undefined;
  const parsed = await parseInput(probeSchema, probe, { locale: { request, actor: null }, headers });
  if (!parsed.ok) return parsed.response;
  if (parsed.data === "live") {
    return Response.json({ status: "ok", probe: "live", uptimeSeconds: Math.round(process.uptime()) }, { headers });
  }
  // A process shutting down says so first, before the database is asked anything, so
  // the load balancer stops sending it requests (lib/observe/shutdown.ts).
  const stopping = shutdownReason();
  if (stopping) {
    return Response.json({ status: "unavailable", probe: "ready", checks: { process: { status: "down", error: stopping } } }, { status: 503, headers });
  }
  // Its own short deadline: with the database down or every connection busy, readiness
  // says so at once (503) instead of waiting as long as a page would.
  let result: Awaited<ReturnType<typeof pingDatabase>>;
  try {
    result = await pingDatabase(getDb(), databaseEnv().HEALTH_CHECK_TIMEOUT_MS);
  } catch (error) {
    // Opening the client failed (a PGlite folder held by another process, a bad setting).
    result = { ok: false, reason: error instanceof Error && error.message ? error.message.split("\n")[0] : "unknown error" };
  }
  if (result.ok) {
    return Response.json({ status: "ok", probe: "ready", checks: { database: { status: "ok", latencyMs: result.latencyMs } } }, { headers });
  }
  return Response.json(
    { status: "unavailable", probe: "ready", checks: { database: { status: "down", error: result.reason } } },
    { status: 503, headers },
  );
}
