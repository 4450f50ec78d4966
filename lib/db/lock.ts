import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";

// PGlite has no cross-process lock: two processes writing one data folder lose
// committed rows. This file lock makes a second process fail fast, with a message
// naming the holder, instead of silently corrupting the folder.

export class DataFolderBusyError extends Error {
  readonly code = "DATA_FOLDER_BUSY";
  constructor(
    readonly folder: string,
    readonly holder: LockInfo,
  ) {
    super(
      `The embedded database in ${folder} is already open in another process ` +
        `(pid ${holder.pid}, "${holder.command}", since ${holder.since}). ` +
        `Only one process may use it at a time: stop that process first ` +
        `(for example the running portal), or set DATABASE_URL to use a Postgres server.`,
    );
    this.name = "DataFolderBusyError";
  }
}

export type LockInfo = { pid: number; command: string; since: string };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(lockPath: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(lockPath, "utf8")) as LockInfo;
  } catch {
    return null;
  }
}

const held = new Set<string>();
let exitHookInstalled = false;

function releaseAllOnExit() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const lockPath of held) {
      if (readHolder(lockPath)?.pid === process.pid) {
        try {
          unlinkSync(lockPath);
        } catch {
          // already gone
        }
      }
    }
  });
}

/** Takes the lock for `folder`, or throws DataFolderBusyError. Re-entrant within a process. */
export function acquireFolderLock(folder: string): () => void {
  const lockPath = `${folder}.lock`;
  const release = () => {
    if (!held.delete(lockPath)) return;
    const holder = readHolder(lockPath);
    if (holder?.pid === process.pid) {
      try {
        unlinkSync(lockPath);
      } catch {
        // already gone
      }
    }
  };
  if (held.has(lockPath)) return release;
  mkdirSync(dirname(lockPath), { recursive: true });

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      const info: LockInfo = {
        pid: process.pid,
        command: process.argv.slice(1, 3).join(" ") || process.argv0,
        since: new Date().toISOString(),
      };
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      held.add(lockPath);
      releaseAllOnExit();
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readHolder(lockPath);
      if (holder && holder.pid === process.pid) {
        held.add(lockPath);
        return release;
      }
      if (holder && isAlive(holder.pid)) throw new DataFolderBusyError(folder, holder);
      // A crashed process left its lock behind (or it is being written right now:
      // the retry re-reads it). Remove the stale lock and try again.
      if (holder || attempt > 0) {
        try {
          unlinkSync(lockPath);
        } catch {
          // another process removed it first
        }
      }
    }
  }
  const holder = readHolder(lockPath);
  throw new DataFolderBusyError(folder, holder ?? { pid: -1, command: "unknown", since: "unknown" });
}
