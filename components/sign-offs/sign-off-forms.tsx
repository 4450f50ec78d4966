"use client";

import { createContext, use, useId, type ReactNode } from "react";
import { useTranslations } from "@/lib/i18n/client";
import { useKeptAction } from "@/components/ui/use-kept-action";
import { decideSignOffAction, renameSignOffAction, withdrawDecisionAction, withdrawOthersDecisionAction } from "@/lib/actions/workflows";
import type { DecisionValue } from "@/lib/generated/prisma/enums";
import type { ActionResult } from "@/lib/server/action";

// The forms of a sign-off card (components/sign-offs/sign-off-card.tsx, a server
// component that renders everything else). They receive ids and flags only; what the card
// shows about the sign-off and its decisions is HTML from the server.

const OP = "$op";
const ACTIONS = {
  decide: decideSignOffAction,
  withdraw: withdrawDecisionAction,
  withdrawOther: withdrawOthersDecisionAction,
  rename: renameSignOffAction,
} as const;
type Op = keyof typeof ACTIONS;

async function send(_previous: ActionResult<unknown> | undefined, formData: FormData): Promise<ActionResult<unknown>> {
  // The form's own data stays whole (its fields are put back from it after a refusal); the action gets a copy without the op.
  const fields = new FormData();
  for (const [name, value] of formData) if (name !== OP) fields.append(name, value);
  return (ACTIONS[formData.get(OP) as Op] ?? decideSignOffAction)(undefined, fields);
}

type Scope = {
  dispatch: (formData: FormData) => void;
  pending: boolean;
  /** What the form of `op` sent in `name`, when the latest submission was that form's and was refused; else `fallback`. */
  kept: (op: Op, name: string, fallback?: string) => string;
};
const CardScope = createContext<Scope | null>(null);

function useScope(): Scope {
  const scope = use(CardScope);
  if (!scope) throw new Error("A sign-off form must be inside SignOffActions.");
  return scope;
}

/**
 * One action state for all of a card's forms, so the message shown under the card is always
 * the latest action's; what was typed survives a refused submission.
 */
export function SignOffActions({ children }: { children: ReactNode }) {
  const { state, dispatch, pending, kept } = useKeptAction(send);
  const keptFor = (op: Op, name: string, fallback = "") => (kept(OP, "") === op ? kept(name, fallback) : fallback);
  return (
    <CardScope value={{ dispatch, pending, kept: keptFor }}>
      {children}
      <p role="status" aria-live="polite" className={`text-xs ${state && !state.ok ? "text-red-700" : "text-green-800"}`}>
        {state?.message ?? null}
      </p>
    </CardScope>
  );
}

/** Approve or reject with a comment; once decided, withdraw one's own decision. */
export function DecideForm({ signOffId, mine, compact }: { signOffId: string; mine: DecisionValue | null; compact: boolean }) {
  const t = useTranslations("signOffs");
  const { dispatch, pending, kept } = useScope();
  // Unique per card: the same sign-off may show in two sections of a page.
  const commentId = `comment-${useId()}`;
  if (mine) {
    return (
      <form action={dispatch} className="flex flex-wrap items-center gap-2">
        <input type="hidden" name={OP} value="withdraw" />
        <input type="hidden" name="signOffId" value={signOffId} />
        <span className="text-sm">{t(mine === "APPROVE" ? "youApproved" : "youRejected")}</span>
        <button type="submit" disabled={pending} className="rounded border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-50">
          {t("withdraw")}
        </button>
      </form>
    );
  }
  return (
    <form action={dispatch} className="flex flex-col gap-2">
      <input type="hidden" name={OP} value="decide" />
      <input type="hidden" name="signOffId" value={signOffId} />
      <label htmlFor={commentId} className="text-xs font-medium text-slate-700">{t("comment")}</label>
      <textarea id={commentId} name="comment" rows={compact ? 1 : 2} defaultValue={kept("decide", "comment")} className="rounded border border-slate-300 px-2 py-1 text-sm" />
      <div className="flex flex-wrap gap-2">
        <button type="submit" name="value" value="APPROVE" disabled={pending} className="rounded-md bg-green-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-green-800 disabled:opacity-60">
          {t("approve")}
        </button>
        <button type="submit" name="value" value="REJECT" disabled={pending} className="rounded-md border border-red-400 px-3 py-1.5 text-sm font-semibold text-red-800 hover:bg-red-50 disabled:opacity-60">
          {t("reject")}
        </button>
      </div>
    </form>
  );
}

/** A rollout admin withdraws someone else's decision, with a reason on record. */
export function WithdrawOtherForm({ decisionId, name }: { decisionId: string; name: string }) {
  const t = useTranslations("signOffs");
  const { dispatch, pending, kept } = useScope();
  return (
    <form action={dispatch} className="mt-1 flex flex-wrap items-end gap-2">
      <input type="hidden" name={OP} value="withdrawOther" />
      <input type="hidden" name="decisionId" value={decisionId} />
      <label className="flex min-w-48 flex-1 flex-col gap-1">
        <span>{t("withdrawOtherReason", { name })}</span>
        <textarea name="reason" rows={2} required minLength={3} maxLength={500} defaultValue={kept("withdrawOther", "decisionId") === decisionId ? kept("withdrawOther", "reason") : ""} className="rounded border border-slate-300 px-2 py-1 text-sm" />
      </label>
      <button type="submit" disabled={pending} className="rounded border border-red-400 px-2 py-1 font-medium text-red-800 hover:bg-red-50 disabled:opacity-60">
        {t("withdrawOtherSubmit")}
      </button>
    </form>
  );
}

/** Rename a sign-off nobody has decided yet. */
export function RenameForm({ signOffId, version, title }: { signOffId: string; version: number; title: string }) {
  const t = useTranslations("signOffs");
  const { dispatch, pending, kept } = useScope();
  return (
    <form action={dispatch} className="mt-1 flex flex-wrap items-end gap-2">
      <input type="hidden" name={OP} value="rename" />
      <input type="hidden" name="signOffId" value={signOffId} />
      <input type="hidden" name="version" value={version} />
      <label className="flex flex-col gap-1">
        <span>{t("newName")}</span>
        <input name="title" defaultValue={kept("rename", "title", title)} required maxLength={200} className="rounded border border-slate-300 px-2 py-1" />
      </label>
      <button type="submit" disabled={pending} className="rounded border border-slate-300 px-2 py-1 font-medium hover:bg-slate-50">
        {t("saveName")}
      </button>
    </form>
  );
}
