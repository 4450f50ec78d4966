"use client";

import { useTranslations } from "@/lib/i18n/client";
import { useActionState } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { createPersonalTokenAction, createServiceAccountAction, revokePersonalTokenAction, revokeServiceTokenAction } from "@/lib/actions/api-tokens";
import type { ActionResult } from "@/lib/server/action";

const SCOPES = ["read", "items:write", "signoffs:decide", "criteria:verify", "plan:write", "admin"] as const;

/**
 * Creates a personal access token (no `rolloutId`) or a service account of the rollout
 * with its first token (`rolloutId` and the roles it may hold). The secret is shown once.
 */
export function CreateTokenForm({ rolloutId, roles }: { rolloutId?: string; roles?: { value: string; label: string }[] }) {
  const t = useTranslations("apiTokens");
  const service = rolloutId !== undefined;
  const [state, act, pending] = useActionState<ActionResult | undefined, FormData>(service ? createServiceAccountAction : createPersonalTokenAction, undefined);
  const token = state?.ok ? (state.data as { token?: string } | undefined)?.token : undefined;
  const prefix = service ? "sa" : "pat";
  return (
    <form action={act} className="flex flex-col gap-3">
      {service ? <input type="hidden" name="rolloutId" value={rolloutId} /> : null}
      <div className="flex flex-wrap gap-3">
        <label className="flex flex-col gap-1 text-sm">
          {t("name")}
          <input name="name" required maxLength={100} className="rounded border border-slate-300 px-2 py-1" />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          {t("expiresInDays")}
          <input name="expiresInDays" type="number" min={1} max={366} defaultValue={90} required className="w-28 rounded border border-slate-300 px-2 py-1" />
        </label>
      </div>
      {service && roles ? (
        <fieldset className="flex flex-col gap-1 text-sm">
          <legend className="font-medium">{t("roles")}</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {roles.map((role) => (
              <label key={role.value} className="flex items-center gap-1">
                <input type="checkbox" name="roles" value={role.value} /> {role.label}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      <fieldset className="flex flex-col gap-1 text-sm">
        <legend className="font-medium">{t("scopes")}</legend>
        {SCOPES.map((scope) => (
          <label key={scope} className="flex items-start gap-2">
            <input type="checkbox" name="scopes" value={scope} className="mt-1" id={`${prefix}-scope-${scope}`} /> <span>{t(`scope.${scope}`)}</span>
          </label>
        ))}
      </fieldset>
      <div>
        <button type="submit" disabled={pending} className="rounded-md bg-green-700 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-60">
          {service ? t("createService") : t("create")}
        </button>
      </div>
      {token ? (
        <p className="flex flex-col gap-1 text-sm">
          <label htmlFor={`${prefix}-new-token`}>{t("copy")}</label>
          <input id={`${prefix}-new-token`} readOnly value={token} className="rounded border border-slate-300 px-2 py-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        </p>
      ) : null}
      <FormStatus state={state} />
    </form>
  );
}

export function RevokeTokenButton({ tokenId, rolloutId, label }: { tokenId: string; rolloutId?: string; label: string }) {
  const t = useTranslations("apiTokens");
  const [state, act, pending] = useActionState<ActionResult | undefined, FormData>(rolloutId ? revokeServiceTokenAction : revokePersonalTokenAction, undefined);
  return (
    <form action={act} className="flex flex-col gap-1">
      <input type="hidden" name="tokenId" value={tokenId} />
      {rolloutId ? <input type="hidden" name="rolloutId" value={rolloutId} /> : null}
      <button type="submit" disabled={pending} aria-label={`${t("revoke")}: ${label}`} className="rounded-md border border-red-300 px-2 py-1 text-xs font-semibold text-red-800 disabled:opacity-60">
        {t("revoke")}
      </button>
      {state && !state.ok ? <FormStatus state={state} /> : null}
    </form>
  );
}
