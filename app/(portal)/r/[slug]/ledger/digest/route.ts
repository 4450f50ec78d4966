import { makeDigest } from "@/lib/audit/verify";
import { getLedgerReport } from "@/lib/dal/ledger";
import { fileResponse, withRollout } from "@/lib/server/route";

/** The ledger's digest (event count and head hash) to keep somewhere else. */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return withRollout(slug, "audit.read", async (actor, snapshot) => {
    const digest = makeDigest((await getLedgerReport(actor, snapshot.rollout.id)).report);
    return fileResponse(`${JSON.stringify(digest)}\n`, "application/json", `${snapshot.rollout.slug}-ledger-digest.json`);
  });
}
