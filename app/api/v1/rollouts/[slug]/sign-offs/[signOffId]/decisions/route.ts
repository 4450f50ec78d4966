import { apiCall, idempotent, ifMatchVersion, json, parseApi, parseJsonText } from "@/lib/api/http";
import { decisionBodySchema } from "@/lib/api/schemas";
import { assertInRollout } from "@/lib/dal/api";
import { decideSignOff } from "@/lib/dal/sign-offs";
import { decideSignOffSchema } from "@/lib/validation/workflows";

export const dynamic = "force-dynamic";

/** Records the caller's decision on a sign-off (once: a repeat records nothing); an If-Match, when sent, must name its current version. */
export async function POST(request: Request, { params }: { params: Promise<{ slug: string; signOffId: string }> }) {
  const { slug, signOffId } = await params;
  return apiCall(request, async (ctx) => {
    const raw = await request.text();
    return idempotent(ctx, raw, async () => {
      const version = ifMatchVersion(request, false);
      // The body's own fields first (unknown ones refused), then the page's schema with the path's ids.
      const body = parseJsonText(raw);
      parseApi(decisionBodySchema, body, ctx.locale);
      const input = parseApi(decideSignOffSchema, { ...(body as object), signOffId }, ctx.locale);
      await assertInRollout(ctx.actor, slug, { signOffId });
      const outcome = await decideSignOff(ctx.actor, input, version ?? undefined);
      return json(outcome, { status: outcome.recorded ? 201 : 200 });
    });
  });
}
