import { apiCall, idempotent, json, parseApi } from "@/lib/api/http";
import { getImportTarget, importPlan } from "@/lib/dal/import";
import { confirmImportSchema } from "@/lib/validation/import";

export const dynamic = "force-dynamic";

/** Imports a Markdown plan (the body) into a rollout that has nothing recorded yet. */
export async function POST(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return apiCall(request, async (ctx) => {
    const raw = await request.text();
    return idempotent(ctx, raw, async () => {
      const target = await getImportTarget(ctx.actor, slug);
      const input = parseApi(confirmImportSchema, { rolloutId: target.rolloutId, text: raw }, ctx.locale);
      return json(await importPlan(ctx.actor, input), { status: 201 });
    });
  });
}
