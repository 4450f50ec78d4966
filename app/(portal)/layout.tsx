import type { ReactNode } from "react";
import { SiteHeader } from "@/components/layout/site-header";
import { getInstanceRights, getMemberships } from "@/lib/auth/access";
import { can } from "@/lib/auth/permissions";
import { requirePageActor } from "@/lib/auth/session";

// Every portal page is for signed-in people. This layout only sends visitors to the
// sign-in page; each page's data functions check the session and permissions again.
export default async function PortalLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();
  const [memberships, rights] = await Promise.all([getMemberships(actor.id), getInstanceRights(actor)]);
  const showUsers = rights.isInstanceAdmin || memberships.some((m) => can(m.roles, "users.manage"));
  return (
    <>
      <SiteHeader actor={actor} showUsers={showUsers} />
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
    </>
  );
}
