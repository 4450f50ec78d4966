import { readFileSync } from "node:fs";
import { checkLedger, describeDbError, ledgerDigests, sealLegacyChains } from "../audit/check";
import { ledgerKeyring } from "../audit/keys";
import { openDatabase } from "../db/adapters";
import { prismaClientFor } from "../db/client";
import { resolveDbTarget } from "../db/target";

// npm run ledger:verify [-- --digest FILE]   every chain from its first event, a replay of the
//                                            events against the state tables, the security log;
//                                            exit 1 when anything is wrong (each finding on a line)
// npm run ledger:digest [-- --rollout SLUG]  print digests to keep somewhere else
// npm run ledger:seal                        after upgrading: vouch for unkeyed (version 1) chains

async function main(argv: string[]): Promise<number> {
  const [command = "verify", ...rest] = argv;
  const option = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  if (!["verify", "digest", "seal"].includes(command)) {
    console.error(`Unknown command "${command}": use verify, digest or seal.`);
    return 2;
  }
  const keyring = ledgerKeyring();
  const digestFile = option("--digest");
  const digests = digestFile ? readFileSync(digestFile, "utf8").split("\n").filter((l) => l.trim()) : undefined;
  const database = await openDatabase(resolveDbTarget());
  const db = prismaClientFor(database.factory);
  try {
    if (command === "digest") {
      for (const line of await ledgerDigests(db, option("--rollout"), keyring)) console.log(line);
      return 0;
    }
    if (command === "seal") {
      const lines = await sealLegacyChains(db, keyring);
      for (const line of lines) console.log(line);
      if (lines.length === 0) console.log("Nothing to seal: every chain ends with a keyed event.");
      return lines.some((l) => l.startsWith("FAIL")) ? 1 : 0;
    }
    const { lines, findings } = await checkLedger(db, { digests, keyring });
    for (const line of lines) console.log(line);
    console.log(findings === 0 ? "The ledger verifies." : `${findings} finding${findings === 1 ? "" : "s"}.`);
    return findings === 0 ? 0 : 1;
  } finally {
    await db.$disconnect();
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`FAIL ${describeDbError(error)}`);
    process.exit(1);
  },
);
