// Whether this process is shutting down (lib/observe/shutdown.ts), on globalThis so that
// the readiness probe, bundled apart from the instrumentation hook, sees it.

const STATE = Symbol.for("greenlight.lifecycle");
export type Lifecycle = { shuttingDown: boolean; reason: string | null };

export function lifecycle(): Lifecycle {
  const holder = globalThis as { [STATE]?: Lifecycle };
  holder[STATE] ??= { shuttingDown: false, reason: null };
  return holder[STATE];
}

/** Why readiness must say no even though the database answers, or null. */
export function shutdownReason(): string | null {
  return lifecycle().shuttingDown ? lifecycle().reason : null;
}
