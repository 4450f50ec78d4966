import { parseApi, parseJsonText } from "@/lib/api/http";
import { itemWriteRoute } from "@/lib/api/item-write";
import { assignBodySchema } from "@/lib/api/schemas";
import { assertInRollout, getApiItem } from "@/lib/dal/api";
import { updateItemDetails } from "@/lib/dal/items";
import { updateItemDetailsSchema } from "@/lib/validation/workflows";

export const dynamic = "force-dynamic";

/** Assigns an item (and, when given, changes its due date) with the page's own write; If-Match carries the item's version. */
export const POST = itemWriteRoute(async (ctx, { raw, version, slug, itemId }) => {
  const body = parseApi(assignBodySchema, parseJsonText(raw), ctx.locale);
  await assertInRollout(ctx.actor, slug, { itemId });
  // The page's form sends both fields; a due date left out keeps the item's own.
  const current = await getApiItem(ctx.actor, slug, itemId);
  const dueAt = body.dueAt === undefined ? (current.dueAt ?? undefined) : (body.dueAt ?? undefined);
  const input = parseApi(updateItemDetailsSchema, { itemId, version, assigneeId: body.assigneeId ?? undefined, dueAt }, ctx.locale);
  await updateItemDetails(ctx.actor, input);
});
