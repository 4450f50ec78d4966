import type { ReactNode } from "react";
import { RolloutNav } from "@/components/layout/rollout-nav";
import { getMemberships } from "@/lib/auth/access";
import { can } from "@/lib/auth/permissions";
import { requirePageActor } from "@/lib/auth/session";

export default async function RolloutLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePageActor();
  // Display only: every page checks its own rights (a rollout the person is not in is a 404 there).
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  return (
    <div className="flex flex-col gap-4">
      {membership ? (
        <div className="print:hidden">
          <RolloutNav
            slug={slug}
            name={membership.name}
            roles={membership.roles}
            archived={membership.archived}
            isTemplate={membership.isTemplate}
            showLedger={can(membership.roles, "audit.read")}
          />
        </div>
      ) : null}
      {children}
    </div>
  );
}
