"use client";

import { useTranslations } from "@/lib/i18n/client";
import { FormStatus } from "@/components/ui/form-status";
import { useKeptAction } from "@/components/ui/use-kept-action";
import { createUserAction } from "@/lib/actions/users";
import { ALL_ROLES } from "@/lib/domain/roles";

const input = "rounded-md border border-slate-300 px-3 py-2";

export type RolloutChoice = { id: string; name: string; customRoles: { id: string; name: string }[] };

/**
 * Adds a person to a rollout by email. An email with an account adds that account; a new
 * one needs a name and an initial password. With one rollout given, the rollout is fixed.
 */
export function CreateUserForm({ rollouts, idPrefix = "new" }: { rollouts: RolloutChoice[]; idPrefix?: string }) {
  const t = useTranslations();
  const { state, dispatch: action, pending, kept, keptChecked } = useKeptAction(createUserAction);
  const errorFor = (field: string) => (state && !state.ok ? state.fieldErrors?.[field]?.[0] : undefined);
  const fixed = rollouts.length === 1 ? rollouts[0] : undefined;
  // Custom roles are offered when the rollout is fixed (each rollout has its own).
  const customRoles = fixed?.customRoles ?? [];
  return (
    <form action={action} className="grid gap-3 sm:grid-cols-2">
      <p className="text-sm text-slate-600 sm:col-span-2">{t("admin.addHint")}</p>
      {(["email", "name", "password"] as const).map((field) => (
        <div key={field} className="flex flex-col gap-1">
          <label htmlFor={`${idPrefix}-${field}`} className="text-sm font-medium">{t(`admin.${field}`)}</label>
          <input
            id={`${idPrefix}-${field}`}
            name={field}
            type={field === "password" ? "password" : field === "email" ? "email" : "text"}
            autoComplete={field === "password" ? "new-password" : "off"}
            required={field === "email"}
            defaultValue={kept(field)}
            aria-invalid={errorFor(field) ? true : undefined}
            aria-describedby={errorFor(field) ? `${idPrefix}-${field}-error` : undefined}
            className={input}
          />
          {errorFor(field) ? <p id={`${idPrefix}-${field}-error`} className="text-sm text-red-700">{errorFor(field)}</p> : null}
        </div>
      ))}
      {fixed ? (
        <input type="hidden" name="rolloutId" value={fixed.id} />
      ) : (
        <div className="flex flex-col gap-1">
          <label htmlFor={`${idPrefix}-rollout`} className="text-sm font-medium">{t("admin.rollout")}</label>
          <select id={`${idPrefix}-rollout`} name="rolloutId" defaultValue={kept("rolloutId", rollouts[0]?.id)} className={input}>
            {rollouts.map((rollout) => (
              <option key={rollout.id} value={rollout.id}>{rollout.name}</option>
            ))}
          </select>
        </div>
      )}
      <fieldset className="sm:col-span-2">
        <legend className="text-sm font-medium">{t("admin.roles")}</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {ALL_ROLES.map((role) => (
            <label key={role} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" name="roles" value={role} defaultChecked={keptChecked("roles", role)} /> {t(`roles.${role}`)}
            </label>
          ))}
          {customRoles.map((role) => (
            <label key={role.id} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" name="roles" value={`custom:${role.id}`} /> {role.name}
            </label>
          ))}
        </div>
        {errorFor("roles") ? <p className="text-sm text-red-700">{errorFor("roles")}</p> : null}
      </fieldset>
      <div className="flex items-center gap-3 sm:col-span-2">
        <button type="submit" disabled={pending} className="rounded-md bg-green-700 px-4 py-2 font-semibold text-white hover:bg-green-800 disabled:opacity-60">
          {t("admin.create")}
        </button>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
