import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { RolloutNav } from "@/components/layout/rollout-nav";
import { LiveUpdatesOnDemand } from "@/components/live/live-updates-on-demand";
import { getMemberships } from "@/lib/auth/access";
import { can } from "@/lib/auth/permissions";
import { requirePageActor } from "@/lib/auth/session";
import { listHeldCustomRoles } from "@/lib/dal/roles";
import { getArchiveRecord } from "@/lib/dal/rollouts";

/** When this request renders (a server component renders once per request): the live feed catches up from here. */
function requestTime(): number {
  return new Date().getTime();
}

export default async function RolloutLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePageActor();
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  // A rollout one does not belong to is "not found", decided here so that the status is
  // 404 even on pages with a loading placeholder (which starts the response). Each page's
  // data functions check membership again.
  if (!membership) notFound();
  // Each a query only when needed: for a holder of the rollout's own roles, for an archived rollout.
  const [customRoles, archive] = await Promise.all([listHeldCustomRoles(actor, membership.rolloutId), getArchiveRecord(actor, membership.rolloutId)]);
  return (
    <div className="flex flex-col gap-4">
      {membership ? (
        <div className="print:hidden">
          <RolloutNav
            slug={slug}
            name={membership.name}
            builtInRoles={membership.builtInRoles}
            customRoles={customRoles}
            archived={archive ? { at: archive.at, by: archive.by } : membership.archived ? { at: null, by: null } : null}
            isTemplate={membership.isTemplate}
            showLedger={can(membership.roles, "audit.read")}
          />
        </div>
      ) : null}
      {children}
      {/* Server components re-render when the rollout changes, on this instance or another. */}
      <LiveUpdatesOnDemand slug={slug} since={requestTime()} />
    </div>
  );
}
