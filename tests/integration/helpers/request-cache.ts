// React's `cache()` memoizes a function for the length of one server request: under Next,
// the root layout's language lookup, the portal layouts and the page share one session
// check (`getActor`) and one membership lookup (`getMemberships`). Outside a React render
// (as in tests) React's own `cache` memoizes nothing, so a test that wants to count what a
// real page request sends installs this one instead (vi.mock("react")) and runs each
// simulated request inside `inRequest`. Like React's, it keys on the arguments (primitives
// by value, objects by identity) and keeps the first call's promise, rejected or not.

type Node = { value?: { result: unknown }; next: Map<unknown, Node> };

let scope: Map<unknown, Node> | null = null;

export function requestCache<F extends (...args: never[]) => unknown>(fn: F): F {
  return ((...args: Parameters<F>) => {
    if (!scope) return fn(...args);
    let node = scope.get(fn);
    if (!node) scope.set(fn, (node = { next: new Map() }));
    for (const arg of args) {
      let child = node.next.get(arg);
      if (!child) node.next.set(arg, (child = { next: new Map() }));
      node = child;
    }
    node.value ??= { result: fn(...args) };
    return node.value.result;
  }) as F;
}

/** Runs `work` as one server request: memoized functions are called once each within it. */
export async function inRequest<T>(work: () => Promise<T>): Promise<T> {
  if (scope) throw new Error("inRequest does not nest");
  scope = new Map();
  try {
    return await work();
  } finally {
    scope = null;
  }
}
