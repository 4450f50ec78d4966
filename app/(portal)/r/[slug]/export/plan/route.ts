import { getDb } from "@/lib/db/client";
import { planToMarkdown, readRolloutAsPlan } from "@/lib/export/markdown";
import { fileResponse, withRollout } from "@/lib/server/route";

/** The rollout's plan as Markdown with its current state, in the format of docs/plan-format.md. */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return withRollout(slug, "plan.export", async (_actor, snapshot) =>
    fileResponse(planToMarkdown(await readRolloutAsPlan(getDb(), snapshot.rollout.id)), "text/markdown", `${snapshot.rollout.slug}-plan.md`),
  );
}
