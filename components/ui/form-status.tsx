import type { ActionResult } from "@/lib/server/action";

/** The outcome of a form's last submission, announced to screen readers. */
export function FormStatus({ state, id }: { state: ActionResult | undefined; id?: string }) {
  return (
    <p id={id} role="status" aria-live="polite" className={`min-h-5 text-sm ${state && !state.ok ? "text-red-700" : "text-green-800"}`}>
      {state?.message ?? null}
    </p>
  );
}
