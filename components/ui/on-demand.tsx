"use client";

import { lazy, Suspense, type ComponentType } from "react";

/**
 * A client component whose code is fetched when it first renders, not with the page's
 * first-load JavaScript. The server renders it in full (its HTML is there at first paint
 * and without JavaScript); in the browser it becomes interactive once its chunk arrives,
 * which the page requests while it hydrates. For what is not needed to read the page:
 * the header's bell and forms, the live-update stream, what an error boundary shows.
 *
 * `load` must be a function with a literal `import()` in it, so the bundler splits there.
 */
export function onDemand<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Loaded = lazy(async () => ({ default: await load() }));
  function OnDemand(props: P) {
    return (
      <Suspense fallback={null}>
        <Loaded {...props} />
      </Suspense>
    );
  }
  return OnDemand;
}
