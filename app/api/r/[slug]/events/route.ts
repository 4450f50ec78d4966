import { actorFromClaims, getActor, getSessionClaims, type Actor } from "@/lib/auth/session";
import { subscribeToRollout } from "@/lib/db/live";
import { LIVE_BATCH, openLiveFeed, readLiveEvents } from "@/lib/dal/live";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/server/route";
import { isLookupKey } from "@/lib/validation/input";

export const dynamic = "force-dynamic";

/** A comment line this often keeps proxies that buffer or time out idle connections from holding the stream. */
const HEARTBEAT_MS = 15_000;

const encoder = new TextEncoder();

/** A sequence number from Last-Event-ID or `?after=`; anything else is no resume point. */
function seqOf(value: string | null): number | null {
  return value && /^\d{1,12}$/.test(value) ? Number(value) : null;
}

/**
 * Server-Sent Events for open pages of a rollout: `change` with `id:` = the event's
 * sequence number for every event committed in the rollout (on any instance), read from
 * the database after the last one the browser saw, so a reconnect (Last-Event-ID) misses
 * nothing. Members only; a signed-out caller gets 401, anyone else 404, and nothing is
 * streamed to them. A stream ends when its session ends or its reader leaves the rollout.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  let actor: Actor | null = null;
  let feed: { rolloutId: string; afterSeq: number };
  try {
    actor = await getActor();
    if (!actor) throw new AppError("UNAUTHENTICATED", { key: "errors.request.signInFirst" });
    if (!isLookupKey(slug)) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
    const url = new URL(request.url);
    const sinceParam = url.searchParams.get("since");
    const sinceMs = sinceParam && /^\d{1,15}$/.test(sinceParam) ? Number(sinceParam) : null;
    feed = await openLiveFeed(actor, slug, {
      lastSeq: seqOf(request.headers.get("last-event-id")) ?? seqOf(url.searchParams.get("after")),
      since: sinceMs === null ? null : new Date(sinceMs),
    });
  } catch (error) {
    return errorResponse(error, actor);
  }
  const reader = actor;
  const claims = (await getSessionClaims())!;
  const { rolloutId } = feed;
  let last = feed.afterSeq;
  let closed = false;
  let reading = false;
  let again = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let unsubscribe = () => {};

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          // The response is gone (the client left without an abort reaching us): stop here.
          close();
        }
      };
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        request.signal.removeEventListener("abort", close);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      // Reads every event after the last one sent, in order; wake-ups that arrive while a
      // read is under way make it read once more.
      const pump = async () => {
        if (reading) {
          again = true;
          return;
        }
        reading = true;
        try {
          do {
            again = false;
            // The session is checked again on every read: signed out, deactivated, or a
            // role or password change ends the stream, as it ends any request.
            const [session, events] = await Promise.all([actorFromClaims(claims), readLiveEvents(reader, rolloutId, last)]);
            if (session === null || session.id !== reader.id || events === null) return close();
            for (const event of events) {
              send(`id: ${event.seq}\nevent: change\ndata: {"seq":${event.seq}}\n\n`);
              last = event.seq;
            }
            if (events.length === LIVE_BATCH) again = true;
          } while (again && !closed);
        } catch {
          // The database did not answer: the next wake-up or heartbeat reads again.
        } finally {
          reading = false;
        }
      };
      request.signal.addEventListener("abort", close);
      if (request.signal.aborted) return close();
      unsubscribe = subscribeToRollout(rolloutId, (signal) => {
        if (signal.rolloutId === null || signal.seq > last) void pump();
      });
      // Where the feed starts (so a reconnect resumes from here even before any event), then
      // whatever was committed since the page was rendered.
      send(`retry: 2000\nid: ${last}\nevent: ready\ndata: {"seq":${last}}\n\n`);
      void pump();
      heartbeat = setInterval(() => {
        send(": heartbeat\n\n");
        // Also a safety net should a notification have been lost.
        void pump();
      }, HEARTBEAT_MS);
    },
    cancel() {
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
    },
  });

  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform: no compression (which would buffer the stream); X-Accel-Buffering: a
      // buffering reverse proxy passes each event on at once.
      "cache-control": "private, no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
