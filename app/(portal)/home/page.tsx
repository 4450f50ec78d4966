import { redirect } from "next/navigation";
import { getMemberships } from "@/lib/auth/access";
import { requirePageActor } from "@/lib/auth/session";
import { homePath } from "@/lib/domain/home";

export default async function HomePage() {
  const actor = await requirePageActor();
  redirect(homePath((await getMemberships(actor.id)).filter((m) => !m.isTemplate && !m.archived)));
}
