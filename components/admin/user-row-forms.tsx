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

type Toggle = (state: ActionResult | undefined, formData: FormData) => Promise<ActionResult>;

/**
 * One button that flips a yes/no setting of a person: posts `userId` and `field` = the
 * opposite of `on`. The admin page's account toggles (active, the create right) are all this.
 */
function UserToggleForm({ toggle, userId, field, on, text, ariaLabel, className }: { toggle: Toggle; userId: string; field: string; on: boolean; text: string; ariaLabel: string; className: string }) {
  const [state, action, pending] = useActionState<ActionResult | undefined, FormData>(toggle, undefined);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name={field} value={on ? "false" : "true"} />
      <button type="submit" disabled={pending} aria-label={ariaLabel} className={`rounded px-2 py-1 text-xs font-medium ${className}`}>
        {text}
      </button>
      <FormStatus state={state} />
    </form>
  );
}

export function ActiveToggleForm({ userId, active, name }: { userId: string; active: boolean; name: string }) {
  const t = useTranslations("admin");
  return (
    <UserToggleForm
      toggle={setUserActiveAction}
      userId={userId}
      field="active"
      on={active}
      text={active ? t("deactivate") : t("reactivate")}
      ariaLabel={active ? t("deactivateName", { name }) : t("reactivateName", { name })}
      className={active ? "border border-red-300 text-red-800 hover:bg-red-50" : "border border-green-300 text-green-800 hover:bg-green-50"}
    />
  );
}

/** The instance admin grants or withdraws the right to create rollouts. */
export function CreateRightForm({ userId, allowed, name }: { userId: string; allowed: boolean; name: string }) {
  const t = useTranslations("admin");
  return (
    <UserToggleForm
      toggle={setCreateRightAction}
      userId={userId}
      field="allowed"
      on={allowed}
      text={allowed ? t("withdrawCreate") : t("grantCreate")}
      ariaLabel={allowed ? t("withdrawCreateName", { name }) : t("grantCreateName", { name })}
      className="border border-slate-300 hover:bg-slate-50"
    />
  );
}
