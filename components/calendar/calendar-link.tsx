"use client";

import { useTranslations } from "@/lib/i18n/client";
import { useActionState } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { createCalendarTokenAction, revokeCalendarTokenAction } from "@/lib/actions/ledger";
import type { ActionResult } from "@/lib/server/action";

/** The person's secret calendar-feed URL for one rollout: shown once when created, revocable. */
export function CalendarLink({ rolloutId, rolloutName, active }: { rolloutId: string; rolloutName: string; active: boolean }) {
  const t = useTranslations("calendar");
  // One state for both forms, so the message shown is the latest action's.
  const [state, act, pending] = useActionState<{ result: ActionResult; created: boolean } | undefined, FormData>(async (_prev, formData) => {
    const creating = formData.get("$op") === "create";
    formData.delete("$op");
    const result = await (creating ? createCalendarTokenAction : revokeCalendarTokenAction)(undefined, formData);
    return { result, created: creating };
  }, undefined);
  const created = state?.created ? state.result : undefined;
  const [creating, revoking] = [pending, pending];
  const path = created?.ok ? (created.data as { path: string } | undefined)?.path : undefined;
  const url = path && typeof window !== "undefined" ? new URL(path, window.location.origin).toString() : path;
  return (
    <div className="flex flex-col gap-2 rounded-md border border-slate-200 p-3">
      <p className="font-medium">{rolloutName}</p>
      <p className="text-sm text-slate-600">{active ? t("active") : t("none")}</p>
      {url ? (
        <p className="flex flex-col gap-1 text-sm">
          <label htmlFor={`cal-${rolloutId}`}>{t("copy")}</label>
          <input id={`cal-${rolloutId}`} readOnly value={url} className="rounded border border-slate-300 px-2 py-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <form action={act}>
          <input type="hidden" name="$op" value="create" />
          <input type="hidden" name="rolloutId" value={rolloutId} />
          <button type="submit" disabled={creating} className="rounded-md bg-green-700 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-60">
            {active ? t("regenerate") : t("create")}
          </button>
        </form>
        <form action={act}>
          <input type="hidden" name="$op" value="revoke" />
          <input type="hidden" name="rolloutId" value={rolloutId} />
          <button type="submit" disabled={revoking} className="rounded-md border border-red-300 px-3 py-1.5 text-sm font-semibold text-red-800 disabled:opacity-60">
            {t("revoke")}
          </button>
        </form>
      </div>
      <FormStatus state={state?.result} />
    </div>
  );
}
