"use client";

import { useTranslations } from "@/lib/i18n/client";
import { useKeptAction } from "@/components/ui/use-kept-action";
import { transitionPhaseAction } from "@/lib/actions/workflows";
import type { Transition } from "@/lib/domain/phase";

/** The phase changes the person may make now; the server checks each again. */
export function PhaseActions({
  phaseId,
  version,
  available,
  gateOpen,
  canOverride,
}: {
  phaseId: string;
  version: number;
  available: Transition[];
  gateOpen: boolean;
  canOverride: boolean;
}) {
  const t = useTranslations("phase");
  const { state, dispatch: action, pending, kept } = useKeptAction(transitionPhaseAction);
  const { state: overrideState, dispatch: overrideAction, pending: overriding, kept: keptOverride } = useKeptAction(transitionPhaseAction);
  if (available.length === 0) return null;
  const showOverride = canOverride && available.includes("complete") && !gateOpen;
  return (
    <div className="flex flex-col gap-4">
      <form action={action} className="flex flex-col gap-2">
        <input type="hidden" name="phaseId" value={phaseId} />
        <input type="hidden" name="version" value={version} />
        <label htmlFor={`reason-${phaseId}`} className="text-sm font-medium">{t("reason")}</label>
        <input id={`reason-${phaseId}`} name="reason" defaultValue={kept("reason")} className="rounded border border-slate-300 px-2 py-1 text-sm" />
        <div className="flex flex-wrap gap-2">
          {available.map((transition) => (
            <button
              key={transition}
              type="submit"
              name="transition"
              value={transition}
              disabled={pending}
              className={`rounded-md px-3 py-1.5 text-sm font-semibold ${transition === "complete" ? "bg-green-700 text-white hover:bg-green-800" : "border border-slate-300 hover:bg-slate-50"} disabled:opacity-60`}
            >
              {t(`transition.${transition}`)}
            </button>
          ))}
        </div>
        <p role="status" aria-live="polite" className={`text-sm ${state && !state.ok ? "text-red-700" : "text-green-800"}`}>
          {state?.message ?? null}
        </p>
      </form>
      {showOverride ? (
        <form action={overrideAction} className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3">
          <input type="hidden" name="phaseId" value={phaseId} />
          <input type="hidden" name="version" value={version} />
          <input type="hidden" name="transition" value="complete" />
          <input type="hidden" name="override" value="true" />
          <label htmlFor={`override-${phaseId}`} className="text-sm font-medium text-amber-900">{t("overrideReason")}</label>
          <input id={`override-${phaseId}`} name="reason" required defaultValue={keptOverride("reason")} className="rounded border border-amber-400 px-2 py-1 text-sm" />
          <button type="submit" disabled={overriding} className="self-start rounded-md border border-amber-600 px-3 py-1.5 text-sm font-semibold text-amber-900 hover:bg-amber-100 disabled:opacity-60">
            {t("override")}
          </button>
          <p role="status" aria-live="polite" className={`text-sm ${overrideState && !overrideState.ok ? "text-red-700" : "text-green-800"}`}>
            {overrideState?.message ?? null}
          </p>
        </form>
      ) : null}
    </div>
  );
}
