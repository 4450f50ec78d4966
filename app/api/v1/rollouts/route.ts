import { apiCall, json } from "@/lib/api/http";
import { listApiRollouts } from "@/lib/dal/api";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return apiCall(request, async ({ actor }) => json(await listApiRollouts(actor)));
}
