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
  /** The plan's own words for whom to contact, when it named the role its own way. */
  roleLabel: string | null;
  notes: string | null;
  /** The active people who hold the role in this rollout, by name. */
  people: ContactPerson[];
};

export type ContactList = {
  rollout: { id: string; slug: string; name: string };
  contacts: ContactView[];
};

/**
 * The plan's "who to contact": topic → role → the active people holding that role in
 * the rollout. Two queries in parallel (contacts, members), joined here.
 */
export async function listContacts(actor: Actor, slug: string): Promise<ContactList> {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  await assertCan(actor, membership.rolloutId, "rollout.view");
  const db = getDb();
  const [contacts, members] = await Promise.all([
    db.contact.findMany({
      where: { rolloutId: membership.rolloutId },
      select: { id: true, position: true, topic: true, role: true, roleLabel: true, notes: true },
      orderBy: { position: "asc" },
    }),
    db.rolloutMember.findMany({
      where: { rolloutId: membership.rolloutId, user: { active: true } },
      select: { role: true, user: { select: { id: true, name: true, email: true } } },
      orderBy: [{ user: { name: "asc" } }, { userId: "asc" }],
    }),
  ]);
  const byRole = new Map<Role, ContactPerson[]>();
  for (const member of members) {
    const people = byRole.get(member.role) ?? [];
    people.push(member.user);
    byRole.set(member.role, people);
  }
  return {
    rollout: { id: membership.rolloutId, slug: membership.slug, name: membership.name },
    contacts: contacts.map((contact) => ({ ...contact, people: byRole.get(contact.role) ?? [] })),
  };
}
