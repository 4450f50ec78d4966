"use client";

import { useTranslations } from "@/lib/i18n/client";
import { FormStatus } from "@/components/ui/form-status";
import { useKeptAction } from "@/components/ui/use-kept-action";
import { checkDigestAction } from "@/lib/actions/ledger";

export function CheckDigestForm({ rolloutId }: { rolloutId: string }) {
  const t = useTranslations("ledger");
  const { state, dispatch: action, pending, kept } = useKeptAction(checkDigestAction);
  return (
    <form action={action} className="flex flex-col gap-2">
      <input type="hidden" name="rolloutId" value={rolloutId} />
      <label htmlFor="digest" className="text-sm font-medium">{t("pasteDigest")}</label>
      <textarea id="digest" name="digest" rows={3} required defaultValue={kept("digest")} className="rounded border border-slate-300 px-2 py-1 font-mono text-xs" />
      <button type="submit" disabled={pending} className="self-start rounded-md bg-slate-800 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-60">
        {t("check")}
      </button>
      <FormStatus state={state} />
    </form>
  );
}
