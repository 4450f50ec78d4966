import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { WebhookButton } from "./webhook-forms";

type Delivery = { id: string; action: string; eventSeq: number; status: "PENDING" | "DELIVERED" | "FAILED"; attempts: number; lastStatusCode: number | null; lastError: string | null; lastAttemptAt: Date | null; createdAt: Date };
type Endpoint = { id: string; url: string; events: string[]; slack: boolean; disabledAt: Date | null; deliveries: Delivery[] };

/**
 * A rollout's webhook endpoints (never their secrets), each with its latest deliveries.
 * Disabling and deleting are always offered; `canAdd` (not on an archived rollout) adds
 * enabling again and sending again.
 */
export async function WebhookList({ rolloutId, endpoints, canAdd }: { rolloutId: string; endpoints: Endpoint[]; canAdd: boolean }) {
  const [t, format] = await Promise.all([getTranslations("webhooks"), getFormatter()]);
  if (endpoints.length === 0) return <p className="text-sm text-slate-600">{t("none")}</p>;
  const when = (date: Date) => format.dateTime(date, { dateStyle: "short", timeStyle: "medium" });
  const tone = { PENDING: "warning", DELIVERED: "success", FAILED: "danger" } as const;
  return (
    <ul className="flex flex-col gap-3">
      {endpoints.map((endpoint) => {
        const log = endpoint.deliveries;
        return (
          <li key={endpoint.id} className="flex min-w-0 flex-col gap-2 rounded-md border border-slate-200 p-3 text-sm" data-testid={`webhook-${endpoint.id}`}>
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div className="flex min-w-0 flex-col gap-0.5">
                <p className="break-all font-mono text-xs">{endpoint.url}</p>
                <p className="break-words text-slate-600">
                  {endpoint.events.join(", ")} {endpoint.slack ? <Badge tone="info">{t("slackBadge")}</Badge> : null}
                </p>
                <p>{endpoint.disabledAt ? <Badge tone="danger" icon="stop">{t("disabled", { date: when(endpoint.disabledAt) })}</Badge> : <Badge tone="success">{t("active")}</Badge>}</p>
              </div>
              <div className="flex gap-2">
                {endpoint.disabledAt ? (
                  canAdd ? <WebhookButton kind="enable" rolloutId={rolloutId} id={endpoint.id} label={endpoint.url} /> : null
                ) : (
                  <WebhookButton kind="disable" rolloutId={rolloutId} id={endpoint.id} label={endpoint.url} />
                )}
                <WebhookButton kind="delete" rolloutId={rolloutId} id={endpoint.id} label={endpoint.url} />
              </div>
            </div>
            <h3 className="font-semibold">{t("log")}</h3>
            {log.length === 0 ? (
              <p className="text-slate-600">{t("noDeliveries")}</p>
            ) : (
              <ul className="flex flex-col divide-y divide-slate-100 text-xs">
                {log.map((delivery) => (
                  <li key={delivery.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5" data-testid={`delivery-${delivery.id}`}>
                    <span className="break-all font-mono">
                      #{delivery.eventSeq} {delivery.action}
                    </span>
                    <Badge tone={tone[delivery.status]}>{t(`status${delivery.status}`)}</Badge>
                    <span title={delivery.lastError ?? undefined}>
                      {t("code")}: <span className="font-mono">{delivery.lastStatusCode ?? (delivery.lastError ? delivery.lastError : "—")}</span>
                    </span>
                    <span>
                      {t("attempts")}: {delivery.attempts}
                    </span>
                    <span className="whitespace-nowrap text-slate-600">{when(delivery.lastAttemptAt ?? delivery.createdAt)}</span>
                    {canAdd && delivery.status !== "PENDING" ? <WebhookButton kind="resend" rolloutId={rolloutId} id={delivery.id} label={`#${delivery.eventSeq} ${delivery.action}`} /> : null}
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}
