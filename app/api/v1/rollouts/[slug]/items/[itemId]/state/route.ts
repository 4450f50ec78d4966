import { apiCall, idempotent, ifMatchVersion, json, parseApi, parseJsonText } from "@/lib/api/http";
import { itemStateBodySchema } from "@/lib/api/schemas";
import { assertInRollout, getApiItem } from "@/lib/dal/api";
import { updateItemState } from "@/lib/dal/items";
import { updateItemStateSchema } from "@/lib/validation/workflows";

export const dynamic = "force-dynamic";

/** Changes an item's state with the page's own data-layer write; If-Match carries the version the caller saw. */
export async function POST(request: Request, { params }: { params: Promise<{ slug: string; itemId: string }> }) {
  const { slug, itemId } = await params;
  return apiCall(request, async (ctx) => {
    const raw = await request.text();
    return idempotent(ctx, raw, async () => {
      const version = ifMatchVersion(request, true)!;
      // The body's own fields first (unknown ones refused), then the page's schema with the path's ids.
      const body = parseJsonText(raw);
      parseApi(itemStateBodySchema, body, ctx.locale);
      const input = parseApi(updateItemStateSchema, { ...(body as object), itemId, version }, ctx.locale);
      await assertInRollout(ctx.actor, slug, { itemId });
      await updateItemState(ctx.actor, input);
      const item = await getApiItem(ctx.actor, slug, itemId);
      return json(item, { etag: item.version });
    });
  });
}
