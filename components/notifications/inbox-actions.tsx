"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "@/lib/i18n/client";
import { useActionState, useEffect, useTransition } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { markAllNotificationsReadAction, markNotificationReadAction } from "@/lib/actions/notifications";
import type { ActionResult } from "@/lib/server/action";
import { announceNotificationsChanged } from "./events";

const button = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-60";

/** Follows a notification's link; an unread one is marked read first. Without JavaScript, a plain link. */
export function OpenNotificationLink({ notificationId, href, unread, label }: { notificationId: string; href: string; unread: boolean; label: string }) {
  const t = useTranslations("notifications");
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Link
      href={href}
      aria-label={`${t("open")}: ${label}`}
      aria-disabled={pending || undefined}
      className="font-medium text-blue-800 underline underline-offset-2 hover:text-blue-950"
      onClick={(event) => {
        if (!unread || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        start(async () => {
          const form = new FormData();
          form.set("notificationId", notificationId);
          await markNotificationReadAction(undefined, form);
          announceNotificationsChanged();
          router.push(href);
        });
      }}
    >
      {t("open")}
    </Link>
  );
}

export function MarkReadButton({ notificationId, label }: { notificationId: string; label: string }) {
  const t = useTranslations("notifications");
  const [state, act, pending] = useActionState<ActionResult | undefined, FormData>(markNotificationReadAction, undefined);
  useEffect(() => {
    if (state?.ok) announceNotificationsChanged();
  }, [state]);
  return (
    <form action={act} className="flex flex-col gap-1">
      <input type="hidden" name="notificationId" value={notificationId} />
      <button type="submit" disabled={pending} aria-label={`${t("markRead")}: ${label}`} className={button}>
        {t("markRead")}
      </button>
      {state && !state.ok ? <FormStatus state={state} /> : null}
    </form>
  );
}

export function MarkAllReadButton() {
  const t = useTranslations("notifications");
  const [state, act, pending] = useActionState<ActionResult | undefined, FormData>(markAllNotificationsReadAction, undefined);
  useEffect(() => {
    if (state?.ok) announceNotificationsChanged();
  }, [state]);
  return (
    <form action={act} className="flex flex-wrap items-center justify-end gap-3">
      <FormStatus state={state} />
      <button type="submit" disabled={pending} className={button}>
        {t("markAllRead")}
      </button>
    </form>
  );
}
