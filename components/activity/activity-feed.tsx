import { useFormatter, useTranslations } from "next-intl";
import type { ActivityEvent } from "@/lib/dal/activity";
import { describeActivity } from "./describe-activity";

/** The rollout's audit events as sentences, each with its time in UTC. */
export function ActivityFeed({ events }: { events: ActivityEvent[] }) {
  const t = useTranslations();
  const format = useFormatter();
  return (
    <ol className="divide-y divide-slate-100">
      {events.map((event) => {
        const { sentence, details } = describeActivity(event, t);
        const time = format.dateTime(event.at, {
          year: "numeric",
          month: "short",
          day: "numeric",
          hour: "2-digit",
          minute: "2-digit",
          hourCycle: "h23",
          timeZone: "UTC",
        });
        return (
          <li key={event.seq} className="flex flex-col gap-0.5 py-3 sm:flex-row sm:gap-4">
            <time dateTime={event.at.toISOString()} className="shrink-0 text-sm tabular-nums text-slate-600 sm:w-48">
              {t("activity.time", { time })}
            </time>
            <div className="min-w-0">
              <p className="break-words text-slate-900">{sentence}</p>
              {details.map((line, index) => (
                <p key={index} className="break-words text-sm text-slate-600">
                  {line}
                </p>
              ))}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
