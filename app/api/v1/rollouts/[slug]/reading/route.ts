import { apiCall, json } from "@/lib/api/http";
import { listApiReading } from "@/lib/dal/api";

export const dynamic = "force-dynamic";

/** The caller's own reading lists in the rollout, with what they have read. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return apiCall(request, async ({ actor }) => json(await listApiReading(actor, slug)));
}
