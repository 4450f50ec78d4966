import http from "node:http";
import type { AddressInfo } from "node:net";
import { shutdownReason } from "@/lib/observe/lifecycle";
import { installHttpObservation } from "@/lib/observe/http";
import { logger } from "@/lib/observe/log";
import { installGracefulShutdown } from "@/lib/observe/shutdown";

// A server with the portal's request hooks and shutdown, for tests/integration/shutdown.test.ts:
// GET /ready answers like the readiness probe (503 while shutting down), GET /slow?ms=N
// answers after N ms. Prints "listening <port>", and the structured log on stdout.

installHttpObservation();
// A listener like the one Next's own server installs: the takeover must remove it.
process.on("SIGTERM", () => logger().error("the previous SIGTERM listener ran"));
installGracefulShutdown({
  async closeDatabase() {
    await new Promise((resolve) => setTimeout(resolve, 50));
    logger().info("test database closed");
  },
});

const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://localhost");
  if (url.pathname === "/ready") {
    const reason = shutdownReason();
    response.statusCode = reason ? 503 : 200;
    response.end(JSON.stringify({ status: reason ? "unavailable" : "ok", reason }));
    return;
  }
  const ms = Number(url.searchParams.get("ms") ?? 0);
  logger().info("slow request arrived");
  setTimeout(() => response.end("done"), ms);
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
