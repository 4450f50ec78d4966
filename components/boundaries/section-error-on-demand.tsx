"use client";

import { lazy, Suspense } from "react";

// The error boundaries (error.tsx) are part of every page's first load, each with its own
// copy of what it renders; what they show is fetched when an error happens instead (one
// small chunk, shared by all of them). The server renders it in full when the error
// happens during the server's render.
const SectionError = lazy(() => import("./section-error").then((module) => ({ default: module.SectionError })));

export function SectionErrorOnDemand(props: { error: unknown; retry: () => void; whole?: boolean }) {
  return (
    <Suspense fallback={null}>
      <SectionError {...props} />
    </Suspense>
  );
}
