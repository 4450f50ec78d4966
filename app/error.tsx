"use client";

import { SectionErrorOnDemand } from "@/components/boundaries/section-error-on-demand";

// Catches what the portal's own layout could not render (the database down on a full
// page load reaches here, since the layout reads the session's user): the root layout stays.
export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <main id="main" className="mx-auto max-w-6xl px-4 py-6">
      <SectionErrorOnDemand error={error} retry={retry} whole />
    </main>
  );
}
