import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small round-robin HTTP load balancer for the reliability suite: each request goes to
 * the next upstream in turn; an upstream that refuses the connection is skipped for that
 * request (the next one is tried, as a load balancer's passive health check does), and
 * when none answers the client gets 502. It adds one `X-Forwarded-For` hop (the portal
 * runs with GREENLIGHT_TRUSTED_PROXIES=1 behind it) and counts what each upstream served.
 */
export class RoundRobinProxy {
  readonly served: number[];
  private next = 0;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly server = http.createServer((request, response) => void this.forward(request, response));

  constructor(private readonly upstreams: { host: string; port: number }[]) {
    this.served = upstreams.map(() => 0);
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.agent.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async forward(request: http.IncomingMessage, response: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const start = this.next;
    this.next = (this.next + 1) % this.upstreams.length;
    for (let i = 0; i < this.upstreams.length; i++) {
      const index = (start + i) % this.upstreams.length;
      const outcome = await this.attempt(index, request, body, response);
      if (outcome !== "refused") return;
    }
    if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
    response.end("no upstream answered");
  }

  /** "refused": the upstream is not listening (nothing was sent); "done": answered or failed mid-way. */
  private attempt(index: number, request: http.IncomingMessage, body: Buffer, response: http.ServerResponse): Promise<"done" | "refused"> {
    const upstream = this.upstreams[index]!;
    const peer = request.socket.remoteAddress ?? "127.0.0.1";
    const forwardedFor = request.headers["x-forwarded-for"] ? `${request.headers["x-forwarded-for"]}, ${peer}` : peer;
    const headers: http.OutgoingHttpHeaders = { ...request.headers, "x-forwarded-for": forwardedFor, "content-length": String(body.length) };
    delete headers["transfer-encoding"];
    return new Promise((resolve) => {
      const outgoing = http.request(
        {
          host: upstream.host,
          port: upstream.port,
          method: request.method,
          path: request.url,
          agent: this.agent,
          headers,
        },
        (answer) => {
          this.served[index]!++;
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
          answer.on("end", () => resolve("done"));
          answer.on("error", () => {
            response.destroy();
            resolve("done");
          });
        },
      );
      outgoing.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ECONNREFUSED") return resolve("refused");
        // The upstream died with the request sent: the client must not assume anything.
        if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
        response.end("upstream failed");
        resolve("done");
      });
      outgoing.end(body);
    });
  }
}
