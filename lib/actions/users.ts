"use server";

import { revalidatePath } from "next/cache";
import { changeOwnPassword, createUser, setMemberRoles, setUserActive } from "../dal/users";
import { runAction, type ActionResult } from "../server/action";
import { changePasswordSchema, createUserSchema, setMemberRolesSchema, setUserActiveSchema } from "../validation/users";

export async function createUserAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(createUserSchema, formData, async (actor, input) => {
    const user = await createUser(actor, input);
    revalidatePath("/admin/users");
    return { ok: true, message: { key: "messages.userCreated", values: { name: user.name, email: user.email } } };
  });
}

export async function setMemberRolesAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(setMemberRolesSchema, formData, async (actor, input) => {
    const { changed } = await setMemberRoles(actor, input);
    revalidatePath("/admin/users");
    return { ok: true, message: { key: changed ? "messages.rolesSaved" : "messages.nothingChanged" } };
  });
}

export async function setUserActiveAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(setUserActiveSchema, formData, async (actor, input) => {
    const { changed } = await setUserActive(actor, input);
    revalidatePath("/admin/users");
    return { ok: true, message: { key: !changed ? "messages.nothingChanged" : input.active ? "messages.accountReactivated" : "messages.accountDeactivated" } };
  });
}

export async function changePasswordAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(changePasswordSchema, formData, async (actor, input) => {
    await changeOwnPassword(actor, input);
    return { ok: true, message: { key: "messages.passwordChanged" } };
  });
}
