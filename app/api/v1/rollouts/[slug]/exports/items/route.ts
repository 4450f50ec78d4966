import { apiCall, parseApi } from "@/lib/api/http";
import { fileAnswer } from "@/lib/api/files";
import { exportApiItems } from "@/lib/dal/api";
import { itemFiltersSchema, queryObject } from "@/lib/validation/filters";

export const dynamic = "force-dynamic";

/** The checklist as CSV, with the checklist's filters. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return apiCall(request, async ({ actor, locale }) => {
    const filters = parseApi(itemFiltersSchema, queryObject(new URL(request.url).searchParams), locale);
    const csv = await exportApiItems(actor, slug, filters);
    return fileAnswer(csv.body, "text/csv", `${csv.slug}-checklist.csv`);
  });
}
