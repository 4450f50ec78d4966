import type { Db } from "@/lib/db/client";
import { ALL_ROLES } from "@/lib/domain/roles";
import type { Role } from "@/lib/generated/prisma/enums";
import { createRollout, createUser, unique } from "./factories";
import { sessionCookie, setRequest } from "./request-context";

// The callers of the hand-written authorization tables (rollouts-authorization,
// plan-import-action, api-tokens, webhooks-authorization): each file lists the callers it
// checks and writes its own expectations; this only makes the person each name stands for.

/**
 * Who calls, relative to the rollout under test ("A"):
 * - a built-in role's name: a member of A holding that role only;
 * - "custom role (base <ROLE>)": holds one of A's custom roles built on that role;
 * - "VIEWER of A with the create right": a VIEWER of A who may create rollouts;
 * - "instance admin": the instance's administrator, not a member of A;
 * - "admin of rollout B" / "member of rollout B": an ADMIN / an EXECUTIVE of another rollout;
 * - "outsider": a member of another rollout holding every built-in role;
 * - "signed out": nobody.
 */
export type CallerKind =
  | Role
  | `custom role (base ${Role})`
  | "VIEWER of A with the create right"
  | "instance admin"
  | "admin of rollout B"
  | "member of rollout B"
  | "outsider"
  | "signed out";

export type Caller = Awaited<ReturnType<typeof createUser>>;

const BUILT_IN: readonly string[] = ALL_ROLES;

/**
 * Makes the caller `kind` names for rollout `rolloutId`; `elsewhere` is rollout B (a fresh
 * rollout when not given). Null for "signed out".
 */
export async function makeCaller(db: Db, kind: CallerKind, rolloutId: string, elsewhere?: string): Promise<Caller | null> {
  const other = async () => elsewhere ?? (await createRollout(db)).id;
  if (BUILT_IN.includes(kind)) return createUser(db, { rolloutId, roles: [kind as Role] });
  const custom = /^custom role \(base ([A-Z_]+)\)$/.exec(kind);
  if (custom) {
    const baseRole = custom[1] as Role;
    const role = await db.rolloutRole.create({ data: { rolloutId, slug: unique("custom"), name: unique("Custom"), baseRole, position: 0 } });
    const user = await createUser(db);
    await db.rolloutMember.create({ data: { rolloutId, userId: user.id, role: baseRole, customRoleId: role.id } });
    return user;
  }
  switch (kind) {
    case "VIEWER of A with the create right": {
      const user = await createUser(db, { rolloutId, roles: ["VIEWER"] });
      await db.user.update({ where: { id: user.id }, data: { canCreateRollouts: true } });
      return user;
    }
    case "instance admin": {
      const user = await createUser(db);
      await db.user.update({ where: { id: user.id }, data: { isInstanceAdmin: true } });
      return user;
    }
    case "admin of rollout B":
      return createUser(db, { rolloutId: await other(), roles: ["ADMIN"] });
    case "member of rollout B":
      return createUser(db, { rolloutId: await other(), roles: ["EXECUTIVE"] });
    case "outsider":
      return createUser(db, { rolloutId: await other(), roles: [...ALL_ROLES] });
    case "signed out":
      return null;
  }
  throw new Error(`unknown caller ${kind}`);
}

/** The request's session: the caller's (read afresh, with its current session version), or none. */
export async function signInAs(db: Db, caller: { id: string } | null): Promise<void> {
  setRequest({ cookie: caller ? await sessionCookie(await db.user.findUniqueOrThrow({ where: { id: caller.id } })) : null });
}
