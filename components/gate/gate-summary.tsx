import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { PlanText } from "@/components/ui/plan-text";
import { StatusIcon } from "@/components/ui/status-icon";
import { summarizeBlockers, type GateState } from "@/lib/domain/gate";

/**
 * A gate's state, the same way on every page: how it stands in one sentence, its counts by
 * kind (sign-offs approved of all, missing, rejected; required items open), then the first
 * few blockers and a link to the full list. `compact` is the one-line form for tables.
 */
export function GateSummary({ gate, shown = 3, href, compact = false }: { gate: GateState; shown?: number; href?: string; compact?: boolean }) {
  const t = useTranslations("gate");
  const format = useFormatter();
  const day = (date: Date) => format.dateTime(date, { day: "numeric", month: "short", year: "numeric" });

  const counts: { key: string; tone: "success" | "warning" | "danger" | "neutral"; icon: "check" | "clock" | "cross" | "box" | "skip"; text: string }[] = [];
  if (gate.signOffs.total > 0) {
    const all = gate.signOffs.approved === gate.signOffs.total;
    counts.push({ key: "approved", tone: all ? "success" : "neutral", icon: "check", text: t("approved", { approved: gate.signOffs.approved, total: gate.signOffs.total }) });
  }
  if (gate.signOffs.rejected > 0) counts.push({ key: "rejected", tone: "danger", icon: "cross", text: t("rejected", { count: gate.signOffs.rejected }) });
  if (gate.signOffs.missing > 0) counts.push({ key: "missing", tone: "warning", icon: "clock", text: t("missing", { count: gate.signOffs.missing }) });
  if (gate.openItems > 0) counts.push({ key: "items", tone: "neutral", icon: "box", text: t("openItems", { count: gate.openItems }) });
  if (gate.signOffs.closedUndecided > 0) counts.push({ key: "undecided", tone: "neutral", icon: "skip", text: t("closedUndecided", { count: gate.signOffs.closedUndecided }) });

  let sentence: string;
  if (gate.state === "open") sentence = t("open");
  else if (gate.state === "blocked") sentence = t("blocked");
  else if (gate.closedBy === "skip") sentence = t("closedSkip");
  else if (gate.closedBy === "override" && gate.override)
    sentence = t("closedOverride", { name: gate.override.by ?? t("someone"), date: gate.override.at ? day(gate.override.at) : "—", reason: gate.override.reason });
  else sentence = t("closedComplete");

  if (compact) {
    return (
      <span data-testid="gate-state" data-state={gate.state}>
        {[sentence, ...counts.map((c) => c.text)].join(" · ")}
      </span>
    );
  }

  const lines = summarizeBlockers(gate.blockers, t("securityPolicies"));
  // Lines the gate has in all: its open required items beyond those read are one line each.
  const totalLines = lines.length + gate.hiddenItems;
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="gate-state" data-state={gate.state}>
      <p className={`flex items-start gap-1.5 font-medium ${gate.state === "open" ? "text-green-800" : gate.closedBy === "override" ? "text-amber-900" : "text-slate-800"}`}>
        <StatusIcon name={gate.state === "open" ? "check" : gate.state === "blocked" ? "stop" : gate.closedBy === "override" ? "skip" : "check"} />
        <span>{sentence}</span>
      </p>
      {counts.length > 0 ? (
        <ul className="flex flex-wrap gap-1.5" aria-label={t("counts")}>
          {counts.map((c) => (
            <li key={c.key}>
              <Badge tone={c.tone} icon={c.icon}>{c.text}</Badge>
            </li>
          ))}
        </ul>
      ) : null}
      {gate.state === "blocked" && lines.length > 0 && shown > 0 ? (
        <>
          <p className="text-xs font-semibold text-slate-600">{totalLines > shown ? t("first", { count: shown }) : t("all")}</p>
          <ul className="list-disc space-y-0.5 pl-5 text-slate-700">
            {lines.slice(0, shown).map((line) => (
              <li key={line.key}>{line.count > 1 ? t("group", { label: line.label, count: line.count }) : <PlanText text={line.label} />}</li>
            ))}
          </ul>
          {totalLines > shown || href ? (
            <p className="text-slate-600">
              {totalLines > shown ? t("andMore", { count: totalLines - shown }) + " " : null}
              {href ? (
                <Link href={href} className="font-medium text-green-800 underline">
                  {t("seeAll")}
                </Link>
              ) : null}
            </p>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
