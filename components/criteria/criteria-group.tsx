import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PlanText } from "@/components/ui/plan-text";
import type { CriterionGroupView, CriterionView } from "@/lib/dal/criteria-list";
import { VerifyCriterionForm } from "./verify-criterion-form";

/** One group of success criteria: each with its verified state and, for verifiers, the form. */
export function CriteriaGroup({ group, criteria, canVerify, total = criteria.length, verified }: { group: CriterionGroupView; criteria: CriterionView[]; canVerify: boolean; total?: number; verified?: number }) {
  const t = useTranslations("criteria");
  const format = useFormatter();
  const headingId = `criteria-${group.id}`;
  // The group's counts (all its criteria, when the page shows only some of them).
  const verifiedCount = verified ?? criteria.filter((c) => c.verifiedAt).length;
  const when = (date: Date) =>
    format.dateTime(date, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" }) + " UTC";

  return (
    <Card>
      <section aria-labelledby={headingId}>
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id={headingId} className="text-lg font-semibold">
            <PlanText text={group.name} />
          </h2>
          {total > 0 ? <p className="text-sm text-slate-600">{t("progress", { verified: verifiedCount, total })}</p> : null}
        </div>
        {criteria.length === 0 ? (
          <p className="mt-2 text-slate-600">{t("emptyGroup")}</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100">
            {criteria.map((criterion) => (
              <li key={criterion.id} className="py-3">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <p className="min-w-0 flex-1 text-slate-900">
                    <PlanText text={criterion.text} />
                  </p>
                  {criterion.verifiedAt ? (
                    <Badge tone="success" icon="check">
                      {t("verified")}
                    </Badge>
                  ) : (
                    <Badge tone="neutral" icon="circle">
                      {t("notVerified")}
                    </Badge>
                  )}
                </div>
                {criterion.verifiedAt ? (
                  <p className="mt-1 text-sm text-slate-600">
                    {criterion.verifiedBy
                      ? t("verifiedBy", { name: criterion.verifiedBy.name, when: when(criterion.verifiedAt) })
                      : t("verifiedByFormer", { when: when(criterion.verifiedAt) })}
                  </p>
                ) : null}
                {criterion.note ? <p className="mt-1 whitespace-pre-line break-words text-sm text-slate-700">{t("note", { note: criterion.note })}</p> : null}
                {canVerify ? (
                  <VerifyCriterionForm
                    criterionId={criterion.id}
                    version={criterion.version}
                    verified={criterion.verifiedAt !== null}
                    note={criterion.note}
                    text={criterion.text}
                  />
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Card>
  );
}
