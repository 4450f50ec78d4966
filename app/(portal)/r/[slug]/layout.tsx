import type { ReactNode } from "react";
import { RolloutNav } from "@/components/layout/rollout-nav";
import { getMemberships } from "@/lib/auth/access";
import { can } from "@/lib/auth/permissions";
import { requirePageActor } from "@/lib/auth/session";

export default async function RolloutLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePageActor();
  // Display only: the ledger page checks `audit.read` itself.
  const roles = (await getMemberships(actor.id)).find((m) => m.slug === slug)?.roles ?? [];
  return (
    <div className="flex flex-col gap-4">
      <div className="print:hidden">
        <RolloutNav slug={slug} showLedger={can(roles, "audit.read")} />
      </div>
      {children}
    </div>
  );
}
