"use client";

import { useActionState, type ReactNode } from "react";
import { FormStatus } from "@/components/ui/form-status";
import type { ActionResult } from "@/lib/server/action";

type FormAction = (prev: ActionResult<unknown> | undefined, formData: FormData) => Promise<ActionResult<unknown>>;

/**
 * One editor form: its fields come from the server page (children), the outcome is
 * announced beside the button. Without JavaScript the form still posts to its action.
 * `hidden` are the ids and versions the action needs.
 */
export function EditForm({
  action,
  hidden,
  submitLabel,
  tone = "primary",
  className,
  children,
}: {
  action: FormAction;
  hidden: Record<string, string | number>;
  submitLabel: string;
  tone?: "primary" | "secondary" | "danger";
  className?: string;
  children?: ReactNode;
}) {
  const [state, formAction, pending] = useActionState<ActionResult<unknown> | undefined, FormData>(action, undefined);
  const button =
    tone === "danger"
      ? "border border-red-300 bg-white text-red-800 hover:bg-red-50"
      : tone === "secondary"
        ? "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50"
        : "bg-green-700 text-white hover:bg-green-800";
  return (
    <form action={formAction} className={className ?? "flex flex-col gap-2"}>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" disabled={pending} className={`rounded-md px-3 py-1.5 text-sm font-semibold disabled:opacity-60 ${button}`}>
          {submitLabel}
        </button>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
