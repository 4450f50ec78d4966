"use client";

import { useFormatter, useTranslations } from "@/lib/i18n/client";
import { useActionState, useId, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { decideSignOffAction, renameSignOffAction, withdrawDecisionAction, withdrawOthersDecisionAction } from "@/lib/actions/workflows";
import type { DecisionValue, SignOffStatus } from "@/lib/generated/prisma/enums";
import type { ActionResult } from "@/lib/server/action";

export type SignOffCardData = {
  id: string;
  title: string;
  status: SignOffStatus;
  reference: string | null;
  description: string | null;
  amount: string | null;
  approvals: number;
  needed: number;
  missingRoles: string[];
  requiredRoles: string[];
  /** Names of the rollout's custom roles among the keys above (by id); built-in roles are translated. */
  roleNames?: Record<string, string>;
  dueAt: Date | null;
  closed: boolean;
  decisions: { id?: string; userId?: string; userName: string; role: string; value: DecisionValue; comment: string | null; decidedAt: Date }[];
  waitingFor: { name: string; role: string }[];
  mine: DecisionValue | null;
  canDecide: boolean;
  version: number;
  canRename: boolean;
  /** A rollout admin may withdraw other people's decisions (with a reason) while the gate is open. */
  canWithdrawOthers?: boolean;
  /** Who is looking: their own decision is not offered for withdrawal by an admin. */
  actorId?: string;
};

const OP = "$op";

const STATUS_LOOK = {
  PENDING: { tone: "warning", icon: "clock" },
  APPROVED: { tone: "success", icon: "check" },
  REJECTED: { tone: "danger", icon: "cross" },
} as const;

/** A decision someone must take: who decided, who is missing, and approve/reject in place. */
export function SignOffCard({ signOff, compact = false }: { signOff: SignOffCardData; compact?: boolean }) {
  const t = useTranslations("signOffs");
  const tRolesBuiltIn = useTranslations("roles");
  const tRoles = (key: string) => signOff.roleNames?.[key] ?? tRolesBuiltIn(key as Parameters<typeof tRolesBuiltIn>[0]);
  const tStatus = useTranslations("signOffStatus");
  const format = useFormatter();
  const [comment, setComment] = useState("");
  const [title, setTitle] = useState(signOff.title);
  // One state for the card's three forms, so the message shown is always the latest
  // action's (three separate states would keep an older message over a newer one).
  const [state, act, pending] = useActionState<ActionResult<unknown> | undefined, FormData>(async (_prev, formData) => {
    const op = formData.get(OP);
    formData.delete(OP);
    const action = op === "withdraw" ? withdrawDecisionAction : op === "withdrawOther" ? withdrawOthersDecisionAction : op === "rename" ? renameSignOffAction : decideSignOffAction;
    const result = await action(undefined, formData);
    if (result.ok && op === "decide") setComment("");
    return result;
  }, undefined);
  const look = STATUS_LOOK[signOff.status];
  // Unique per card: the same sign-off may show in two sections of a page.
  const uid = useId();
  const commentId = `comment-${uid}`;
  const headingId = `so-${uid}`;

  return (
    <article className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3" aria-labelledby={headingId} data-testid="sign-off">
      <header className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h3 id={headingId} className="font-medium text-slate-900">{signOff.title}</h3>
          <p className="text-xs text-slate-600">
            {signOff.requiredRoles.map((role) => tRoles(role)).join(", ")}
            {signOff.reference ? ` · ${signOff.reference}` : ""}
            {signOff.dueAt ? ` · ${t("due", { date: format.dateTime(signOff.dueAt, { day: "numeric", month: "short" }) })}` : ""}
          </p>
          {signOff.amount ? <p className="text-sm font-semibold">{signOff.amount}</p> : null}
          {!compact && signOff.description ? <p className="text-sm text-slate-600">{signOff.description}</p> : null}
        </div>
        {signOff.closed && signOff.status === "PENDING" ? (
          <Badge tone="neutral" icon="skip">{t("closedUndecided")}</Badge>
        ) : (
          <Badge tone={look.tone} icon={look.icon}>
            {tStatus(signOff.status)} · {t("quorum", { approvals: signOff.approvals, needed: signOff.needed })}
          </Badge>
        )}
      </header>

      {!compact || signOff.decisions.length > 0 || (signOff.closed && signOff.status === "PENDING") ? (
        <ul className="text-xs text-slate-700">
          {signOff.decisions.map((d, i) => (
            <li key={d.id ?? i}>
              {t(d.value === "APPROVE" ? "approvedBy" : "rejectedBy", { name: d.userName, role: tRoles(d.role), date: format.dateTime(d.decidedAt, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }) })}
              {d.comment ? <q className="ml-1 italic">{d.comment}</q> : null}
              {signOff.canWithdrawOthers && !signOff.closed && d.id && d.userId !== signOff.actorId ? (
                <details className="mt-1">
                  <summary className="cursor-pointer py-1 text-slate-600">
                    {t("withdrawOther")}
                    <span className="sr-only"> {t("withdrawOtherName", { name: d.userName })}</span>
                  </summary>
                  <form action={act} className="mt-1 flex flex-wrap items-end gap-2">
                    <input type="hidden" name={OP} value="withdrawOther" />
                    <input type="hidden" name="decisionId" value={d.id} />
                    <label className="flex min-w-48 flex-1 flex-col gap-1">
                      <span>{t("withdrawOtherReason", { name: d.userName })}</span>
                      <textarea name="reason" rows={2} required minLength={3} maxLength={500} className="rounded border border-slate-300 px-2 py-1 text-sm" />
                    </label>
                    <button type="submit" disabled={pending} className="rounded border border-red-400 px-2 py-1 font-medium text-red-800 hover:bg-red-50 disabled:opacity-60">
                      {t("withdrawOtherSubmit")}
                    </button>
                  </form>
                </details>
              ) : null}
            </li>
          ))}
          {signOff.closed && signOff.status === "PENDING" ? <li className="text-slate-600">{t("closedUndecidedWhy")}</li> : null}
          {signOff.status === "PENDING" && !signOff.closed && signOff.waitingFor.length > 0 ? (
            <li className="text-slate-600">{t("waitingFor", { names: signOff.waitingFor.map((w) => `${w.name} (${tRoles(w.role)})`).join(", ") })}</li>
          ) : null}
          {signOff.missingRoles.length > 0 && !signOff.closed ? <li className="text-slate-600">{t("missingRoles", { roles: signOff.missingRoles.map((r) => tRoles(r)).join(", ") })}</li> : null}
        </ul>
      ) : null}

      {signOff.canDecide && !signOff.closed ? (
        signOff.mine ? (
          <form action={act} className="flex flex-wrap items-center gap-2">
            <input type="hidden" name={OP} value="withdraw" />
            <input type="hidden" name="signOffId" value={signOff.id} />
            <span className="text-sm">{t(signOff.mine === "APPROVE" ? "youApproved" : "youRejected")}</span>
            <button type="submit" disabled={pending} className="rounded border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-50">
              {t("withdraw")}
            </button>
          </form>
        ) : (
          <form action={act} className="flex flex-col gap-2">
            <input type="hidden" name={OP} value="decide" />
            <input type="hidden" name="signOffId" value={signOff.id} />
            <label htmlFor={commentId} className="text-xs font-medium text-slate-700">{t("comment")}</label>
            <textarea id={commentId} name="comment" rows={compact ? 1 : 2} value={comment} onChange={(e) => setComment(e.target.value)} className="rounded border border-slate-300 px-2 py-1 text-sm" />
            <div className="flex flex-wrap gap-2">
              <button type="submit" name="value" value="APPROVE" disabled={pending} className="rounded-md bg-green-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-green-800 disabled:opacity-60">
                {t("approve")}
              </button>
              <button type="submit" name="value" value="REJECT" disabled={pending} className="rounded-md border border-red-400 px-3 py-1.5 text-sm font-semibold text-red-800 hover:bg-red-50 disabled:opacity-60">
                {t("reject")}
              </button>
            </div>
          </form>
        )
      ) : null}
      {/* The server refuses renaming once anyone decided or the phase closed; don't offer it then. */}
      {signOff.canRename && !signOff.closed && signOff.decisions.length === 0 ? (
        <details className="text-xs">
          <summary className="cursor-pointer py-1 text-slate-600">{t("rename")}</summary>
          <form action={act} className="mt-1 flex flex-wrap items-end gap-2">
            <input type="hidden" name={OP} value="rename" />
            <input type="hidden" name="signOffId" value={signOff.id} />
            <input type="hidden" name="version" value={signOff.version} />
            <label className="flex flex-col gap-1">
              <span>{t("newName")}</span>
              <input name="title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} className="rounded border border-slate-300 px-2 py-1" />
            </label>
            <button type="submit" disabled={pending} className="rounded border border-slate-300 px-2 py-1 font-medium hover:bg-slate-50">
              {t("saveName")}
            </button>
          </form>
        </details>
      ) : null}
      <p role="status" aria-live="polite" className={`text-xs ${state && !state.ok ? "text-red-700" : "text-green-800"}`}>
        {state?.message ?? null}
      </p>
    </article>
  );
}
