import { apiCall, json } from "@/lib/api/http";
import { listApiCriteria } from "@/lib/dal/api";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return apiCall(request, async ({ actor }) => json(await listApiCriteria(actor, slug)));
}
