"use client";

import { useTranslations } from "@/lib/i18n/client";
import { useActionState } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { updateNotificationPreferencesAction } from "@/lib/actions/notifications";
import type { ActionResult } from "@/lib/server/action";

type Props = { kinds: string[]; channels: Record<string, string>; dailyDigest: boolean; emailEnabled: boolean };

const CHANNELS = ["BOTH", "IN_APP", "EMAIL", "NONE"] as const;

/** My notification settings: where each kind reaches me, and the daily digest. Works without JavaScript. */
export function NotificationPreferencesForm({ kinds, channels, dailyDigest, emailEnabled }: Props) {
  const t = useTranslations("notifications");
  const [state, action, pending] = useActionState<ActionResult | undefined, FormData>(updateNotificationPreferencesAction, undefined);
  return (
    <form action={action} className="flex flex-col gap-4" data-testid="notification-preferences">
      {emailEnabled ? null : <p className="text-sm text-amber-800">{t("preferences.emailOff")}</p>}
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-slate-600">
            <th scope="col" className="py-1 pr-3 font-medium">{t("preferences.kindColumn")}</th>
            <th scope="col" className="py-1 font-medium">{t("preferences.channelColumn")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {kinds.map((kind) => (
            <tr key={kind}>
              <th scope="row" className="py-2 pr-3 text-left font-normal">
                <label htmlFor={`channel-${kind}`}>{t(`kind.${kind}` as never)}</label>
              </th>
              <td className="py-2">
                <select id={`channel-${kind}`} name={`channel.${kind}`} defaultValue={channels[kind]} className="w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 sm:w-48">
                  {CHANNELS.map((channel) => (
                    <option key={channel} value={channel}>
                      {t(`preferences.channel.${channel}`)}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="dailyDigest" defaultChecked={dailyDigest} className="mt-0.5 h-4 w-4" />
        <span>{t("preferences.digest")}</span>
      </label>
      <div>
        <button type="submit" disabled={pending} className="rounded-md bg-slate-900 px-4 py-2 font-semibold text-white hover:bg-slate-800 disabled:opacity-60">
          {pending ? t("preferences.saving") : t("preferences.save")}
        </button>
      </div>
      <FormStatus state={state} />
    </form>
  );
}
