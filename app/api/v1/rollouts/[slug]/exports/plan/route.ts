import { apiCall } from "@/lib/api/http";
import { fileAnswer } from "@/lib/api/files";
import { exportApiPlan } from "@/lib/dal/api";

export const dynamic = "force-dynamic";

/** The plan as Markdown with its current state (docs/plan-format.md), as the portal exports it. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return apiCall(request, async ({ actor }) => {
    const plan = await exportApiPlan(actor, slug);
    return fileAnswer(plan.body, "text/markdown", `${plan.slug}-plan.md`);
  });
}
