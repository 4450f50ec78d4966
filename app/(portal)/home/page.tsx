import { redirect } from "next/navigation";
import { getMemberships } from "@/lib/auth/access";
import { requirePageActor } from "@/lib/auth/session";
import { listHeldCustomRoles } from "@/lib/dal/roles";
import { homePath } from "@/lib/domain/home";

export default async function HomePage() {
  const actor = await requirePageActor();
  const memberships = (await getMemberships(actor.id)).filter((m) => !m.isTemplate && !m.archived);
  const first = memberships[0];
  // A query only for someone holding one of the rollout's own roles: their dashboard may be one.
  const customRoleSlugs = first ? (await listHeldCustomRoles(actor, first.rolloutId)).map((r) => r.slug) : [];
  redirect(homePath(first ? [{ ...first, customRoleSlugs }] : []));
}
