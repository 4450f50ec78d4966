import { Writable } from "node:stream";
import { setLogDestination } from "@/lib/observe/log";

export type LogLine = { level: string; msg: string; requestId?: string; err?: { type?: string; message?: string; stack?: string }; [key: string]: unknown };

/** Sends the server's structured log into memory until `restore()`: every line, parsed. */
export function captureLogs(level = "info") {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  setLogDestination(stream, level);
  const text = () => chunks.join("");
  return {
    text,
    lines: (): LogLine[] =>
      text()
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LogLine),
    restore: () => setLogDestination(undefined),
  };
}
