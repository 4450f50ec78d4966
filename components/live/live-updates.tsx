"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

/** Re-render the page this long after the last event of a burst (one refresh for ten ticks). */
const DEBOUNCE_MS = 300;
const MAX_BACKOFF_MS = 30_000;

/**
 * Follows the rollout's events (Server-Sent Events, `/api/r/<slug>/events`) and refreshes
 * the page's server components when something changed. Client state survives a refresh:
 * what someone is typing stays. The browser reconnects a dropped stream by itself (sending
 * Last-Event-ID, so nothing is missed); a stream the server closed is reopened here with
 * backoff, from the last event seen.
 */
export function LiveUpdates({ slug, since }: { slug: string; since: number }) {
  const router = useRouter();
  // The render time of the first page: later refreshes must not reopen the stream.
  const renderedAt = useRef(since);
  useEffect(() => {
    let source: EventSource | null = null;
    let lastId: string | null = null;
    let attempt = 0;
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    let reopenTimer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const refresh = () => {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => router.refresh(), DEBOUNCE_MS);
    };
    const open = () => {
      if (stopped) return;
      const query = lastId ? `after=${encodeURIComponent(lastId)}` : `since=${renderedAt.current}`;
      const current = new EventSource(`/api/r/${encodeURIComponent(slug)}/events?${query}`);
      source = current;
      current.addEventListener("ready", (event) => {
        attempt = 0;
        lastId = (event as MessageEvent).lastEventId || lastId;
      });
      current.addEventListener("change", (event) => {
        lastId = (event as MessageEvent).lastEventId || lastId;
        refresh();
      });
      current.onerror = () => {
        // CONNECTING: the browser retries by itself. CLOSED: it gave up (an error status).
        if (current.readyState !== EventSource.CLOSED) return;
        current.close();
        const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt++);
        reopenTimer = setTimeout(open, delay);
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(refreshTimer);
      clearTimeout(reopenTimer);
      source?.close();
    };
  }, [slug, router]);
  return null;
}
