import { signOffsCsv } from "@/lib/export/csv";
import { fileResponse, parseInput, withRollout } from "@/lib/server/route";
import { queryObject, signOffFiltersSchema } from "@/lib/validation/filters";

/** The sign-offs and their decisions as CSV, filtered by kind, status and phase. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const filters = await parseInput(signOffFiltersSchema, queryObject(new URL(request.url).searchParams));
  if (!filters.ok) return filters.response;
  const { kind, status, phase } = filters.data;
  return withRollout(slug, "plan.export", (_actor, snapshot) => {
    const rows = snapshot.signOffs.filter(
      (s) => (!kind || s.kind === kind) && (!status || s.status === status) && (phase === undefined || (phase === 0 ? s.phaseId === null : s.phase?.position === phase)),
    );
    return fileResponse(signOffsCsv(rows), "text/csv", `${snapshot.rollout.slug}-sign-offs.csv`);
  });
}
