"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { useKeptAction } from "@/components/ui/use-kept-action";
import { setMemberRolesAction, setUserActiveAction } from "@/lib/actions/users";
import { ALL_ROLES } from "@/lib/domain/roles";
import type { Role } from "@/lib/generated/prisma/enums";
import type { ActionResult } from "@/lib/server/action";

export function MemberRolesForm({ userId, rolloutId, roles, label }: { userId: string; rolloutId: string; roles: Role[]; label: string }) {
  const t = useTranslations();
  const { state, dispatch: action, pending, keptChecked } = useKeptAction(setMemberRolesAction);
  return (
    <form action={action} aria-label={label} className="flex flex-col gap-2">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="rolloutId" value={rolloutId} />
      <div className="flex flex-wrap gap-x-3 gap-y-1">
        {ALL_ROLES.map((role) => (
          <label key={role} className="flex items-center gap-1 text-xs">
            <input type="checkbox" name="roles" value={role} defaultChecked={keptChecked("roles", role, roles.includes(role))} /> {t(`roles.${role}`)}
          </label>
        ))}
      </div>
      <div className="flex items-center gap-2">
        <button type="submit" disabled={pending} className="rounded border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-50">
          {t("admin.saveRoles")}
        </button>
        <FormStatus state={state} />
      </div>
    </form>
  );
}

export function ActiveToggleForm({ userId, active, name }: { userId: string; active: boolean; name: string }) {
  const t = useTranslations("admin");
  const [state, action, pending] = useActionState<ActionResult | undefined, FormData>(setUserActiveAction, undefined);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="active" value={active ? "false" : "true"} />
      <button
        type="submit"
        disabled={pending}
        aria-label={active ? t("deactivateName", { name }) : t("reactivateName", { name })}
        className={`rounded px-2 py-1 text-xs font-medium ${active ? "border border-red-300 text-red-800 hover:bg-red-50" : "border border-green-300 text-green-800 hover:bg-green-50"}`}
      >
        {active ? t("deactivate") : t("reactivate")}
      </button>
      <FormStatus state={state} />
    </form>
  );
}
