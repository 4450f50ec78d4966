import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getMemberships } from "@/lib/auth/access";
import { can } from "@/lib/auth/permissions";
import { requirePageActor } from "@/lib/auth/session";

// "Not found" for someone who manages nobody is decided here, before the section's
// loading placeholder starts the response (which fixes its status at 200). The data
// layer checks the same rule again on every read and write.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();
  if (!(await getMemberships(actor.id)).some((m) => can(m.roles, "users.manage"))) notFound();
  return children;
}
