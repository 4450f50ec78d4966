import http from "node:http";
import type { AddressInfo } from "node:net";

// A local webhook receiver for tests: records every request (headers and raw body) and
// answers with what `respond` says (200 unless told otherwise).

export type Received = { headers: http.IncomingHttpHeaders; body: string; at: number };

export async function startReceiver(port = 0, respond: (count: number, request: Received) => number = () => 200) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      received.push(request);
      res.statusCode = respond(received.length, request);
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
