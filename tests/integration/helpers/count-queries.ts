import { setDb, type Db } from "@/lib/db/client";

/**
 * How many database operations `work` issues through `getDb()`, not counting the caller's
 * membership lookup (in the app it is memoized per request and shared with the layout;
 * tests run outside a React request, where it repeats).
 */
export async function countQueries(db: Db, work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const counting = db.$extends({
    query: {
      async $allOperations({ model, args, query }) {
        const where = (args as { where?: Record<string, unknown> } | undefined)?.where;
        if (!(model === "RolloutMember" && where && "userId" in where)) count++;
        return query(args);
      },
    },
  });
  setDb(counting as unknown as Db);
  try {
    await work();
  } finally {
    setDb(db);
  }
  return count;
}
