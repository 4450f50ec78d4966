"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "@/lib/i18n/client";
import { useActionState, useEffect, useId, useState } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { verifyCriterionAction } from "@/lib/actions/workflows";
import type { ActionResult } from "@/lib/server/action";

type Props = {
  criterionId: string;
  /** The version the page showed: a write against an older one is refused as STALE. */
  version: number;
  verified: boolean;
  note: string | null;
  /** The criterion's text, to name the form for assistive technology. */
  text: string;
};

/**
 * Marks a criterion verified (with an optional note) or removes the verification. The
 * permission is checked by the data layer; the page only shows this form to roles the
 * table allows. A refusal because someone else changed the criterion meanwhile (STALE)
 * says so, and the page reloads its data so the person sees the current state; the note
 * they typed is kept.
 */
export function VerifyCriterionForm({ criterionId, version, verified, note, text }: Props) {
  const t = useTranslations("criteria");
  const router = useRouter();
  const id = useId();
  const [draft, setDraft] = useState(note ?? "");
  const [state, action, pending] = useActionState<ActionResult<unknown> | undefined, FormData>(verifyCriterionAction, undefined);
  const stale = state !== undefined && !state.ok && state.code === "STALE";

  useEffect(() => {
    if (stale) router.refresh();
  }, [stale, state, router]);

  const noteError = state && !state.ok ? state.fieldErrors?.note?.[0] : undefined;

  return (
    <form action={action} aria-label={t("formLabel", { text })} className="mt-3 flex flex-col gap-2">
      <input type="hidden" name="criterionId" value={criterionId} />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="verified" value={verified ? "false" : "true"} />
      <label htmlFor={`${id}-note`} className="text-sm font-medium text-slate-700">
        {t("noteLabel")}
      </label>
      <textarea
        id={`${id}-note`}
        name="note"
        rows={2}
        maxLength={2000}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        aria-invalid={noteError ? true : undefined}
        aria-describedby={noteError ? `${id}-note-error` : undefined}
        className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
      />
      {noteError ? (
        <p id={`${id}-note-error`} className="text-sm text-red-700">
          {noteError}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={pending}
          className={
            verified
              ? "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-60"
              : "rounded-md bg-green-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-green-800 disabled:opacity-60"
          }
        >
          {verified ? t("removeVerification") : t("markVerified")}
        </button>
        <div className="min-w-0 flex-1">
          <FormStatus state={state as ActionResult | undefined} />
          {stale ? <p className="text-sm text-slate-700">{t("staleHint")}</p> : null}
        </div>
      </div>
    </form>
  );
}
