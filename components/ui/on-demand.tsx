"use client";

import { lazy, Suspense, type ComponentType } from "react";

/**
 * A client component whose code is fetched when it first renders, not with the page's
 * first-load JavaScript. The server renders it in full (its HTML is there at first paint
 * and without JavaScript); in the browser it becomes interactive once its chunk arrives,
 * which the page requests while it hydrates. For what is not needed to read the page:
 * the header's bell, the live-update stream, what an error boundary shows. Not for a form
 * rendered with a server action: its fields are encoded asynchronously, so its boundary is
 * always streamed after the page, hidden until JavaScript shows it.
 *
 * `load` must be a function with a literal `import()` in it, so the bundler splits there.
 */
export function onDemand<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loading: Promise<{ default: ComponentType<P> }> | undefined;
  const start = () => (loading ??= load().then((component) => ({ default: component })));
  // On the server, start loading at once, so that pages render it in place rather than
  // streaming it after the rest (which would need JavaScript to show).
  if (typeof window === "undefined") void start();
  const Loaded = lazy(start);
  function OnDemand(props: P) {
    return (
      <Suspense fallback={null}>
        <Loaded {...props} />
      </Suspense>
    );
  }
  return OnDemand;
}
