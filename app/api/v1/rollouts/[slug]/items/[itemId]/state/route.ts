import { parseApi, parseJsonText } from "@/lib/api/http";
import { itemWriteRoute } from "@/lib/api/item-write";
import { itemStateBodySchema } from "@/lib/api/schemas";
import { assertInRollout } from "@/lib/dal/api";
import { updateItemState } from "@/lib/dal/items";
import { updateItemStateSchema } from "@/lib/validation/workflows";

export const dynamic = "force-dynamic";

/** Changes an item's state with the page's own data-layer write; If-Match carries the version the caller saw. */
export const POST = itemWriteRoute(async (ctx, { raw, version, slug, itemId }) => {
  // The body's own fields first (unknown ones refused), then the page's schema with the path's ids.
  const body = parseJsonText(raw);
  parseApi(itemStateBodySchema, body, ctx.locale);
  const input = parseApi(updateItemStateSchema, { ...(body as object), itemId, version }, ctx.locale);
  await assertInRollout(ctx.actor, slug, { itemId });
  await updateItemState(ctx.actor, input);
});
