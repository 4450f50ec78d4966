// Runs once when the server starts. Stamps each request with the address of the socket
// it arrived on, which route handlers cannot otherwise learn (sign-in throttling needs it),
// follows each request for its id, log line and metrics (lib/observe/http.ts), and in
// production takes SIGTERM over for a graceful shutdown (lib/observe/shutdown.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installPeerStamp } = await import("./lib/auth/peer-stamp");
    installPeerStamp();
    const { installHttpObservation } = await import("./lib/observe/http");
    installHttpObservation();
    if (process.env.NODE_ENV === "production") {
      const { installGracefulShutdown } = await import("./lib/observe/shutdown");
      const { closeDb } = await import("./lib/db/client");
      installGracefulShutdown({ closeDatabase: closeDb });
    }
  }
}
