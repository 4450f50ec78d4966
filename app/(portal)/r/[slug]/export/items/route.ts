import { itemsCsv } from "@/lib/export/csv";
import { fileResponse, parseInput, withRollout } from "@/lib/server/route";
import { filterItems, itemFiltersSchema, queryObject } from "@/lib/validation/filters";

/** The checklist as CSV, with the checklist page's filters (role, phase, state, assignee). */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const filters = await parseInput(itemFiltersSchema, queryObject(new URL(request.url).searchParams));
  if (!filters.ok) return filters.response;
  return withRollout(slug, "plan.export", (actor, snapshot) =>
    fileResponse(itemsCsv(filterItems(snapshot.items, filters.data, actor.id, new Date())), "text/csv", `${snapshot.rollout.slug}-checklist.csv`),
  );
}
