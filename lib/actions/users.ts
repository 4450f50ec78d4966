"use server";

import { revalidatePath } from "next/cache";
import { changeOwnPassword, createUser, setCreateRight, setMemberRoles, setUserActive } from "../dal/users";
import type { Message, NoticeKey } from "../i18n/format";
import { runAction, type ActionResult } from "../server/action";
import { changePasswordSchema, createUserSchema, setCreateRightSchema, setMemberRolesSchema, setUserActiveSchema } from "../validation/users";

function revalidatePeople() {
  revalidatePath("/admin/users");
  revalidatePath("/r/[slug]/settings", "page");
}

export async function createUserAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(createUserSchema, formData, async (actor, input) => {
    const result = await createUser(actor, input);
    revalidatePeople();
    // The same words whether or not the account was already in other rollouts: nothing about it leaks.
    const message: Message<NoticeKey> = result.created
      ? { key: "messages.userCreated", values: { name: result.name ?? "", email: result.email } }
      : { key: "messages.memberAdded", values: { email: result.email } };
    return { ok: true, message };
  });
}

export async function setMemberRolesAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(setMemberRolesSchema, formData, async (actor, input) => {
    const { changed } = await setMemberRoles(actor, input);
    revalidatePeople();
    return { ok: true, message: { key: changed ? "messages.rolesSaved" : "messages.nothingChanged" } };
  });
}

export async function setUserActiveAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(setUserActiveSchema, formData, async (actor, input) => {
    const { changed } = await setUserActive(actor, input);
    revalidatePeople();
    return { ok: true, message: { key: !changed ? "messages.nothingChanged" : input.active ? "messages.accountReactivated" : "messages.accountDeactivated" } };
  });
}

export async function setCreateRightAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(setCreateRightSchema, formData, async (actor, input) => {
    const { changed } = await setCreateRight(actor, input);
    revalidatePeople();
    return { ok: true, message: { key: !changed ? "messages.nothingChanged" : input.allowed ? "messages.createRightGranted" : "messages.createRightWithdrawn" } };
  });
}

export async function changePasswordAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(changePasswordSchema, formData, async (actor, input) => {
    await changeOwnPassword(actor, input);
    return { ok: true, message: { key: "messages.passwordChanged" } };
  });
}
