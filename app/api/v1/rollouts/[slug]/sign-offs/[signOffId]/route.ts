import { apiCall, json } from "@/lib/api/http";
import { getApiSignOff } from "@/lib/dal/api";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ slug: string; signOffId: string }> }) {
  const { slug, signOffId } = await params;
  return apiCall(request, async ({ actor }) => {
    const signOff = await getApiSignOff(actor, slug, signOffId);
    return json(signOff, { etag: signOff.version });
  });
}
