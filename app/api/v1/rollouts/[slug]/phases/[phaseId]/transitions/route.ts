import { apiCall, idempotent, ifMatchVersion, json, parseApi, parseJsonText } from "@/lib/api/http";
import { transitionBodySchema } from "@/lib/api/schemas";
import { assertInRollout, getApiPhase } from "@/lib/dal/api";
import { transitionPhase } from "@/lib/dal/phases";
import { transitionPhaseSchema } from "@/lib/validation/workflows";

export const dynamic = "force-dynamic";

/** Moves a phase along with the page's own data-layer write; If-Match carries the phase's version. */
export async function POST(request: Request, { params }: { params: Promise<{ slug: string; phaseId: string }> }) {
  const { slug, phaseId } = await params;
  return apiCall(request, async (ctx) => {
    const raw = await request.text();
    return idempotent(ctx, raw, async () => {
      const version = ifMatchVersion(request, true)!;
      const body = parseApi(transitionBodySchema, parseJsonText(raw), ctx.locale);
      const override = body.override === undefined ? undefined : String(body.override);
      const input = parseApi(transitionPhaseSchema, { ...body, override, phaseId, version }, ctx.locale);
      await assertInRollout(ctx.actor, slug, { phaseId });
      await transitionPhase(ctx.actor, input);
      const phase = await getApiPhase(ctx.actor, slug, phaseId);
      return json(phase, { etag: phase.version });
    });
  });
}
