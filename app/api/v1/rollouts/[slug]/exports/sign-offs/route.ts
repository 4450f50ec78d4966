import { apiCall, parseApi } from "@/lib/api/http";
import { fileAnswer } from "@/lib/api/files";
import { exportApiSignOffs } from "@/lib/dal/api";
import { queryObject, signOffFiltersSchema } from "@/lib/validation/filters";

export const dynamic = "force-dynamic";

/** The sign-offs and their decisions as CSV, filtered by kind, status and phase. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return apiCall(request, async ({ actor, locale }) => {
    const filters = parseApi(signOffFiltersSchema, queryObject(new URL(request.url).searchParams), locale);
    const csv = await exportApiSignOffs(actor, slug, filters);
    return fileAnswer(csv.body, "text/csv", `${csv.slug}-sign-offs.csv`);
  });
}
