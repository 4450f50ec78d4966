"use client";

import { SectionErrorOnDemand } from "@/components/boundaries/section-error-on-demand";

// An admin page that could not render: the header stays.
export default function AdminError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SectionErrorOnDemand error={error} retry={retry} whole />;
}
