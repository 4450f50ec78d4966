import { makeDigest, verifyChain } from "@/lib/audit/verify";
import { getDb } from "@/lib/db/client";
import { fileResponse, withRollout } from "@/lib/server/route";

/** The ledger's digest (event count and head hash) to keep somewhere else. */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return withRollout(slug, "audit.read", async (_actor, snapshot) => {
    const digest = makeDigest(await verifyChain(getDb(), snapshot.rollout.id));
    return fileResponse(`${JSON.stringify(digest)}\n`, "application/json", `${snapshot.rollout.slug}-ledger-digest.json`);
  });
}
