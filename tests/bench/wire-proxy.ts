import { createServer, connect, type Server, type Socket } from "node:net";
import { LOOPBACK } from "./helpers";

// A TCP proxy between the benchmark's server and Postgres that counts, on the wire, the
// messages the server sends: every Execute (a statement of the extended protocol: Prisma's
// queries) and every simple Query (BEGIN, COMMIT, scripts), the same two messages the
// integration tests' wire counter counts (tests/integration/helpers/wire.ts). Nothing above
// the socket can hide a statement from it: the session check, the membership lookup, an
// `include` that becomes a second SELECT and a transaction's BEGIN/COMMIT all pass here.
// It also counts Parse messages and Bind parameters (a statement with 5,000 bind
// parameters is one statement, but not a cheap one).
//
// The proxy reads the messages only; bytes pass through unchanged, both ways. TLS would
// hide the messages, so the server must connect without it (the default on loopback).

const PARSE = 0x50; // 'P'
const BIND = 0x42; // 'B'
const EXECUTE = 0x45; // 'E'
const QUERY = 0x51; // 'Q'
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export type WireCounts = { statements: number; parses: number; bindParameters: number; maxBindParameters: number };

export class WireProxy {
  readonly counts: WireCounts = { statements: 0, parses: 0, bindParameters: 0, maxBindParameters: 0 };
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** When a message last went through: the benchmark waits for the wire to fall quiet. */
  lastMessageAt = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** Listens on a free loopback port and returns it. */
  async start(): Promise<number> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, LOOPBACK, () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("The wire proxy has no port.");
    return address.port;
  }

  snapshot(): WireCounts {
    return { ...this.counts };
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket) {
    const upstream = connect(this.target.port, this.target.host);
    // Forward each chunk at once, as the driver's own socket does (pg sets TCP_NODELAY): with
    // Nagle's algorithm on, a small chunk written while a larger one is unacknowledged waits
    // for the peer's delayed ACK (40 ms on Linux), a wait no page has without the proxy.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    this.sockets.add(client).add(upstream);
    const parser = new FrontendParser((type, body) => this.observe(type, body));
    client.on("data", (chunk) => {
      parser.push(chunk);
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => client.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on("close", close).on("error", close);
    upstream.on("close", close).on("error", close);
  }

  private observe(type: number, body: Buffer) {
    this.lastMessageAt = Date.now();
    if (type === EXECUTE || type === QUERY) this.counts.statements++;
    else if (type === PARSE) this.counts.parses++;
    else if (type === BIND) {
      // Bind: portal name, statement name (C strings), format codes (int16 n, n × int16),
      // then the parameter count (int16).
      let at = body.indexOf(0) + 1;
      at = body.indexOf(0, at) + 1;
      const formats = body.readInt16BE(at);
      at += 2 + 2 * formats;
      const parameters = body.readInt16BE(at) & 0xffff;
      this.counts.bindParameters += parameters;
      this.counts.maxBindParameters = Math.max(this.counts.maxBindParameters, parameters);
    }
  }
}

/**
 * Splits the client's byte stream into protocol messages. The first message (startup, or an
 * SSL/GSS encryption request that the server declines before the startup follows) has no
 * type byte; every later one is a type byte and an int32 length that counts itself.
 */
export class FrontendParser {
  private pending: Buffer = Buffer.alloc(0);
  private untyped = true;

  constructor(private readonly onMessage: (type: number, body: Buffer) => void) {}

  push(chunk: Buffer) {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    for (;;) {
      if (this.untyped) {
        if (this.pending.length - at < 8) break;
        const length = this.pending.readInt32BE(at);
        if (this.pending.length - at < length) break;
        const code = this.pending.readInt32BE(at + 4);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) this.untyped = false;
        at += length;
        continue;
      }
      if (this.pending.length - at < 5) break;
      const length = this.pending.readInt32BE(at + 1);
      if (this.pending.length - at < 1 + length) break;
      this.onMessage(this.pending[at], this.pending.subarray(at + 5, at + 1 + length));
      at += 1 + length;
    }
    this.pending = at === this.pending.length ? Buffer.alloc(0) : Buffer.from(this.pending.subarray(at));
  }
}
