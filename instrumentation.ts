// Runs once when the server starts. Stamps each request with the address of the socket
// it arrived on, which route handlers cannot otherwise learn (sign-in throttling needs it),
// and follows each request for its id, log line and metrics (lib/observe/http.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installPeerStamp } = await import("./lib/auth/peer-stamp");
    installPeerStamp();
    const { installHttpObservation } = await import("./lib/observe/http");
    installHttpObservation();
  }
}
