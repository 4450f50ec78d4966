"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "@/lib/i18n/client";
import { useEffect, useState } from "react";
import { NOTIFICATIONS_CHANGED } from "./events";

/**
 * The bell in the header, with the unread count. The count is fetched by the browser
 * (`/api/notifications/unread`), so no page spends a statement on it; it is fetched again
 * on every navigation, when the tab comes back into view, and whenever the live stream
 * or the inbox says something changed.
 */
export function NotificationBell() {
  const t = useTranslations("header");
  const pathname = usePathname();
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    let latest = 0;
    const load = async () => {
      const asked = ++latest;
      try {
        const response = await fetch("/api/notifications/unread", { cache: "no-store" });
        if (!response.ok) return;
        const body = (await response.json()) as { unread?: unknown };
        if (asked === latest && typeof body.unread === "number") setUnread(body.unread);
      } catch {
        // Offline or the server is away: keep the last count, the next event refetches.
      }
    };
    const visible = () => {
      if (document.visibilityState === "visible") void load();
    };
    void load();
    window.addEventListener(NOTIFICATIONS_CHANGED, load);
    document.addEventListener("visibilitychange", visible);
    return () => {
      latest = -1;
      window.removeEventListener(NOTIFICATIONS_CHANGED, load);
      document.removeEventListener("visibilitychange", visible);
    };
  }, [pathname]);
  const count = unread ?? 0;
  return (
    <Link
      href="/notifications"
      aria-label={unread === null ? t("notifications") : t("notificationsUnread", { count })}
      title={t("notifications")}
      data-testid="notification-bell"
      className="relative inline-flex h-8 w-8 items-center justify-center rounded-full text-slate-200 hover:bg-slate-700 hover:text-white"
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {count > 0 ? (
        <span data-testid="notification-count" className="absolute -right-1 -top-1 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-bold leading-5 text-white">
          {count > 99 ? "99+" : count}
        </span>
      ) : null}
    </Link>
  );
}
