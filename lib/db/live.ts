import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { resolveDbTarget } from "./target";

// Live updates: every audit event is announced on one Postgres channel from inside its
// own transaction (`recordAudit` runs `pg_notify`), so the announcement is delivered only
// when the transaction commits, and to every instance listening on the database. Each
// process keeps ONE listening connection, shared by all its open streams; a stream is
// woken with the rollout's id and the event's sequence number only, and reads what its
// reader may see from the database itself (so nothing is missed across reconnects).
// The embedded database (PGlite) delivers the same notifications in-process.

export const LIVE_CHANNEL = "greenlight_events";

export type LiveSource = { kind: "postgres"; url: string } | { kind: "pglite"; pglite: PGlite };

/** A wake-up: a rollout's new event, or `null` rollout = "the connection was lost and is back: catch up". */
export type LiveSignal = { rolloutId: string | null; seq: number };
type Listener = (signal: LiveSignal) => void;

type Hub = {
  source: LiveSource;
  listeners: Map<string, Set<Listener>>;
  started: boolean;
  stop(): Promise<void>;
};

const globalForLive = globalThis as unknown as { greenlightLiveHub?: Hub; greenlightLiveSource?: LiveSource };

/** Parses a notification's payload (`<rolloutId>:<seq>`); anything else is ignored. */
export function parseLivePayload(payload: string | undefined): LiveSignal | null {
  const match = /^([A-Za-z0-9_-]{1,64}):(\d{1,12})$/.exec(payload ?? "");
  return match ? { rolloutId: match[1], seq: Number(match[2]) } : null;
}

/**
 * Where the process listens: set by the database client factory when it opens an embedded
 * database (or by tests); otherwise the Postgres server of DATABASE_URL.
 */
export function setLiveSource(source: LiveSource | undefined): void {
  const hub = globalForLive.greenlightLiveHub;
  globalForLive.greenlightLiveSource = source;
  if (hub && (!source || hub.source !== source)) {
    globalForLive.greenlightLiveHub = undefined;
    void hub.stop();
  }
}

function currentSource(): LiveSource | null {
  if (globalForLive.greenlightLiveSource) return globalForLive.greenlightLiveSource;
  const target = resolveDbTarget();
  return target.kind === "postgres" ? { kind: "postgres", url: target.url } : null;
}

function dispatch(hub: Hub, signal: LiveSignal) {
  const targets = signal.rolloutId === null ? [...hub.listeners.values()] : [hub.listeners.get(signal.rolloutId) ?? new Set<Listener>()];
  for (const set of targets) for (const listener of set) listener(signal);
}

function createHub(source: LiveSource): Hub {
  const hub: Hub = { source, listeners: new Map(), started: false, stop: async () => {} };
  let stopped = false;
  if (source.kind === "pglite") {
    const unlisten = source.pglite.listen(LIVE_CHANNEL, (payload) => {
      const signal = parseLivePayload(payload);
      if (signal) dispatch(hub, signal);
    });
    hub.stop = async () => {
      stopped = true;
      await (await unlisten)();
    };
    return hub;
  }
  // One client with LISTEN; when it drops, reconnect with backoff and tell every stream to
  // catch up from the database (notifications sent meanwhile were not received).
  let client: pg.Client | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connect = async () => {
    if (stopped) return;
    const next = new pg.Client({ connectionString: source.url });
    next.on("notification", (message) => {
      const signal = message.channel === LIVE_CHANNEL ? parseLivePayload(message.payload) : null;
      if (signal) dispatch(hub, signal);
    });
    const retry = () => {
      if (stopped || client !== next) return;
      client = null;
      next.removeAllListeners("end");
      void next.end().catch(() => {});
      timer = setTimeout(() => void connect(), Math.min(30_000, 500 * 2 ** attempt++));
    };
    next.on("error", retry);
    next.on("end", retry);
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${LIVE_CHANNEL}`);
      if (attempt > 0) dispatch(hub, { rolloutId: null, seq: 0 });
      attempt = 0;
    } catch {
      retry();
    }
  };
  void connect();
  hub.stop = async () => {
    stopped = true;
    clearTimeout(timer);
    const last = client;
    client = null;
    await last?.end().catch(() => {});
  };
  return hub;
}

/**
 * Calls `listener` for every event committed in the rollout (on any instance). Returns the
 * unsubscribe function. Without a source to listen on, the streams still catch up on their
 * heartbeat.
 */
export function subscribeToRollout(rolloutId: string, listener: Listener): () => void {
  let hub = globalForLive.greenlightLiveHub;
  if (!hub) {
    const source = currentSource();
    if (!source) return () => {};
    hub = createHub(source);
    globalForLive.greenlightLiveHub = hub;
  }
  const set = hub.listeners.get(rolloutId) ?? new Set<Listener>();
  set.add(listener);
  hub.listeners.set(rolloutId, set);
  const owner = hub;
  return () => {
    set.delete(listener);
    if (set.size === 0 && owner.listeners.get(rolloutId) === set) owner.listeners.delete(rolloutId);
  };
}

/** How many streams listen in this process (for tests and metrics). */
export function liveListenerCount(): number {
  let count = 0;
  for (const set of globalForLive.greenlightLiveHub?.listeners.values() ?? []) count += set.size;
  return count;
}
