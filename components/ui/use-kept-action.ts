"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/server/action";

type FormAction = (prev: ActionResult<unknown> | undefined, formData: FormData) => Promise<ActionResult<unknown>>;
type Kept = { result: ActionResult<unknown>; sent?: FormData };

/**
 * `useActionState` for a form whose typed input must survive a failed submission. React
 * resets a form's uncontrolled fields once its action finishes; after a failure (a
 * refusal, the database being down) the fields' defaults become what was sent, so the
 * reset puts the person's text back instead of wiping it. After a success the form
 * resets to its own defaults as usual.
 */
export function useKeptAction(action: FormAction) {
  const [state, dispatch, pending] = useActionState<Kept | undefined, FormData>(async (previous, formData) => {
    const result = await action(previous?.result, formData);
    return { result, sent: result.ok ? undefined : formData };
  }, undefined);
  const sent = state?.sent;
  return {
    state: state?.result as ActionResult | undefined,
    dispatch,
    pending,
    /** What was sent in `name` by the failed submission, else `fallback`. */
    kept: (name: string, fallback = "") => (sent ? String(sent.get(name) ?? "") : fallback),
    /** Whether `value` was among the values sent in `name` by the failed submission, else `fallback`. */
    keptChecked: (name: string, value: string, fallback = false) => (sent ? sent.getAll(name).includes(value) : fallback),
  };
}
