import { readFileSync } from "node:fs";
import { openDatabase } from "../db/adapters";
import { prismaClientFor } from "../db/client";
import { resolveDbTarget } from "../db/target";
import { checkDigest, digestSchema, makeDigest, verifyChain } from "../audit/verify";

// npm run ledger:verify [-- --digest FILE]   recompute every chain; exit 1 on a mismatch
// npm run ledger:digest [-- --rollout SLUG]  print digests to keep somewhere else

async function main(argv: string[]) {
  const [command = "verify", ...rest] = argv;
  const option = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const database = await openDatabase(resolveDbTarget());
  const db = prismaClientFor(database.factory);
  try {
    const rollouts = await db.rollout.findMany({ select: { id: true, slug: true } });
    const chains = [...rollouts.map((r) => ({ id: r.id as string | null, label: r.slug })), { id: null, label: "(accounts)" }];
    if (command === "digest") {
      const slug = option("--rollout");
      for (const chain of chains.filter((c) => !slug || c.label === slug)) {
        console.log(JSON.stringify(makeDigest(await verifyChain(db, chain.id))));
      }
      return 0;
    }
    let failed = false;
    const digestFile = option("--digest");
    if (digestFile) {
      const lines = readFileSync(digestFile, "utf8").split("\n").filter((l) => l.trim());
      for (const line of lines) {
        const digest = digestSchema.parse(JSON.parse(line));
        const result = await checkDigest(db, digest);
        console.log(`${result.ok ? "ok  " : "FAIL"} digest of ${digest.rolloutId ?? "(accounts)"} taken ${digest.takenAt}${result.reason ? `: ${result.reason}` : ""}`);
        failed ||= !result.ok;
      }
    }
    for (const chain of chains) {
      const report = await verifyChain(db, chain.id);
      console.log(
        report.ok
          ? `ok   ${chain.label}: ${report.count} events, head ${report.head ?? "-"}`
          : `FAIL ${chain.label}: event ${report.problem!.seq} (id ${report.problem!.id}): ${report.problem!.reason}`,
      );
      failed ||= !report.ok;
    }
    return failed ? 1 : 0;
  } finally {
    await db.$disconnect();
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
