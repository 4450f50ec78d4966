"use client";

import { SectionErrorOnDemand } from "@/components/boundaries/section-error-on-demand";

// A rollout page that could not render: the header and the rollout's navigation stay.
export default function RolloutError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SectionErrorOnDemand error={error} retry={retry} />;
}
