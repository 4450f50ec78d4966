// Where to send someone after signing in: only a path on the portal itself.
// Browsers drop TAB, CR and LF from URLs and read "\" as "/", so "/\t/evil.example" or
// "/\\evil.example" become "//evil.example", another site. The value is therefore refused
// when it holds any control character or backslash, then resolved against a stand-in
// origin: it must stay on that origin, and what comes back is its path, query and
// fragment, never one beginning with "//".

export const DEFAULT_CALLBACK = "/home";
const STAND_IN = "http://portal.invalid";
const MAX_LENGTH = 2048;

/** A same-origin path ("/…") to go to, or `fallback` for anything else. */
export function safeCallbackPath(value: unknown, fallback = DEFAULT_CALLBACK): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_LENGTH) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return fallback;
  if (!raw.startsWith("/") || raw.startsWith("//")) return fallback;
  let url: URL;
  try {
    url = new URL(raw, STAND_IN);
  } catch {
    return fallback;
  }
  if (url.origin !== STAND_IN) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("/") && !path.startsWith("//") ? path : fallback;
}

/**
 * next-auth's `redirect` callback: a path, or an absolute URL on the portal's own
 * origin (`baseUrl`), becomes that path on the portal; anything else the portal's home.
 */
export function safeRedirect(url: string, baseUrl: string): string {
  const base = new URL(baseUrl);
  const home = `${base.origin}${DEFAULT_CALLBACK}`;
  let path: string;
  if (url.startsWith("/")) {
    path = safeCallbackPath(url, "");
  } else {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return home;
    }
    if (target.origin !== base.origin || /[\u0000-\u001f\u007f\\]/.test(url)) return home;
    path = safeCallbackPath(`${target.pathname}${target.search}${target.hash}`, "");
  }
  return path ? `${base.origin}${path}` : home;
}
