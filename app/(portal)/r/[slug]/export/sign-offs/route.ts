import { signOffsCsv } from "@/lib/export/csv";
import { fileResponse, parseInput, withRollout } from "@/lib/server/route";
import { filterSignOffs, queryObject, signOffFiltersSchema } from "@/lib/validation/filters";

/** The sign-offs and their decisions as CSV, filtered by kind, status and phase. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const filters = await parseInput(signOffFiltersSchema, queryObject(new URL(request.url).searchParams));
  if (!filters.ok) return filters.response;
  return withRollout(slug, "plan.export", (_actor, snapshot) => fileResponse(signOffsCsv(filterSignOffs(snapshot.signOffs, filters.data)), "text/csv", `${snapshot.rollout.slug}-sign-offs.csv`));
}
