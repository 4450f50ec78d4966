import { useFormatter, useTranslations } from "next-intl";
import { useId } from "react";
import { Badge } from "@/components/ui/badge";
import type { DecisionValue, SignOffStatus } from "@/lib/generated/prisma/enums";
import { DecideForm, RenameForm, SignOffActions, WithdrawOtherForm } from "./sign-off-forms";

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

const STATUS_LOOK = {
  PENDING: { tone: "warning", icon: "clock" },
  APPROVED: { tone: "success", icon: "check" },
  REJECTED: { tone: "danger", icon: "cross" },
} as const;

/**
 * A decision someone must take: who decided, who is missing, and approve/reject in place.
 * Rendered on the server; only its forms are client components (`./sign-off-forms.tsx`),
 * given ids and flags.
 */
export function SignOffCard({ signOff, compact = false }: { signOff: SignOffCardData; compact?: boolean }) {
  const t = useTranslations("signOffs");
  const tRolesBuiltIn = useTranslations("roles");
  const tRoles = (key: string) => signOff.roleNames?.[key] ?? tRolesBuiltIn(key as Parameters<typeof tRolesBuiltIn>[0]);
  const tStatus = useTranslations("signOffStatus");
  const format = useFormatter();
  const look = STATUS_LOOK[signOff.status];
  // Unique per card: the same sign-off may show in two sections of a page.
  const headingId = `so-${useId()}`;
  const pendingUndecided = signOff.closed && signOff.status === "PENDING";

  return (
    <article className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3" aria-labelledby={headingId} data-testid="sign-off">
      <SignOffActions>
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
          {pendingUndecided ? (
            <Badge tone="neutral" icon="skip">{t("closedUndecided")}</Badge>
          ) : (
            <Badge tone={look.tone} icon={look.icon}>
              {tStatus(signOff.status)} · {t("quorum", { approvals: signOff.approvals, needed: signOff.needed })}
            </Badge>
          )}
        </header>

        {!compact || signOff.decisions.length > 0 || pendingUndecided ? (
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
                    <WithdrawOtherForm decisionId={d.id} name={d.userName} />
                  </details>
                ) : null}
              </li>
            ))}
            {pendingUndecided ? <li className="text-slate-600">{t("closedUndecidedWhy")}</li> : null}
            {signOff.status === "PENDING" && !signOff.closed && signOff.waitingFor.length > 0 ? (
              <li className="text-slate-600">{t("waitingFor", { names: signOff.waitingFor.map((w) => `${w.name} (${tRoles(w.role)})`).join(", ") })}</li>
            ) : null}
            {signOff.missingRoles.length > 0 && !signOff.closed ? <li className="text-slate-600">{t("missingRoles", { roles: signOff.missingRoles.map((r) => tRoles(r)).join(", ") })}</li> : null}
          </ul>
        ) : null}

        {signOff.canDecide && !signOff.closed ? <DecideForm signOffId={signOff.id} mine={signOff.mine} compact={compact} /> : null}
        {/* The server refuses renaming once anyone decided or the phase closed; don't offer it then. */}
        {signOff.canRename && !signOff.closed && signOff.decisions.length === 0 ? (
          <details className="text-xs">
            <summary className="cursor-pointer py-1 text-slate-600">{t("rename")}</summary>
            <RenameForm signOffId={signOff.id} version={signOff.version} title={signOff.title} />
          </details>
        ) : null}
      </SignOffActions>
    </article>
  );
}
