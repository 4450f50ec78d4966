"use client";

import { useTranslations } from "@/lib/i18n/client";
import { useActionState } from "react";
import { markReadAction } from "@/lib/actions/workflows";
import type { ActionResult } from "@/lib/server/action";

/** Marks one reading-list entry read or unread; `describedBy` may name the list it is on. */
export function MarkReadButton({ entryId, read, title, describedBy }: { entryId: string; read: boolean; title: string; describedBy?: string }) {
  const t = useTranslations("reading");
  const [state, action, pending] = useActionState<ActionResult<unknown> | undefined, FormData>(markReadAction, undefined);
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <input type="hidden" name="entryId" value={entryId} />
      <input type="hidden" name="read" value={read ? "false" : "true"} />
      <button
        type="submit"
        disabled={pending}
        aria-label={read ? t("markUnreadTitle", { title }) : t("markReadTitle", { title })}
        aria-describedby={describedBy}
        className={`rounded px-2 py-0.5 text-xs font-medium ${read ? "border border-slate-300 text-slate-700 hover:bg-slate-50" : "bg-green-700 text-white hover:bg-green-800"}`}
      >
        {read ? t("markUnread") : t("markRead")}
      </button>
      <span role="status" aria-live="polite" className={`text-xs ${state && !state.ok ? "text-red-700" : "text-slate-600"}`}>
        {state && !state.ok ? state.message : null}
      </span>
    </form>
  );
}
