import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

// Counts the SQL statements that really go to the database, at the driver's wire
// protocol, whichever engine the test file runs on: every Execute message (a statement
// of the extended protocol: Prisma's queries) and every simple Query message (BEGIN,
// COMMIT, scripts) the application sends. Nothing above the driver can hide a statement
// from it: a Prisma `include` that becomes a second SELECT, a transaction's BEGIN and
// COMMIT, the session re-check and the membership lookup are all counted.
//
// - PGlite: every statement passes through `execProtocolStream` (one protocol message
//   per call: Parse, Describe, Bind, Execute, Sync, or a simple Query).
// - pg (CI's Postgres server): `Connection.prototype.parse/execute/query` write the
//   same messages to the socket.

export type WireStatement = { sql: string };

type Recorder = { statements: WireStatement[] };

let recorder: Recorder | null = null;
let installed = false;

// Frontend message types (PostgreSQL protocol, "Message Formats").
const PARSE = 0x50; // 'P'
const EXECUTE = 0x45; // 'E'
const QUERY = 0x51; // 'Q'

const cString = (bytes: Uint8Array, from: number): [string, number] => {
  let end = from;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return [new TextDecoder().decode(bytes.subarray(from, end)), end + 1];
};

/** The unnamed statement last parsed on each PGlite instance (Execute names no text). */
const lastParsed = new WeakMap<object, string>();

function observePGliteMessages(db: object, message: Uint8Array): void {
  // A buffer may hold several messages: type byte, then an int32 length that counts itself.
  let at = 0;
  while (at + 5 <= message.length) {
    const type = message[at];
    const length = new DataView(message.buffer, message.byteOffset + at + 1, 4).getInt32(0);
    const body = at + 5;
    if (type === PARSE) {
      const [, afterName] = cString(message, body);
      lastParsed.set(db, cString(message, afterName)[0]);
    } else if (type === EXECUTE) {
      recorder?.statements.push({ sql: lastParsed.get(db) ?? "(unknown)" });
    } else if (type === QUERY) {
      recorder?.statements.push({ sql: cString(message, body)[0] });
    }
    at += 1 + length;
  }
}

function install(): void {
  if (installed) return;
  installed = true;

  const pgliteProto = PGlite.prototype as unknown as { execProtocolStream: (message: Uint8Array, ...rest: unknown[]) => Promise<unknown> };
  const execProtocolStream = pgliteProto.execProtocolStream;
  pgliteProto.execProtocolStream = function (this: object, message: Uint8Array, ...rest: unknown[]) {
    if (recorder) observePGliteMessages(this, message);
    return execProtocolStream.call(this, message, ...rest);
  };

  const connectionProto = (pg as unknown as { Connection: { prototype: Record<string, (...args: unknown[]) => unknown> } }).Connection.prototype;
  const pgParsed = new WeakMap<object, string>();
  const { parse, execute, query } = connectionProto;
  connectionProto.parse = function (this: object, config: unknown) {
    if (recorder) pgParsed.set(this, (config as { text?: string }).text ?? "(unknown)");
    return parse.call(this, config);
  };
  connectionProto.execute = function (this: object, config: unknown) {
    recorder?.statements.push({ sql: pgParsed.get(this) ?? "(prepared statement)" });
    return execute.call(this, config);
  };
  connectionProto.query = function (this: object, text: unknown) {
    recorder?.statements.push({ sql: String(text) });
    return query.call(this, text);
  };
}

/**
 * The SQL statements `work` sends to the database, in the order they were sent. Only one
 * recording at a time (tests in a file run one after another).
 */
export async function recordWire(work: () => Promise<unknown>): Promise<WireStatement[]> {
  install();
  if (recorder) throw new Error("recordWire does not nest");
  const current: Recorder = { statements: [] };
  recorder = current;
  try {
    await work();
  } finally {
    recorder = null;
  }
  return current.statements;
}

/** How many SQL statements `work` sends to the database. */
export async function countWire(work: () => Promise<unknown>): Promise<number> {
  return (await recordWire(work)).length;
}
