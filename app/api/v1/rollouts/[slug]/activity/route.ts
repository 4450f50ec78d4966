import { apiCall, json, parseApi } from "@/lib/api/http";
import { activityQuerySchema } from "@/lib/api/schemas";
import { listApiActivity } from "@/lib/dal/api";
import { queryObject } from "@/lib/validation/filters";

export const dynamic = "force-dynamic";

/** The rollout's events, newest first, a page at a time (`before`: the previous page's `nextBefore`). */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return apiCall(request, async ({ actor, locale }) => {
    const query = parseApi(activityQuerySchema, queryObject(new URL(request.url).searchParams), locale);
    return json(await listApiActivity(actor, slug, query.before ?? null));
  });
}
