import { AsyncLocalStorage } from "node:async_hooks";

// What the running action's log line will say, filled in as the action learns it: the
// audit ledger names the rollout a write belongs to (an item's action is given only the
// item's id), so `recordAudit` notes it here.

export type ActionContext = { requestId: string | null; actorId: string | null; rolloutId: string | null; actionId: string | null };

const KEY = Symbol.for("greenlight.action-context");

function storage(): AsyncLocalStorage<ActionContext> {
  const holder = globalThis as { [KEY]?: AsyncLocalStorage<ActionContext> };
  holder[KEY] ??= new AsyncLocalStorage<ActionContext>();
  return holder[KEY];
}

export function runInActionContext<T>(context: ActionContext, work: () => Promise<T>): Promise<T> {
  return storage().run(context, work);
}

/** Notes the rollout the running action wrote to (the first one, when several). */
export function noteRollout(rolloutId: string): void {
  const context = storage().getStore();
  if (context) context.rolloutId ??= rolloutId;
}
