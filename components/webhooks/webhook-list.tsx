import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { WebhookButton } from "./webhook-forms";

type Delivery = { id: string; action: string; eventSeq: number; status: "PENDING" | "DELIVERED" | "FAILED"; attempts: number; lastStatusCode: number | null; lastError: string | null; lastAttemptAt: Date | null; createdAt: Date };
type Endpoint = { id: string; url: string; events: string[]; slack: boolean; disabledAt: Date | null; deliveries: Delivery[] };

/** A rollout's webhook endpoints (never their secrets), each with its latest deliveries. */
export async function WebhookList({ rolloutId, endpoints, writable }: { rolloutId: string; endpoints: Endpoint[]; writable: boolean }) {
  const [t, format] = await Promise.all([getTranslations("webhooks"), getFormatter()]);
  if (endpoints.length === 0) return <p className="text-sm text-slate-600">{t("none")}</p>;
  const when = (date: Date) => format.dateTime(date, { dateStyle: "short", timeStyle: "medium" });
  const tone = { PENDING: "warning", DELIVERED: "success", FAILED: "danger" } as const;
  return (
    <ul className="flex flex-col gap-3">
      {endpoints.map((endpoint) => {
        const log = endpoint.deliveries;
        return (
          <li key={endpoint.id} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3 text-sm" data-testid={`webhook-${endpoint.id}`}>
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div className="flex min-w-0 flex-col gap-0.5">
                <p className="break-all font-mono text-xs">{endpoint.url}</p>
                <p className="break-words text-slate-600">
                  {endpoint.events.join(", ")} {endpoint.slack ? <Badge tone="info">{t("slackBadge")}</Badge> : null}
                </p>
                <p>{endpoint.disabledAt ? <Badge tone="danger" icon="stop">{t("disabled", { date: when(endpoint.disabledAt) })}</Badge> : <Badge tone="success">{t("active")}</Badge>}</p>
              </div>
              {writable ? (
                <div className="flex gap-2">
                  {endpoint.disabledAt ? <WebhookButton kind="enable" rolloutId={rolloutId} id={endpoint.id} label={endpoint.url} /> : null}
                  <WebhookButton kind="delete" rolloutId={rolloutId} id={endpoint.id} label={endpoint.url} />
                </div>
              ) : null}
            </div>
            <h3 className="font-semibold">{t("log")}</h3>
            {log.length === 0 ? (
              <p className="text-slate-600">{t("noDeliveries")}</p>
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full text-left text-xs">
                  <thead>
                    <tr className="text-slate-600">
                      <th className="py-1 pr-2 font-medium">{t("event")}</th>
                      <th className="py-1 pr-2 font-medium">{t("status")}</th>
                      <th className="py-1 pr-2 font-medium">{t("code")}</th>
                      <th className="py-1 pr-2 font-medium">{t("attempts")}</th>
                      <th className="py-1 pr-2 font-medium">{t("time")}</th>
                      {writable ? <th className="py-1 font-medium"><span className="sr-only">{t("resend")}</span></th> : null}
                    </tr>
                  </thead>
                  <tbody>
                    {log.map((delivery) => (
                      <tr key={delivery.id} className="border-t border-slate-100 align-top" data-testid={`delivery-${delivery.id}`}>
                        <td className="py-1 pr-2 font-mono">
                          #{delivery.eventSeq} {delivery.action}
                        </td>
                        <td className="py-1 pr-2">
                          <Badge tone={tone[delivery.status]}>{t(`status${delivery.status}`)}</Badge>
                        </td>
                        <td className="py-1 pr-2 font-mono" title={delivery.lastError ?? undefined}>
                          {delivery.lastStatusCode ?? (delivery.lastError ? "—" : "")}
                        </td>
                        <td className="py-1 pr-2">{delivery.attempts}</td>
                        <td className="py-1 pr-2 whitespace-nowrap">{when(delivery.lastAttemptAt ?? delivery.createdAt)}</td>
                        {writable ? (
                          <td className="py-1">{delivery.status === "PENDING" ? null : <WebhookButton kind="resend" rolloutId={rolloutId} id={delivery.id} label={`#${delivery.eventSeq} ${delivery.action}`} />}</td>
                        ) : null}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
