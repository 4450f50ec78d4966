"use client";

import { SectionErrorOnDemand } from "@/components/boundaries/section-error-on-demand";

// A portal page that could not render: the site header stays.
export default function PortalError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SectionErrorOnDemand error={error} retry={retry} whole />;
}
