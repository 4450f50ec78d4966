import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireFolderLock, DataFolderBusyError } from "@/lib/db/lock";

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "greenlight-lock-"));
  dirs.push(dir);
  return join(dir, "data");
}

/** Starts a process that holds the folder like a running portal, and waits until it does. */
async function holdInAnotherProcess(folder: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/hold-database.ts", folder], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("holding")) resolve();
    });
    child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`holder exited with ${code}: ${out}`)));
  });
  return child;
}

describe("one process per PGlite folder", { timeout: 120_000 }, () => {
  it("refuses a second process with a message naming the holder", async () => {
    const folder = dataDir();
    const holder = await holdInAnotherProcess(folder);

    const error = (() => {
      try {
        acquireFolderLock(folder);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DataFolderBusyError);
    expect((error as Error).message).toContain(`pid ${holder.pid}`);
    expect((error as Error).message).toContain("DATABASE_URL");
  });

  it("refuses a db script while the portal holds the folder, and changes nothing", async () => {
    const folder = dataDir();
    await holdInAnotherProcess(folder);
    const result = spawnSync("npx", ["tsx", "lib/db/cli.ts", "reset"], {
      env: { ...process.env, DATABASE_URL: "", GREENLIGHT_DATA_DIR: folder },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/already open in another process/);
  });

  it("takes over the lock a crashed process left behind", async () => {
    const folder = dataDir();
    const holder = await holdInAnotherProcess(folder);
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    expect(existsSync(`${folder}.lock`)).toBe(true);

    const release = acquireFolderLock(folder);
    release();
    expect(existsSync(`${folder}.lock`)).toBe(false);
  });

  it("lets the holding process open its own folder again (hot reloads)", () => {
    const folder = dataDir();
    const release = acquireFolderLock(folder);
    expect(() => acquireFolderLock(folder)).not.toThrow();
    release();
  });
});
