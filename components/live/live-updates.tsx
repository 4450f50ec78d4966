"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { announceNotificationsChanged } from "@/components/notifications/events";

/** Re-render the page this long after the last event of a burst (one refresh for ten ticks). */
const DEBOUNCE_MS = 300;
const MAX_BACKOFF_MS = 30_000;

/**
 * Follows the rollout's events (Server-Sent Events, `/api/r/<slug>/events`) and refreshes
 * the page's server components when something changed. Client state survives a refresh:
 * what someone is typing stays. The browser reconnects a dropped stream by itself (sending
 * Last-Event-ID, so nothing is missed); a stream the server closed is reopened here with
 * backoff, from the last event seen.
 *
 * A refresh is made only while the stream is connected and the browser is online: Next
 * answers a refresh that cannot reach the server with a full navigation, which would
 * replace the page (and what is being typed) with the browser's error page. Offline, the
 * stream is closed; back online, it reopens after the last event seen and the page
 * catches up.
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
    // Events arrived but the page could not be refreshed then: refresh once reconnected.
    let stale = false;
    const connected = () => navigator.onLine && source?.readyState === EventSource.OPEN;
    const refresh = () => {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => {
        stale = !connected();
        if (stale) return;
        router.refresh();
        // A change may have told this person something: the bell counts again.
        announceNotificationsChanged();
      }, DEBOUNCE_MS);
    };
    const close = () => {
      clearTimeout(reopenTimer);
      source?.close();
      source = null;
    };
    const open = () => {
      if (stopped || !navigator.onLine) return;
      close();
      const query = lastId ? `after=${encodeURIComponent(lastId)}` : `since=${renderedAt.current}`;
      const current = new EventSource(`/api/r/${encodeURIComponent(slug)}/events?${query}`);
      source = current;
      current.addEventListener("ready", (event) => {
        attempt = 0;
        lastId = (event as MessageEvent).lastEventId || lastId;
        if (stale) refresh();
      });
      current.addEventListener("change", (event) => {
        lastId = (event as MessageEvent).lastEventId || lastId;
        refresh();
      });
      current.onerror = () => {
        // CONNECTING: the browser retries by itself. CLOSED: it gave up (an error status).
        if (current.readyState !== EventSource.CLOSED || source !== current) return;
        close();
        reopenTimer = setTimeout(open, Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt++));
      };
    };
    const offline = () => close();
    const online = () => open();
    window.addEventListener("offline", offline);
    window.addEventListener("online", online);
    open();
    return () => {
      stopped = true;
      window.removeEventListener("offline", offline);
      window.removeEventListener("online", online);
      clearTimeout(refreshTimer);
      close();
    };
  }, [slug, router]);
  return null;
}
