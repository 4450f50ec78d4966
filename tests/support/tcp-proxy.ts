import net from "node:net";

/**
 * A TCP proxy a test controls, to cause real database outages: `up` forwards bytes to
 * the target; `down` drops every open connection and every new one at once (the server
 * vanished); `silent` accepts connections and never answers (a hung network). With no
 * target it is always `down` or `silent`: an address where no database ever answers.
 */
export type ProxyMode = "up" | "down" | "silent";

export class TcpProxy {
  private server = net.createServer((client) => this.accept(client));
  private sockets = new Set<net.Socket>();
  private mode: ProxyMode;

  constructor(private readonly target: { host: string; port: number } | null, mode: ProxyMode = target ? "up" : "down") {
    this.mode = mode;
  }

  /** Starts listening on a free port of 127.0.0.1 and returns it. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => resolve());
    });
    return (this.server.address() as net.AddressInfo).port;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  set(mode: ProxyMode): void {
    if (mode === "up" && !this.target) throw new Error("A proxy without a target cannot be up.");
    this.mode = mode;
    if (mode !== "up") for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: net.Socket) {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  }

  private accept(client: net.Socket) {
    if (this.mode === "down") {
      client.destroy();
      return;
    }
    this.track(client);
    if (this.mode === "silent" || !this.target) return;
    const upstream = net.connect(this.target.port, this.target.host);
    this.track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  }
}
