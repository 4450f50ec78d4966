"use client";

import { SectionError } from "@/components/boundaries/section-error";

// A rollout page that could not render: the header and the rollout's navigation stay.
export default function RolloutError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SectionError error={error} retry={retry} />;
}
