"use client";

import { useTranslations } from "@/lib/i18n/client";
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

// The admin page's account toggles: one button that flips a yes/no setting of a person,
// posting `userId` and the setting's field = the opposite of its current value.
const TOGGLES = {
  active: {
    action: setUserActiveAction,
    whenOn: { text: "deactivate", aria: "deactivateName", className: "border border-red-300 text-red-800 hover:bg-red-50" },
    whenOff: { text: "reactivate", aria: "reactivateName", className: "border border-green-300 text-green-800 hover:bg-green-50" },
  },
  allowed: {
    action: setCreateRightAction,
    whenOn: { text: "withdrawCreate", aria: "withdrawCreateName", className: "border border-slate-300 hover:bg-slate-50" },
    whenOff: { text: "grantCreate", aria: "grantCreateName", className: "border border-slate-300 hover:bg-slate-50" },
  },
} as const;

function UserToggleForm({ field, userId, on, name }: { field: keyof typeof TOGGLES; userId: string; on: boolean; name: string }) {
  const t = useTranslations("admin");
  const toggle = TOGGLES[field];
  const { text, aria, className } = on ? toggle.whenOn : toggle.whenOff;
  const [state, action, pending] = useActionState<ActionResult | undefined, FormData>(toggle.action, undefined);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name={field} value={on ? "false" : "true"} />
      <button type="submit" disabled={pending} aria-label={t(aria, { name })} className={`rounded px-2 py-1 text-xs font-medium ${className}`}>
        {t(text)}
      </button>
      <FormStatus state={state} />
    </form>
  );
}

/** An admin deactivates or reactivates a person's account. */
export function ActiveToggleForm({ userId, active, name }: { userId: string; active: boolean; name: string }) {
  return <UserToggleForm field="active" userId={userId} on={active} name={name} />;
}

/** The instance admin grants or withdraws the right to create rollouts. */
export function CreateRightForm({ userId, allowed, name }: { userId: string; allowed: boolean; name: string }) {
  return <UserToggleForm field="allowed" userId={userId} on={allowed} name={name} />;
}
