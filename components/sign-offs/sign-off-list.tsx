"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "@/lib/i18n/client";
import { useId, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { decideSignOffAction, withdrawDecisionAction } from "@/lib/actions/workflows";
import type { SignOffCardData } from "./sign-off-card";

export type SignOffListRow = SignOffCardData & {
  /** The document the sign-off's reference points to, when the rollout holds it. */
  documentHref: string | null;
};

type Message = { tone: "error" | "info"; text: string };

/**
 * Many decisions of one kind as one compact list: name, status, who decided and when, a
 * decision per row, and "approve selected" with one comment. Each decision is its own
 * write (the same action as a card's), so each is checked and recorded on its own.
 */
export function SignOffList({ rows, unnamed, nameHref }: { rows: SignOffListRow[]; unnamed: boolean; nameHref: string | null }) {
  const t = useTranslations("signOffs");
  const tStatus = useTranslations("signOffStatus");
  const format = useFormatter();
  const [comment, setComment] = useState("");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<Message | null>(null);
  const [pending, startTransition] = useTransition();
  const uid = useId();
  const commentId = `list-comment-${uid}`;
  const decidable = rows.filter((r) => r.canDecide && !r.closed && r.status === "PENDING" && !r.mine);
  const chosen = decidable.filter((r) => selected.has(r.id));
  const when = (d: Date) => format.dateTime(d, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

  function toggle(id: string, on: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  /** Sends the decisions one after another; stops at the first refusal and says which. */
  function decide(targets: SignOffListRow[], value: "APPROVE" | "REJECT" | "WITHDRAW") {
    startTransition(async () => {
      setMessage(null);
      let done = 0;
      for (const row of targets) {
        const form = new FormData();
        form.set("signOffId", row.id);
        if (value !== "WITHDRAW") {
          form.set("value", value);
          if (comment) form.set("comment", comment);
        }
        const result = value === "WITHDRAW" ? await withdrawDecisionAction(undefined, form) : await decideSignOffAction(undefined, form);
        if (!result.ok) {
          setMessage({ tone: "error", text: t("listFailed", { title: row.title, message: result.message, done }) });
          return;
        }
        done++;
      }
      if (value !== "WITHDRAW") setComment("");
      setSelected(new Set());
      setMessage({ tone: "info", text: value === "APPROVE" ? t("listApproved", { count: done }) : value === "REJECT" ? t("listRejected", { count: done }) : t("listWithdrawn") });
    });
  }

  return (
    <div className="flex flex-col gap-3" data-testid="sign-off-list">
      {unnamed ? (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
          {t("unnamed")}{" "}
          {nameHref ? (
            <Link href={nameHref} className="font-medium underline">
              {t("nameThem")}
            </Link>
          ) : (
            t("askAdmin")
          )}
        </p>
      ) : null}
      {decidable.length > 0 ? (
        <div className="flex flex-col gap-2 rounded-md bg-slate-50 p-2">
          <label htmlFor={commentId} className="text-xs font-medium text-slate-700">{t("listComment")}</label>
          <textarea id={commentId} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} className="rounded border border-slate-300 bg-white px-2 py-1 text-sm" />
          <div className="flex flex-wrap items-center gap-3">
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="h-4 w-4 accent-green-700"
                checked={chosen.length === decidable.length}
                onChange={(e) => setSelected(e.target.checked ? new Set(decidable.map((r) => r.id)) : new Set())}
              />
              {t("selectAll", { count: decidable.length })}
            </label>
            <button
              type="button"
              disabled={pending || chosen.length === 0}
              onClick={() => decide(chosen, "APPROVE")}
              className="rounded-md bg-green-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-green-800 disabled:opacity-60"
            >
              {t("approveSelected", { count: chosen.length })}
            </button>
          </div>
        </div>
      ) : null}
      <p role="status" aria-live="polite" className={`text-sm ${message?.tone === "error" ? "text-red-700" : "text-green-800"}`}>
        {message?.text ?? null}
      </p>
      <ul className="divide-y divide-slate-100 text-sm" aria-busy={pending}>
        {rows.map((row) => {
          const undecided = row.closed && row.status === "PENDING";
          const canAct = decidable.includes(row);
          const last = row.decisions.at(-1);
          return (
            <li key={row.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2" data-testid="sign-off-row">
              {canAct ? (
                <input
                  type="checkbox"
                  className="h-4 w-4 shrink-0 accent-green-700"
                  aria-label={t("select", { title: row.title })}
                  checked={selected.has(row.id)}
                  onChange={(e) => toggle(row.id, e.target.checked)}
                />
              ) : (
                <span aria-hidden="true" className="inline-block h-4 w-4 shrink-0" />
              )}
              <div className="min-w-0 flex-1 basis-48">
                <p className="font-medium text-slate-900">{row.title}</p>
                {row.reference ? (
                  <p className="text-xs text-slate-600">
                    {row.documentHref ? (
                      <Link href={row.documentHref} className="text-green-800 underline">
                        {row.reference}
                      </Link>
                    ) : (
                      row.reference
                    )}
                  </p>
                ) : null}
              </div>
              <div className="flex flex-col items-start gap-0.5 text-xs text-slate-600">
                {undecided ? (
                  <Badge tone="neutral" icon="skip">{t("closedUndecided")}</Badge>
                ) : (
                  <Badge tone={row.status === "APPROVED" ? "success" : row.status === "REJECTED" ? "danger" : "warning"} icon={row.status === "APPROVED" ? "check" : row.status === "REJECTED" ? "cross" : "clock"}>
                    {tStatus(row.status)}
                  </Badge>
                )}
                {last ? <span>{t(last.value === "APPROVE" ? "listApprovedBy" : "listRejectedBy", { name: last.userName, date: when(last.decidedAt) })}</span> : null}
              </div>
              <div className="flex gap-2">
                {canAct ? (
                  <>
                    <button type="button" disabled={pending} onClick={() => decide([row], "APPROVE")} className="rounded-md border border-green-700 px-2 py-1 text-xs font-semibold text-green-800 hover:bg-green-50 disabled:opacity-60" aria-label={t("approveOne", { title: row.title })}>
                      {t("approve")}
                    </button>
                    <button type="button" disabled={pending} onClick={() => decide([row], "REJECT")} className="rounded-md border border-red-400 px-2 py-1 text-xs font-semibold text-red-800 hover:bg-red-50 disabled:opacity-60" aria-label={t("rejectOne", { title: row.title })}>
                      {t("reject")}
                    </button>
                  </>
                ) : row.mine && !row.closed ? (
                  <button type="button" disabled={pending} onClick={() => decide([row], "WITHDRAW")} className="rounded border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-50" aria-label={t("withdrawOne", { title: row.title })}>
                    {t("withdraw")}
                  </button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
