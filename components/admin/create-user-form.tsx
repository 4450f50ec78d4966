"use client";

import { useTranslations } from "next-intl";
import { FormStatus } from "@/components/ui/form-status";
import { useKeptAction } from "@/components/ui/use-kept-action";
import { createUserAction } from "@/lib/actions/users";
import { ALL_ROLES } from "@/lib/domain/roles";

const input = "rounded-md border border-slate-300 px-3 py-2";

export function CreateUserForm({ rollouts }: { rollouts: { id: string; name: string }[] }) {
  const t = useTranslations();
  const { state, dispatch: action, pending, kept, keptChecked } = useKeptAction(createUserAction);
  const errorFor = (field: string) => (state && !state.ok ? state.fieldErrors?.[field]?.[0] : undefined);
  return (
    <form action={action} className="grid gap-3 sm:grid-cols-2">
      {(["name", "email", "password"] as const).map((field) => (
        <div key={field} className="flex flex-col gap-1">
          <label htmlFor={`new-${field}`} className="text-sm font-medium">{t(`admin.${field}`)}</label>
          <input
            id={`new-${field}`}
            name={field}
            type={field === "password" ? "password" : field === "email" ? "email" : "text"}
            autoComplete={field === "password" ? "new-password" : "off"}
            required
            defaultValue={kept(field)}
            aria-invalid={errorFor(field) ? true : undefined}
            aria-describedby={errorFor(field) ? `new-${field}-error` : undefined}
            className={input}
          />
          {errorFor(field) ? <p id={`new-${field}-error`} className="text-sm text-red-700">{errorFor(field)}</p> : null}
        </div>
      ))}
      <div className="flex flex-col gap-1">
        <label htmlFor="new-rollout" className="text-sm font-medium">{t("admin.rollout")}</label>
        <select id="new-rollout" name="rolloutId" defaultValue={kept("rolloutId", rollouts[0]?.id)} className={input}>
          {rollouts.map((rollout) => (
            <option key={rollout.id} value={rollout.id}>{rollout.name}</option>
          ))}
        </select>
      </div>
      <fieldset className="sm:col-span-2">
        <legend className="text-sm font-medium">{t("admin.roles")}</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {ALL_ROLES.map((role) => (
            <label key={role} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" name="roles" value={role} defaultChecked={keptChecked("roles", role)} /> {t(`roles.${role}`)}
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
