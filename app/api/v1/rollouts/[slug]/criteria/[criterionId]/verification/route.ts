import { apiCall, idempotent, ifMatchVersion, json, parseApi, parseJsonText } from "@/lib/api/http";
import { verifyBodySchema } from "@/lib/api/schemas";
import { assertInRollout, getApiCriterion } from "@/lib/dal/api";
import { verifyCriterion } from "@/lib/dal/criteria";
import { verifyCriterionSchema } from "@/lib/validation/workflows";

export const dynamic = "force-dynamic";

/** Marks a success criterion verified (with a note) or not; If-Match carries the criterion's version. */
export async function POST(request: Request, { params }: { params: Promise<{ slug: string; criterionId: string }> }) {
  const { slug, criterionId } = await params;
  return apiCall(request, async (ctx) => {
    const raw = await request.text();
    return idempotent(ctx, raw, async () => {
      const version = ifMatchVersion(request, true)!;
      const body = parseApi(verifyBodySchema, parseJsonText(raw), ctx.locale);
      const input = parseApi(verifyCriterionSchema, { ...body, verified: String(body.verified), criterionId, version }, ctx.locale);
      await assertInRollout(ctx.actor, slug, { criterionId });
      await verifyCriterion(ctx.actor, input);
      const criterion = await getApiCriterion(ctx.actor, slug, criterionId);
      return json(criterion, { etag: criterion.version });
    });
  });
}
