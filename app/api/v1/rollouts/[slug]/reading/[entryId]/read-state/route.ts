import { apiCall, idempotent, json, parseApi, parseJsonText } from "@/lib/api/http";
import { markReadBodySchema } from "@/lib/api/schemas";
import { assertInRollout } from "@/lib/dal/api";
import { markRead } from "@/lib/dal/reading";
import { markReadSchema } from "@/lib/validation/workflows";

export const dynamic = "force-dynamic";

/** Marks an entry of one of the caller's own reading lists read or unread. */
export async function POST(request: Request, { params }: { params: Promise<{ slug: string; entryId: string }> }) {
  const { slug, entryId } = await params;
  return apiCall(request, async (ctx) => {
    const raw = await request.text();
    return idempotent(ctx, raw, async () => {
      const body = parseApi(markReadBodySchema, parseJsonText(raw), ctx.locale);
      const input = parseApi(markReadSchema, { entryId, read: String(body.read) }, ctx.locale);
      await assertInRollout(ctx.actor, slug, { entryId });
      return json(await markRead(ctx.actor, input));
    });
  });
}
