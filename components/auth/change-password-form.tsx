"use client";

import { useTranslations } from "@/lib/i18n/client";
import { useActionState, useEffect } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { changePasswordAction } from "@/lib/actions/users";
import type { ActionResult } from "@/lib/server/action";

export function ChangePasswordForm() {
  const t = useTranslations("account");
  const [state, action, pending] = useActionState<ActionResult | undefined, FormData>(changePasswordAction, undefined);
  useEffect(() => {
    // The change ended every session, this one included.
    if (state?.ok) void import("next-auth/react").then(({ signOut }) => signOut({ callbackUrl: "/sign-in" }));
  }, [state]);
  const errorFor = (field: string) => (state && !state.ok ? state.fieldErrors?.[field]?.[0] : undefined);
  return (
    <form action={action} className="flex max-w-sm flex-col gap-3">
      {(["currentPassword", "newPassword", "confirmPassword"] as const).map((field) => (
        <div key={field} className="flex flex-col gap-1">
          <label htmlFor={field} className="text-sm font-medium">{t(field)}</label>
          <input
            id={field}
            name={field}
            type="password"
            autoComplete={field === "currentPassword" ? "current-password" : "new-password"}
            required
            aria-invalid={errorFor(field) ? true : undefined}
            className="rounded-md border border-slate-300 px-3 py-2"
          />
          {errorFor(field) ? <p className="text-sm text-red-700">{errorFor(field)}</p> : null}
        </div>
      ))}
      <p className="text-xs text-slate-600">{t("policy")}</p>
      <button type="submit" disabled={pending} className="rounded-md bg-green-700 px-4 py-2 font-semibold text-white hover:bg-green-800 disabled:opacity-60">
        {t("submit")}
      </button>
      <FormStatus state={state} />
    </form>
  );
}
