"use client";

import { SectionError } from "@/components/boundaries/section-error";

// A portal page that could not render: the site header stays.
export default function PortalError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SectionError error={error} retry={retry} whole />;
}
