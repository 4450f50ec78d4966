import { useTranslations } from "next-intl";
import { PlanText } from "./plan-text";

/**
 * The plan's own wording for a date or a period ("Week 1-2"), shown as the plan's words,
 * secondary to the real dates beside it: the plan may have been re-anchored, and its words
 * keep the dates its authors wrote. Never reworded.
 */
export function PlanWording({ text, className = "block text-xs text-slate-600" }: { text: string; className?: string }) {
  const t = useTranslations("planWording");
  return (
    <span className={className} data-testid="plan-wording">
      {t("inThePlan")} <q className="not-italic">
        <PlanText text={text} />
      </q>
    </span>
  );
}
