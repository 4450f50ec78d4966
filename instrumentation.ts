// Runs once when the server starts. Stamps each request with the address of the socket
// it arrived on, which route handlers cannot otherwise learn (sign-in throttling needs it),
// follows each request for its id, log line and metrics (lib/observe/http.ts), and in
// production takes SIGTERM over; starts the webhook delivery worker, the email worker and the reminders scheduler for a graceful shutdown (lib/observe/shutdown.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installPeerStamp } = await import("./lib/auth/peer-stamp");
    installPeerStamp();
    const { installHttpObservation } = await import("./lib/observe/http");
    installHttpObservation();
    // The webhook delivery worker runs in every instance (lib/webhooks/worker.ts).
    const { getDb, closeDb } = await import("./lib/db/client");
    const { startWebhookWorker, stopWebhookWorker } = await import("./lib/webhooks/worker");
    if (process.env.GREENLIGHT_WEBHOOKS_WORKER !== "0") startWebhookWorker(getDb);
    // The email worker (when SMTP is set) and the reminders/digest scheduler also run in
    // every instance; the outbox rows and reminder keys make each email and reminder once.
    const { emailEnabled } = await import("./lib/email/config");
    const { startEmailWorker, stopEmailWorker } = await import("./lib/email/worker");
    const { startScheduler, stopScheduler } = await import("./lib/notifications/scheduler");
    if (emailEnabled() && process.env.GREENLIGHT_EMAIL_WORKER !== "0") startEmailWorker(getDb);
    if (process.env.GREENLIGHT_SCHEDULER !== "0") startScheduler(getDb);
    if (process.env.NODE_ENV === "production") {
      const { installGracefulShutdown } = await import("./lib/observe/shutdown");
      // The workers stop (their sends in progress finish) before the database closes.
      installGracefulShutdown({ closeDatabase: async () => { await Promise.all([stopWebhookWorker(), stopEmailWorker(), stopScheduler()]); await closeDb(); } });
    }
  }
}
