import { apiCall, json, parseApi } from "@/lib/api/http";
import { itemListQuerySchema } from "@/lib/api/schemas";
import { listApiItems } from "@/lib/dal/api";
import { queryObject } from "@/lib/validation/filters";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return apiCall(request, async ({ actor, locale }) => {
    const query = parseApi(itemListQuerySchema, queryObject(new URL(request.url).searchParams), locale);
    return json(await listApiItems(actor, slug, query));
  });
}
