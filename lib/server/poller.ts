import { logger } from "../observe/log";

// The loop every background worker of an instance runs (webhook deliveries, emails, the
// reminder scheduler): one round at a time; the next round at once while a round found
// work, else after the poll interval; stop() lets the round in progress finish.

export type Poller = { start(): void; stop(): Promise<void> };

/**
 * `round` resolves with how much it did (0: nothing was waiting). A round that throws is
 * logged with `failure` and the loop goes on after the poll interval.
 */
export function createPoller(round: () => Promise<number>, pollMs: number, failure: string): Poller {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;

  function schedule(ms: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().catch((error: unknown) => {
        logger().error({ err: error }, failure);
        return 0;
      });
      void running.then((count) => schedule(count > 0 ? 0 : pollMs));
    }, ms);
    timer.unref?.();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** One `T` per process under `key` (kept on globalThis, so a reloaded module finds it). */
export function processSingleton<T>(key: string, create: () => T): T {
  const holder = globalThis as { [key: symbol]: T | undefined };
  const symbol = Symbol.for(key);
  holder[symbol] ??= create();
  return holder[symbol];
}

/** The process's `T` under `key` if one was made, without making it. */
export function existingSingleton<T>(key: string): T | undefined {
  return (globalThis as { [key: symbol]: T | undefined })[Symbol.for(key)];
}
