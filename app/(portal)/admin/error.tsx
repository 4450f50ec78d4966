"use client";

import { SectionError } from "@/components/boundaries/section-error";

// An admin page that could not render: the header stays.
export default function AdminError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SectionError error={error} retry={retry} whole />;
}
