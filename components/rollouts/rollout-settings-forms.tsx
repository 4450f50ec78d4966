"use client";

import { useTranslations } from "@/lib/i18n/client";
import Link from "next/link";
import { useActionState } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { saveAsTemplateAction, setArchivedAction } from "@/lib/actions/rollouts";
import type { ActionResult } from "@/lib/server/action";

const input = "w-full rounded-md border border-slate-300 px-3 py-2";

export function SaveAsTemplateForm({ rolloutId, name, slug }: { rolloutId: string; name: string; slug: string }) {
  const t = useTranslations("rollouts");
  const [state, action, pending] = useActionState<ActionResult<{ slug: string }> | undefined, FormData>(saveAsTemplateAction, undefined);
  const errorFor = (field: string) => (state && !state.ok ? state.fieldErrors?.[field]?.[0] : undefined);
  return (
    <form action={action} className="grid gap-3 sm:grid-cols-2" aria-label={t("saveAsTemplate")}>
      <input type="hidden" name="rolloutId" value={rolloutId} />
      {(
        [
          ["name", t("templateName"), t("templateNameDefault", { name })],
          ["slug", t("slug"), `${slug}-template`],
        ] as const
      ).map(([field, label, value]) => (
        <div key={field} className="flex flex-col gap-1">
          <label htmlFor={`template-${field}`} className="text-sm font-medium">{label}</label>
          <input id={`template-${field}`} name={field} defaultValue={value.slice(0, field === "slug" ? 60 : 120)} required className={`${input} ${field === "slug" ? "font-mono" : ""}`} />
          {errorFor(field) ? <p className="text-sm text-red-700">{errorFor(field)}</p> : null}
        </div>
      ))}
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
        <button type="submit" disabled={pending} className="rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold hover:bg-slate-50 disabled:opacity-60">
          {t("saveAsTemplate")}
        </button>
        <FormStatus state={state} />
        {state?.ok && state.data?.slug ? (
          <Link href={`/new?from=${encodeURIComponent(state.data.slug)}`} className="text-sm font-medium text-green-800 underline">
            {t("useTemplate")}
          </Link>
        ) : null}
      </div>
    </form>
  );
}

export function ArchiveForm({ rolloutId, version, archived }: { rolloutId: string; version: number; archived: boolean }) {
  const t = useTranslations("rollouts");
  const [state, action, pending] = useActionState<ActionResult | undefined, FormData>(setArchivedAction, undefined);
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="rolloutId" value={rolloutId} />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="archived" value={archived ? "false" : "true"} />
      <button
        type="submit"
        disabled={pending}
        className={`rounded-md px-4 py-2 font-semibold disabled:opacity-60 ${archived ? "bg-green-700 text-white hover:bg-green-800" : "border border-red-300 bg-white text-red-800 hover:bg-red-50"}`}
      >
        {archived ? t("unarchive") : t("archive")}
      </button>
      <FormStatus state={state} />
    </form>
  );
}
