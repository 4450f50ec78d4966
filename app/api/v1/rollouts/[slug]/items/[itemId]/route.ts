import { apiCall, json } from "@/lib/api/http";
import { getApiItem } from "@/lib/dal/api";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ slug: string; itemId: string }> }) {
  const { slug, itemId } = await params;
  return apiCall(request, async ({ actor }) => {
    const item = await getApiItem(actor, slug, itemId);
    return json(item, { etag: item.version });
  });
}
