"use client";

import { useTranslations } from "@/lib/i18n/client";
import { useActionState, useEffect } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { signOutEverywhereAction } from "@/lib/actions/sessions";
import type { ActionResult } from "@/lib/server/action";

export function SignOutEverywhereForm() {
  const t = useTranslations("account");
  const [state, action, pending] = useActionState<ActionResult | undefined, FormData>(signOutEverywhereAction, undefined);
  useEffect(() => {
    // Every session ended on the server, this one included; leave the portal too.
    if (state?.ok) void import("next-auth/react").then(({ signOut }) => signOut({ callbackUrl: "/sign-in" }));
  }, [state]);
  return (
    <form action={action} className="flex max-w-sm flex-col gap-3">
      <p className="text-sm text-slate-600">{t("sessionsHint")}</p>
      <button type="submit" disabled={pending} className="rounded-md border border-red-700 px-4 py-2 font-semibold text-red-800 hover:bg-red-50 disabled:opacity-60">
        {t("signOutEverywhere")}
      </button>
      <FormStatus state={state} />
    </form>
  );
}
