import type { ReactNode } from "react";
import { RolloutNav } from "@/components/layout/rollout-nav";

export default async function RolloutLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return (
    <div className="flex flex-col gap-4">
      <RolloutNav slug={slug} />
      {children}
    </div>
  );
}
