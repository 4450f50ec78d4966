import type { ReactNode } from "react";
import { SiteHeader } from "@/components/layout/site-header";
import { getMemberships } from "@/lib/auth/access";
import { requirePageActor } from "@/lib/auth/session";

// Every portal page is for signed-in people. This layout only sends visitors to the
// sign-in page; each page's data functions check the session and permissions again.
export default async function PortalLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();
  const memberships = await getMemberships(actor.id);
  return (
    <>
      <SiteHeader actor={actor} memberships={memberships} />
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
    </>
  );
}
