import { useTranslations } from "next-intl";
import type { PhaseStatus } from "@/lib/generated/prisma/enums";
import { Badge, type BadgeTone } from "@/components/ui/badge";

// Each status has its own icon and words as well as a colour.
const LOOK: Record<PhaseStatus, { tone: BadgeTone; icon: string }> = {
  NOT_STARTED: { tone: "neutral", icon: "○" },
  IN_PROGRESS: { tone: "info", icon: "◐" },
  AWAITING_SIGNOFF: { tone: "warning", icon: "⏳" },
  DONE: { tone: "success", icon: "✓" },
  BLOCKED: { tone: "danger", icon: "⛔" },
  SKIPPED: { tone: "neutral", icon: "↷" },
};

export function PhaseStatusBadge({ status }: { status: PhaseStatus }) {
  const t = useTranslations("status");
  return (
    <Badge tone={LOOK[status].tone} icon={LOOK[status].icon}>
      {t(status)}
    </Badge>
  );
}
