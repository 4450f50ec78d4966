import { useTranslations } from "next-intl";
import type { PhaseStatus } from "@/lib/generated/prisma/enums";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { IconName } from "@/components/ui/status-icon";

// Each status has its own icon and words as well as a colour.
const LOOK: Record<PhaseStatus, { tone: BadgeTone; icon: IconName }> = {
  NOT_STARTED: { tone: "neutral", icon: "circle" },
  IN_PROGRESS: { tone: "info", icon: "half" },
  AWAITING_SIGNOFF: { tone: "warning", icon: "clock" },
  DONE: { tone: "success", icon: "check" },
  BLOCKED: { tone: "danger", icon: "stop" },
  SKIPPED: { tone: "neutral", icon: "skip" },
};

export function PhaseStatusBadge({ status }: { status: PhaseStatus }) {
  const t = useTranslations("status");
  return (
    <Badge tone={LOOK[status].tone} icon={LOOK[status].icon}>
      {t(status)}
    </Badge>
  );
}
