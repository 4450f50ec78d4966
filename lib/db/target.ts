import { resolve } from "node:path";

// Which database this process talks to. Nothing outside lib/db/ needs to know.
export type DbTarget =
  | { kind: "postgres"; url: string }
  | { kind: "pglite"; dataDir: string }
  | { kind: "pglite-memory" };

export function resolveDbTarget(env: NodeJS.ProcessEnv = process.env): DbTarget {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(`DATABASE_URL must be a postgres:// or postgresql:// URL (got "${url.split(":")[0]}:…").`);
    }
    return { kind: "postgres", url };
  }
  return { kind: "pglite", dataDir: resolve(/*turbopackIgnore: true*/ env.GREENLIGHT_DATA_DIR?.trim() || ".data/pglite") };
}

export function describeDbTarget(target: DbTarget): string {
  switch (target.kind) {
    case "postgres": {
      const u = new URL(target.url);
      return `Postgres ${u.hostname}:${u.port || 5432}${u.pathname}`;
    }
    case "pglite":
      return `embedded PGlite in ${target.dataDir}`;
    case "pglite-memory":
      return "in-memory PGlite";
  }
}
