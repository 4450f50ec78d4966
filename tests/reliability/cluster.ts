import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

// A throwaway Postgres cluster for the reliability suite: initdb into a temporary folder,
// a free port, trust authentication on 127.0.0.1 only. The suite stops and starts it at
// will (the outage), then removes it; the server the other tests use is never touched.
// Run as root (CI containers), initdb refuses to work, so the cluster belongs to the
// `postgres` OS user (the Debian package creates it) and its commands run as that user.

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The folder of initdb and pg_ctl: the newest /usr/lib/postgresql/<major>/bin, else PATH. */
export function postgresBin(): string {
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))) : [];
  majors.sort((a, b) => Number(b) - Number(a));
  if (majors[0]) return join(root, majors[0], "bin");
  const found = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  if (found.status === 0 && found.stdout.trim()) return dirname(found.stdout.trim());
  throw new Error("initdb was not found (install the PostgreSQL server: Debian's package `postgresql`).");
}

export class Cluster {
  private running = false;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly as: string[],
  ) {}

  static async create(): Promise<Cluster> {
    const bin = postgresBin();
    const dir = mkdtempSync(join(tmpdir(), "greenlight-reliability-"));
    let as: string[] = [];
    if (process.getuid?.() === 0) {
      const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
      const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
      if (uid.status !== 0) throw new Error("Running as root, the cluster needs the `postgres` OS user (Debian's package `postgresql` creates it).");
      chownSync(dir, Number(uid.stdout), Number(gid.stdout));
      as = ["runuser", "-u", "postgres", "--"];
    }
    const cluster = new Cluster(dir, await freePort(), bin, as);
    cluster.run("initdb", ["-D", cluster.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
    return cluster;
  }

  get data(): string {
    return join(this.dir, "data");
  }

  url(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private run(tool: string, args: string[]): void {
    const [command, ...prefix] = [...this.as, join(this.bin, tool)];
    const result = spawnSync(command!, [...prefix, ...args], { encoding: "utf8", cwd: this.dir });
    if (result.status !== 0) {
      const log = existsSync(join(this.dir, "server.log")) ? readFileSync(join(this.dir, "server.log"), "utf8").slice(-2000) : "";
      throw new Error(`${tool} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}\n${log}`);
    }
  }

  /** Starts the server and waits until it accepts connections. */
  start(): void {
    // fsync off: the suite kills processes, never the machine, so nothing the OS holds is lost.
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
    this.run("pg_ctl", ["-D", this.data, "-l", join(this.dir, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
    this.running = true;
  }

  /** Stops the server ("fast": every connection is cut, as when a database server goes down). */
  stop(): void {
    this.run("pg_ctl", ["-D", this.data, "-m", "fast", "-w", "-t", "60", "stop"]);
    this.running = false;
  }

  remove(): void {
    if (this.running) {
      try {
        this.run("pg_ctl", ["-D", this.data, "-m", "immediate", "-w", "-t", "30", "stop"]);
      } catch {
        // already down
      }
      this.running = false;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
