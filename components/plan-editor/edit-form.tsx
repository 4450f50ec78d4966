"use client";

import { startTransition, useActionState, useEffect, useRef, type FormEvent, type ReactNode } from "react";
import { FormStatus } from "@/components/ui/form-status";
import type { ActionResult } from "@/lib/server/action";

type FormAction = (prev: ActionResult<unknown> | undefined, formData: FormData) => Promise<ActionResult<unknown>>;

/**
 * One editor form: its fields come from the server page (children), the outcome is
 * announced beside the button. Without JavaScript the form still posts to its action.
 * `hidden` are the ids and versions the action needs.
 *
 * With JavaScript the submission is dispatched by hand rather than through the form's
 * action, because React resets a form's fields once its action finishes: a refused edit
 * (bad input, a stale version) would wipe what the person typed. Here the fields keep it
 * after a refusal and return to their defaults after a success (an "add" form empties).
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
  const form = useRef<HTMLFormElement>(null);
  // The server action itself (not a wrapper), so that without JavaScript the form still posts to it.
  const [state, formAction, pending] = useActionState<ActionResult<unknown> | undefined, FormData>(action, undefined);
  useEffect(() => {
    if (state?.ok) form.current?.reset();
  }, [state]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    startTransition(() => formAction(formData));
  };
  const button =
    tone === "danger"
      ? "border border-red-300 bg-white text-red-800 hover:bg-red-50"
      : tone === "secondary"
        ? "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50"
        : "bg-green-700 text-white hover:bg-green-800";
  return (
    <form ref={form} action={formAction} onSubmit={submit} className={className ?? "flex flex-col gap-2"}>
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
