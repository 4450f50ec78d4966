import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { RolloutNav } from "@/components/layout/rollout-nav";
import { getMemberships } from "@/lib/auth/access";
import { can } from "@/lib/auth/permissions";
import { requirePageActor } from "@/lib/auth/session";

export default async function RolloutLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePageActor();
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  // A rollout one does not belong to is "not found", decided here so that the status is
  // 404 even on pages with a loading placeholder (which starts the response). Each page's
  // data functions check membership again.
  if (!membership) notFound();
  // Display only: the ledger page checks `audit.read` itself.
  const roles = membership.roles;
  return (
    <div className="flex flex-col gap-4">
      <div className="print:hidden">
        <RolloutNav slug={slug} showLedger={can(roles, "audit.read")} />
      </div>
      {children}
    </div>
  );
}
