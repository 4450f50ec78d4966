import { apiCall, json } from "@/lib/api/http";
import { getApiPhase } from "@/lib/dal/api";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ slug: string; phaseId: string }> }) {
  const { slug, phaseId } = await params;
  return apiCall(request, async ({ actor }) => {
    const phase = await getApiPhase(actor, slug, phaseId);
    return json(phase, { etag: phase.version });
  });
}
