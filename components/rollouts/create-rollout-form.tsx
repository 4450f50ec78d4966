"use client";

import { useTranslations } from "@/lib/i18n/client";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState, type ReactNode } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { createRolloutAction } from "@/lib/actions/rollouts";
import type { ActionResult } from "@/lib/server/action";

const input = "w-full rounded-md border border-slate-300 px-3 py-2";

export type SourceOption = { id: string; name: string; startDate: string; isTemplate: boolean };

/** A suggested address from a name: lower-case words joined by hyphens. */
function slugFrom(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
}

export function CreateRolloutForm({ sources, initialSourceId, today }: { sources: SourceOption[]; initialSourceId: string; today: string }) {
  const t = useTranslations("rollouts");
  const router = useRouter();
  const [state, action, pending] = useActionState<ActionResult<{ slug: string }> | undefined, FormData>(createRolloutAction, undefined);
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [sourceId, setSourceId] = useState(initialSourceId);
  const source = sources.find((s) => s.id === sourceId);
  const errorFor = (field: string) => (state && !state.ok ? state.fieldErrors?.[field]?.[0] : undefined);
  const created = state?.ok ? state.data?.slug : undefined;
  useEffect(() => {
    if (created) router.push(`/r/${created}`);
  }, [created, router]);

  const field = (name: string, label: string, control: ReactNode, hint?: string) => (
    <div className="flex flex-col gap-1">
      <label htmlFor={`rollout-${name}`} className="text-sm font-medium">{label}</label>
      {control}
      {hint ? <p id={`rollout-${name}-hint`} className="text-xs text-slate-600">{hint}</p> : null}
      {errorFor(name) ? <p id={`rollout-${name}-error`} className="text-sm text-red-700">{errorFor(name)}</p> : null}
    </div>
  );
  const described = (name: string, hint = false) =>
    [hint ? `rollout-${name}-hint` : null, errorFor(name) ? `rollout-${name}-error` : null].filter(Boolean).join(" ") || undefined;

  return (
    <form action={action} className="grid gap-4 sm:grid-cols-2">
      <div className="sm:col-span-2">
        {field(
          "sourceId",
          t("startFrom"),
          <select id="rollout-sourceId" name="sourceId" value={sourceId} onChange={(e) => setSourceId(e.target.value)} className={input} aria-describedby={described("sourceId", true)}>
            <option value="">{t("blank")}</option>
            {sources.some((s) => s.isTemplate) ? (
              <optgroup label={t("templates")}>
                {sources.filter((s) => s.isTemplate).map((s) => (
                  <option key={s.id} value={s.id}>{s.name}</option>
                ))}
              </optgroup>
            ) : null}
            {sources.some((s) => !s.isTemplate) ? (
              <optgroup label={t("copyOf")}>
                {sources.filter((s) => !s.isTemplate).map((s) => (
                  <option key={s.id} value={s.id}>{s.name}</option>
                ))}
              </optgroup>
            ) : null}
          </select>,
          source ? t("copyHint", { date: source.startDate }) : t("blankHint"),
        )}
      </div>
      {field(
        "name",
        t("name"),
        <input
          id="rollout-name"
          name="name"
          required
          maxLength={120}
          className={input}
          aria-invalid={errorFor("name") ? true : undefined}
          aria-describedby={described("name")}
          onChange={(e) => {
            if (!slugEdited) setSlug(slugFrom(e.target.value));
          }}
        />,
      )}
      {field(
        "slug",
        t("slug"),
        <input
          id="rollout-slug"
          name="slug"
          required
          value={slug}
          onChange={(e) => {
            setSlug(e.target.value);
            setSlugEdited(true);
          }}
          className={`${input} font-mono`}
          aria-invalid={errorFor("slug") ? true : undefined}
          aria-describedby={described("slug", true)}
        />,
        t("slugHint", { slug }),
      )}
      {field(
        "startDate",
        t("startDate"),
        <input id="rollout-startDate" name="startDate" type="date" required defaultValue={today} className={input} aria-invalid={errorFor("startDate") ? true : undefined} aria-describedby={described("startDate")} />,
      )}
      <div className="sm:col-span-2">
        {field(
          "description",
          t("description"),
          <textarea id="rollout-description" name="description" rows={3} maxLength={2000} className={input} aria-describedby={described("description")} />,
        )}
      </div>
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
        <button type="submit" disabled={pending} className="rounded-md bg-green-700 px-4 py-2 font-semibold text-white hover:bg-green-800 disabled:opacity-60">
          {t("create")}
        </button>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
