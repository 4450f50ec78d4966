import { getApiItem } from "../dal/api";
import { apiCall, idempotent, ifMatchVersion, json, type ApiContext } from "./http";

/** What an item write gets: the raw body (validated by the write), the version from If-Match, and the path's ids. */
export type ItemWrite = { raw: string; version: number; slug: string; itemId: string };

/**
 * A conditional, idempotent write to one item (`POST /rollouts/{slug}/items/{itemId}/…`):
 * If-Match is required, an `Idempotency-Key` replays the first answer, and the answer is the
 * item as it is after the write, with its new version as the ETag. `write` validates the
 * body and calls the page's own data-layer write, which checks the caller's rights.
 */
export function itemWriteRoute(write: (ctx: ApiContext, args: ItemWrite) => Promise<void>) {
  return async function POST(request: Request, { params }: { params: Promise<{ slug: string; itemId: string }> }): Promise<Response> {
    const { slug, itemId } = await params;
    return apiCall(request, async (ctx) => {
      const raw = await request.text();
      return idempotent(ctx, raw, async () => {
        const version = ifMatchVersion(request, true)!;
        await write(ctx, { raw, version, slug, itemId });
        const item = await getApiItem(ctx.actor, slug, itemId);
        return json(item, { etag: item.version });
      });
    });
  };
}
