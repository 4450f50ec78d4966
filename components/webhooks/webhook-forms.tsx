"use client";

import { useTranslations } from "@/lib/i18n/client";
import { useActionState } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { createWebhookAction, deleteWebhookAction, disableWebhookAction, enableWebhookAction, resendDeliveryAction } from "@/lib/actions/webhooks";
import type { ActionResult } from "@/lib/server/action";

/** Adds a webhook endpoint to the rollout; its signing secret is shown once. */
export function CreateWebhookForm({ rolloutId }: { rolloutId: string }) {
  const t = useTranslations("webhooks");
  const [state, act, pending] = useActionState<ActionResult | undefined, FormData>(createWebhookAction, undefined);
  const secret = state?.ok ? (state.data as { secret?: string } | undefined)?.secret : undefined;
  return (
    <form action={act} className="flex flex-col gap-3">
      <input type="hidden" name="rolloutId" value={rolloutId} />
      <label className="flex flex-col gap-1 text-sm">
        {t("url")}
        <input name="url" type="url" required maxLength={2000} placeholder="https://" className="rounded border border-slate-300 px-2 py-1" />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        {t("events")}
        <input name="events" maxLength={2000} aria-describedby="webhook-events-hint" className="rounded border border-slate-300 px-2 py-1 font-mono text-xs" />
        <span id="webhook-events-hint" className="text-xs text-slate-600">
          {t("eventsHint")}
        </span>
      </label>
      <div className="flex flex-wrap gap-x-5 gap-y-1 text-sm">
        <label className="flex items-center gap-2">
          <input type="checkbox" name="allEvents" /> {t("allEvents")}
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="slack" /> {t("slack")}
        </label>
      </div>
      <div>
        <button type="submit" disabled={pending} className="rounded-md bg-green-700 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-60">
          {t("create")}
        </button>
      </div>
      {secret ? (
        <p className="flex flex-col gap-1 text-sm">
          <label htmlFor="webhook-new-secret">{t("secret")}</label>
          <input id="webhook-new-secret" readOnly value={secret} className="rounded border border-slate-300 px-2 py-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        </p>
      ) : null}
      <FormStatus state={state} />
    </form>
  );
}

const ACTIONS = { delete: deleteWebhookAction, disable: disableWebhookAction, enable: enableWebhookAction, resend: resendDeliveryAction } as const;

/** One button: delete, disable or enable an endpoint, or send a delivery again. */
export function WebhookButton({ kind, rolloutId, id, label }: { kind: keyof typeof ACTIONS; rolloutId: string; id: string; label: string }) {
  const t = useTranslations("webhooks");
  const [state, act, pending] = useActionState<ActionResult | undefined, FormData>(ACTIONS[kind], undefined);
  const danger = kind === "delete";
  return (
    <form action={act} className="flex flex-col gap-1">
      <input type="hidden" name="rolloutId" value={rolloutId} />
      <input type="hidden" name={kind === "resend" ? "deliveryId" : "webhookId"} value={id} />
      <button
        type="submit"
        disabled={pending}
        aria-label={`${t(kind)}: ${label}`}
        className={`rounded-md border px-2 py-1 text-xs font-semibold disabled:opacity-60 ${danger ? "border-red-300 text-red-800" : "border-slate-300 text-slate-800"}`}
      >
        {t(kind)}
      </button>
      {state && !state.ok ? <FormStatus state={state} /> : null}
    </form>
  );
}
