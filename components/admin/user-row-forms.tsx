"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { useKeptAction } from "@/components/ui/use-kept-action";
import { setCreateRightAction, setMemberRolesAction, setUserActiveAction } from "@/lib/actions/users";
import { ALL_ROLES } from "@/lib/domain/roles";
import type { ActionResult } from "@/lib/server/action";

/** A member's roles in one rollout: built-in ones and the rollout's own ("custom:<id>"). */
export function MemberRolesForm({
  userId,
  rolloutId,
  roles,
  customRoles = [],
  label,
}: {
  userId: string;
  rolloutId: string;
  roles: string[];
  customRoles?: { id: string; name: string }[];
  label: string;
}) {
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
        {customRoles.map((role) => (
          <label key={role.id} className="flex items-center gap-1 text-xs">
            <input type="checkbox" name="roles" value={`custom:${role.id}`} defaultChecked={roles.includes(`custom:${role.id}`)} /> {role.name}
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

/** The instance admin grants or withdraws the right to create rollouts. */
export function CreateRightForm({ userId, allowed, name }: { userId: string; allowed: boolean; name: string }) {
  const t = useTranslations("admin");
  const [state, action, pending] = useActionState<ActionResult | undefined, FormData>(setCreateRightAction, undefined);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="allowed" value={allowed ? "false" : "true"} />
      <button
        type="submit"
        disabled={pending}
        aria-label={allowed ? t("withdrawCreateName", { name }) : t("grantCreateName", { name })}
        className="rounded border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-50"
      >
        {allowed ? t("withdrawCreate") : t("grantCreate")}
      </button>
      <FormStatus state={state} />
    </form>
  );
}
