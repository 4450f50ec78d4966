"use client";

import { useFormatter, useTranslations } from "@/lib/i18n/client";
import { useActionState, useId, useOptimistic, useState, useTransition } from "react";
import { useAssignees, type Assignable } from "@/components/checklist/assignee-options";
import { Badge } from "@/components/ui/badge";
import { PlanText } from "@/components/ui/plan-text";
import { updateItemDetailsAction, updateItemEvidenceAction, updateItemStateAction } from "@/lib/actions/workflows";
import type { ItemState } from "@/lib/generated/prisma/enums";
import type { ActionResult } from "@/lib/server/action";

/**
 * A row's item. The fields a row may lack are optional: a page may leave out the empty ones
 * (null, false), so that fifty rows do not carry fifty copies of `"evidence":null`.
 */
export type ChecklistRowItem = {
  id: string;
  text: string;
  state: ItemState;
  version: number;
  optional?: boolean;
  evidence?: string | null;
  notApplicableReason?: string | null;
  dueAt?: Date | null;
  ownerRole?: string | null;
  assigneeId?: string | null;
  assigneeName?: string | null;
  changedByName?: string | null;
  stateChangedAt?: Date | null;
};

type Fresh = Partial<Pick<ChecklistRowItem, "state" | "version" | "evidence" | "notApplicableReason" | "stateChangedAt">>;

/**
 * One checklist line. Ticking feels instant (the box changes at once) and rolls back,
 * with the server's message, when the server refuses; a stale write shows the fresh state.
 */
