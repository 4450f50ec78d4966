import { apiCall, idempotent, json, parseApi } from "@/lib/api/http";
import { assertInRollout } from "@/lib/dal/api";
import { withdrawDecision } from "@/lib/dal/sign-offs";
import { withdrawDecisionSchema } from "@/lib/validation/workflows";

export const dynamic = "force-dynamic";

/** Takes back the caller's standing decision on a sign-off while its gate is open. */
export async function POST(request: Request, { params }: { params: Promise<{ slug: string; signOffId: string }> }) {
  const { slug, signOffId } = await params;
  return apiCall(request, async (ctx) => {
    const raw = await request.text();
    return idempotent(ctx, raw, async () => {
      const input = parseApi(withdrawDecisionSchema, { signOffId }, ctx.locale);
      await assertInRollout(ctx.actor, slug, { signOffId });
      return json(await withdrawDecision(ctx.actor, input));
    });
  });
}
