import "server-only";
import { assertCan, getMemberships } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import type { Role } from "../generated/prisma/enums";

export type ContactPerson = { id: string; name: string; email: string };

export type ContactView = {
  id: string;
  position: number;
  topic: string;
  role: Role;
  /** The rollout's own role the contact names, if any (its people are that role's holders, not the base role's). */
  customRole: { id: string; name: string } | null;
  /** The plan's own words for whom to contact, when it named the role its own way. */
  roleLabel: string | null;
  notes: string | null;
  /** The first active people who hold the role (or the custom role) in this rollout, by name (at most CONTACT_PEOPLE_SHOWN). */
  people: ContactPerson[];
  /** How many active people hold it. */
  peopleCount: number;
};

/** People named per contact: a role held by many is named by its first few, with how many more. */
export const CONTACT_PEOPLE_SHOWN = 3;

export type ContactList = {
  rollout: { id: string; slug: string; name: string };
  contacts: ContactView[];
};

/**
 * The plan's "who to contact": topic → role → the active people holding that role in
 * the rollout. A contact naming a custom role lists that role's holders only. Two queries
 * in parallel (contacts with their custom role's name in one statement, members), joined here.
 */
export async function listContacts(actor: Actor, slug: string): Promise<ContactList> {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  await assertCan(actor, membership.rolloutId, "rollout.view");
  const db = getDb();
  const [contacts, members] = await Promise.all([
    db.$queryRaw<{ id: string; position: number; topic: string; role: Role; roleLabel: string | null; notes: string | null; customRoleId: string | null; customRoleName: string | null }[]>`
      SELECT c.id, c.position, c.topic, c.role::text AS role, c."roleLabel", c.notes, c."customRoleId", r.name AS "customRoleName"
      FROM "Contact" c LEFT JOIN "RolloutRole" r ON r.id = c."customRoleId"
      WHERE c."rolloutId" = ${membership.rolloutId}
      ORDER BY c.position ASC`,
    db.rolloutMember.findMany({
      where: { rolloutId: membership.rolloutId, user: { active: true } },
      select: { roleKey: true, user: { select: { id: true, name: true, email: true } } },
      orderBy: [{ user: { name: "asc" } }, { userId: "asc" }],
    }),
  ]);
  // A holding's key is the built-in role's name, or the custom role's id.
  const byRoleKey = new Map<string, ContactPerson[]>();
  for (const member of members) {
    const people = byRoleKey.get(member.roleKey) ?? [];
    if (!people.some((p) => p.id === member.user.id)) people.push(member.user);
    byRoleKey.set(member.roleKey, people);
  }
  return {
    rollout: { id: membership.rolloutId, slug: membership.slug, name: membership.name },
    contacts: contacts.map(({ customRoleId, customRoleName, ...contact }) => {
      const people = byRoleKey.get(customRoleId ?? contact.role) ?? [];
      return {
        ...contact,
        customRole: customRoleId && customRoleName ? { id: customRoleId, name: customRoleName } : null,
        people: people.slice(0, CONTACT_PEOPLE_SHOWN),
        peopleCount: people.length,
      };
    }),
  };
}
