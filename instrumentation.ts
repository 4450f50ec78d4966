// Runs once when the server starts. Stamps each request with the address of the socket
// it arrived on, which route handlers cannot otherwise learn (sign-in throttling needs it).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installPeerStamp } = await import("./lib/auth/peer-stamp");
    installPeerStamp();
  }
}
