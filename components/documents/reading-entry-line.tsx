import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import type { DocumentEntry } from "@/lib/dal/documents";

/** The actor's read state of one entry: words and an icon, never colour alone. */
export function ReadBadge({ entry }: { entry: DocumentEntry }) {
  const t = useTranslations("documents");
  const format = useFormatter();
  return entry.readAt ? (
    <Badge tone="success" icon="check">
      {t("readOn", { when: format.dateTime(entry.readAt, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" }) })}
    </Badge>
  ) : (
    <Badge tone="neutral" icon="circle">
      {t("unread")}
    </Badge>
  );
}

/** "Role: #position, N min · focus", with the actor's read state on their own lists. */
export function ReadingEntryLine({ entry }: { entry: DocumentEntry }) {
  const t = useTranslations();
  return (
    <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
      <span>{t("documents.entry", { role: t(`roles.${entry.role}`), position: entry.position + 1, minutes: entry.minutes })}</span>
      {entry.sectionHint ? <span className="text-slate-600">· {t("documents.section", { hint: entry.sectionHint })}</span> : null}
      {entry.mine ? <ReadBadge entry={entry} /> : null}
    </span>
  );
}