export function ChecklistItemRow({
  item: initial,
  canTick,
  overdue,
  assignable = false,
  assignOpen = false,
  locked,
  onChanged,
}: {
  item: ChecklistRowItem;
  canTick: boolean;
  /** Why the box is disabled, said beside it. */
  locked?: { reason: "archived" | "closed" | "owner" | "rights"; ownerName: string | null } | null;
  /** Told after this row's state changed here (a list keeps the row on screen, with its undo, until the next navigation). */
  onChanged?: (id: string) => void;
  overdue?: boolean;
  /** Whether the viewer may assign the item; the picker asks for the people when it opens (`AssigneeOptions`). */
  assignable?: boolean;
  /** The row's forms rendered open on the server, the picker listing the people `AssigneeOptions` was given (the `?assign=<item>` link, for browsers without JavaScript). */
  assignOpen?: boolean;
}) {
  const t = useTranslations("checklist");
  const tState = useTranslations("itemState");
  const tRoles = useTranslations("roles");
  const format = useFormatter();
  const [item, setItem] = useState(initial);
  // The same item can show in several sections; after a change anywhere, the server sends
  // newer props, which win over this row's copy.
  if (initial.version > item.version) setItem(initial);
  const [optimisticState, setOptimisticState] = useOptimistic(item.state);
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: "error" | "info"; text: string } | null>(null);
  const [reason, setReason] = useState("");
  const [evidence, setEvidence] = useState(initial.evidence ?? "");
  // Controlled, so a failed save keeps what the person chose (a form action resets uncontrolled fields).
  const [assigneeId, setAssigneeId] = useState(initial.assigneeId ?? "");
  const [dueAt, setDueAt] = useState(initial.dueAt ? new Date(initial.dueAt).toISOString().slice(0, 10) : "");
  const inputId = `item-${useId()}`;
  // The state before the last change made here, offered as an undo (ticks and unticks only).
  const [undoTo, setUndoTo] = useState<ItemState | null>(null);
  const assignees = useAssignees();
  // The row's forms are rendered only once opened: a page of rows carries neither the forms
  // nor a list of people per row. Opened here, the picker asks the server for the people;
  // `assignOpen` (the `?assign=<item>` link, for browsers without JavaScript) renders both
  // forms open on the server, with the people the page was given.
  const [assignShown, setAssignShown] = useState(assignOpen);
  const [moreShown, setMoreShown] = useState(assignOpen);
  const [loaded, setLoaded] = useState<readonly Assignable[] | null>(null);
  const people = loaded ?? assignees.people;
  const openHref = `?assign=${encodeURIComponent(initial.id)}`;
  function openAssign() {
    setAssignShown(true);
    if (people) return;
    assignees.load(item.id).then(setLoaded, () => setMessage({ tone: "error", text: t("assigneesUnavailable") }));
  }

  // The details form posts to the server action itself, so it also works as a plain HTML
  // form without JavaScript; each new result is applied once, when it arrives.
  const [details, saveDetails, savingDetails] = useActionState<ActionResult<unknown> | undefined, FormData>(updateItemDetailsAction, undefined);
  const [appliedDetails, setAppliedDetails] = useState<ActionResult<unknown> | undefined>(undefined);
  if (details !== appliedDetails) {
    setAppliedDetails(details);
    if (details?.ok) {
      const data = details.data as Fresh & { assigneeId: string | null; dueAt: Date | null };
      setItem((current) => ({ ...current, ...data, assigneeName: people?.find((p) => p.id === data.assigneeId)?.name ?? (data.assigneeId === (current.assigneeId ?? null) ? current.assigneeName : null) }));
      setMessage({ tone: "info", text: details.message ?? "" });
    } else if (details) {
      if (details.code === "STALE" && details.fresh) setItem((current) => ({ ...current, ...(details.fresh as Fresh) }));
      setMessage({ tone: "error", text: details.message });
    }
  }

  /** Evidence is its own write: it leaves the tick (and who ticked, and when) as it is. An empty field clears it. */
  function saveEvidence() {
    startTransition(async () => {
      setMessage(null);
      const form = new FormData();
      form.set("itemId", item.id);
      form.set("version", String(item.version));
      form.set("evidence", evidence);
      const result = await updateItemEvidenceAction(undefined, form);
      if (result.ok) {
        setItem((current) => ({ ...current, ...(result.data as Fresh) }));
        setMessage({ tone: "info", text: result.message ?? "" });
      } else {
        if (result.code === "STALE" && result.fresh) setItem((current) => ({ ...current, ...(result.fresh as Fresh) }));
        setMessage({ tone: "error", text: result.message });
      }
    });
  }

  function submit(state: ItemState, extra: { reason?: string; undo?: boolean } = {}) {
    const before = item.state;
    startTransition(async () => {
      setOptimisticState(state);
      setMessage(null);
      const form = new FormData();
      form.set("itemId", item.id);
      form.set("version", String(item.version));
      form.set("state", state);
      if (extra.reason) form.set("reason", extra.reason);
      const result = await updateItemStateAction(undefined, form);
      if (result.ok) {
        const data = result.data as Fresh & { changedByName?: string };
        setItem((current) => ({ ...current, ...data, changedByName: data.changedByName ?? current.changedByName }));
        setUndoTo(extra.undo || before === "NOT_APPLICABLE" || state === "NOT_APPLICABLE" ? null : before);
        onChanged?.(item.id);
      } else {
        if (result.code === "STALE" && result.fresh) setItem((current) => ({ ...current, ...(result.fresh as Fresh) }));
        setMessage({ tone: "error", text: result.message });
      }
    });
  }

  const lockText = !canTick && locked
    ? locked.reason === "owner"
      ? t("lockedOwner", { role: locked.ownerName ?? (item.ownerRole ? tRoles(item.ownerRole) : "") })
      : t(locked.reason === "archived" ? "lockedArchived" : locked.reason === "closed" ? "lockedClosed" : "lockedRights")
    : null;
  const done = optimisticState === "DONE";
  const na = optimisticState === "NOT_APPLICABLE";
  return (
    <li className="flex flex-col gap-1 py-2" data-testid="checklist-item" data-state={optimisticState} aria-busy={pending || savingDetails}>
      <div className="flex items-start gap-3">
        <input
          id={inputId}
          type="checkbox"
          className="item-tick"
          checked={done}
          disabled={!canTick || na || pending}
          onChange={(event) => submit(event.target.checked ? "DONE" : "OPEN")}
          aria-describedby={locked ? `${inputId}-meta ${inputId}-lock` : `${inputId}-meta`}
          title={lockText ?? undefined}
        />
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <label htmlFor={inputId} className={`text-sm ${done || na ? "text-slate-600" : "text-slate-900"} ${na ? "line-through" : ""}`}>
            <PlanText text={item.text} />
          </label>
          <p id={`${inputId}-meta`} className="item-meta">
            <Badge tone={done ? "success" : na ? "neutral" : overdue ? "danger" : "neutral"} icon={done ? "check" : na ? "skip" : overdue ? "clock" : "box"}>
              {overdue && !done && !na ? t("overdue") : tState(optimisticState)}
            </Badge>
            {item.optional ? <Badge icon="diamond">{t("optional")}</Badge> : null}
            {item.ownerRole ? <span>{tRoles(item.ownerRole)}</span> : null}
            {item.assigneeName ? <span>· {t("assignee", { name: item.assigneeName })}</span> : null}
            {item.dueAt ? <span>· {t("due", { date: format.dateTime(item.dueAt, { day: "numeric", month: "short" }) })}</span> : null}
            {item.changedByName && item.stateChangedAt && optimisticState !== "OPEN" ? (
              <span>· {t("changedBy", { name: item.changedByName, date: format.dateTime(item.stateChangedAt, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }) })}</span>
            ) : null}
          </p>
          {lockText ? (
            <p id={`${inputId}-lock`} className="text-xs text-slate-600">
              {lockText}
            </p>
          ) : null}
          {undoTo && !pending ? (
            <p className="flex flex-wrap items-center gap-2 text-xs text-slate-700">
              <span>{t(done ? "tickedHere" : "untickedHere")}</span>
              <button type="button" onClick={() => { setUndoTo(null); submit(undoTo, { undo: true }); }} className="rounded border border-slate-300 px-2 py-0.5 font-medium hover:bg-slate-50">
                {t("undo")}
              </button>
            </p>
          ) : null}
          {na && item.notApplicableReason ? <p className="text-xs text-slate-600">{t("naReason", { reason: item.notApplicableReason })}</p> : null}
          {item.evidence ? <p className="break-words text-xs text-slate-600">{t("evidenceValue", { evidence: item.evidence })}</p> : null}
          {assignable || canTick ? (
            <div className="flex flex-wrap gap-x-4 text-xs">
              {assignable ? <Disclosure label={t("assign")} open={assignShown} controls={`${inputId}-assign`} href={openHref} onToggle={() => (assignShown ? setAssignShown(false) : openAssign())} /> : null}
              {canTick ? <Disclosure label={t("more")} open={moreShown} controls={`${inputId}-more`} href={openHref} onToggle={() => setMoreShown((v) => !v)} /> : null}
            </div>
          ) : null}
          {assignable && assignShown ? (
            <form id={`${inputId}-assign`} action={saveDetails} className="flex flex-wrap items-end gap-2 rounded-md bg-slate-50 p-2 text-xs">
              <input type="hidden" name="itemId" value={item.id} />
              <input type="hidden" name="version" value={item.version} />
              <label className="flex flex-col gap-1">
                <span>{t("assigneeLabel")}</span>
                <select name="assigneeId" value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)} className="rounded border border-slate-300 px-2 py-1" aria-busy={people === null}>
                  <option value="">{t("nobody")}</option>
                  {people
                    ? people.map((person) => (
                        <option key={person.id} value={person.id}>{person.name}</option>
                      ))
                    : item.assigneeId && item.assigneeName
                      ? <option value={item.assigneeId}>{item.assigneeName}</option>
                      : null}
                </select>
              </label>
              <label className="flex flex-col gap-1">
                <span>{t("dueLabel")}</span>
                <input type="date" name="dueAt" value={dueAt} onChange={(e) => setDueAt(e.target.value)} className="rounded border border-slate-300 px-2 py-1" />
              </label>
              <button type="submit" disabled={pending || savingDetails} className="min-h-6 rounded border border-slate-300 px-2 py-1 font-medium hover:bg-white">
                {t("saveDetails")}
              </button>
            </form>
          ) : null}
          {canTick && moreShown ? (
            <div id={`${inputId}-more`} className="flex flex-col gap-2 rounded-md bg-slate-50 p-2 text-xs">
              <label className="flex flex-col gap-1">
                <span>{t("evidence")}</span>
                <input value={evidence} onChange={(e) => setEvidence(e.target.value)} className="rounded border border-slate-300 px-2 py-1" />
              </label>
              <button type="button" disabled={pending} onClick={saveEvidence} className="min-h-6 self-start rounded border border-slate-300 px-2 py-1 font-medium hover:bg-white">
                {t("saveEvidence")}
              </button>
              {na ? (
                <button type="button" disabled={pending} onClick={() => submit("OPEN")} className="min-h-6 self-start rounded border border-slate-300 px-2 py-1 font-medium hover:bg-white">
                  {t("reopen")}
                </button>
              ) : (
                <>
                  <label className="flex flex-col gap-1">
                    <span>{t("naReasonLabel")}</span>
                    <input value={reason} onChange={(e) => setReason(e.target.value)} className="rounded border border-slate-300 px-2 py-1" />
                  </label>
                  <button type="button" disabled={pending} onClick={() => submit("NOT_APPLICABLE", { reason })} className="min-h-6 self-start rounded border border-slate-300 px-2 py-1 font-medium hover:bg-white">
                    {t("markNa")}
                  </button>
                </>
              )}
            </div>
          ) : null}
          <p role="status" aria-live="polite" className={`text-xs ${message?.tone === "error" ? "text-red-700" : "text-slate-600"}`}>
            {message?.text ?? null}
          </p>
        </div>
      </div>
    </li>
  );
}

/**
 * Opens one of a row's forms, which are rendered only once opened. A link to the row opened
 * on the server (`?assign=<item>`) for browsers without JavaScript (and before hydration);
 * with JavaScript, a button that shows or hides the form in place.
 */
function Disclosure({ label, open, controls, href, onToggle }: { label: string; open: boolean; controls: string; href: string; onToggle: () => void }) {
  return (
    <a
      href={href}
      role="button"
      aria-expanded={open}
      aria-controls={open ? controls : undefined}
      onClick={(event) => {
        event.preventDefault();
        onToggle();
      }}
      onKeyDown={(event) => {
        if (event.key !== " ") return;
        event.preventDefault();
        onToggle();
      }}
      className="row-action"
    >
      {label}
    </a>
  );
}
