import { LOCALE_COOKIE, isLocale, negotiateLocale, type Locale } from "../i18n/config";
import { formatMessage, type ErrorKey, type MessageValues } from "../i18n/format";
import { BODY_LIMIT_BYTES, BODY_LIMIT_TEXT, IMPORT_BODY_LIMIT_BYTES, IMPORT_BODY_LIMIT_TEXT, isImportPath } from "./limits";

// Requests that no page, action or handler could read, refused with a 4xx before Next
// routes them (proxy.ts calls `guardRequest` first). Left to Next, each of these ends as
// a 500: a path segment whose percent-encoding does not decode (`/r/%E0%A4%A/checklist`)
// fails while Next matches the route; a NUL character reaches Postgres, which cannot
// store it (error 22021); a server-action body over the limit, or one React cannot
// decode, fails inside Next's action handler, which answers every failure with a 500.


type Refusal = { status: 400 | 411 | 413; key: ErrorKey; values?: MessageValues; code: string };

/** The refusal for a request's address, or null when every part of it decodes to text Postgres can hold. */
export function checkAddress(url: URL): Refusal | null {
  for (const segment of url.pathname.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return { status: 400, key: "errors.input.badUrl", code: "INVALID_INPUT" };
    }
    if (decoded.includes("\u0000")) return { status: 400, key: "errors.input.nulInUrl", code: "INVALID_INPUT" };
  }
  // URLSearchParams decodes leniently (a bad escape stays as it is), so only NUL matters here.
  for (const [key, value] of url.searchParams) {
    if (key.includes("\u0000") || value.includes("\u0000")) return { status: 400, key: "errors.input.nulInUrl", code: "INVALID_INPUT" };
  }
  return null;
}

const WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The refusal for a request's body size, from its headers alone. */
export function checkBodySize(method: string, headers: Headers, limit = BODY_LIMIT_BYTES, limitText = BODY_LIMIT_TEXT): Refusal | null {
  if (!WITH_BODY.has(method.toUpperCase())) return null;
  const length = headers.get("content-length");
  if (length === null) {
    // A body streamed without a length could only be measured by reading it all; browsers
    // always send the length of a form or an action's body.
    return headers.has("transfer-encoding") ? { status: 411, key: "errors.input.lengthRequired", code: "LENGTH_REQUIRED" } : null;
  }
  const bytes = Number(length);
  if (!Number.isSafeInteger(bytes) || bytes < 0) return { status: 400, key: "errors.input.badPayload", code: "INVALID_INPUT" };
  return bytes > limit ? { status: 413, key: "errors.input.tooLarge", values: { max: limitText }, code: "TOO_LARGE" } : null;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The refusal for a server action's body that React could not decode. A call from the
 * portal's own pages (a `Next-Action` header) sends its arguments as JSON, either as the
 * whole body or in multipart fields named by number; a form posted without JavaScript
 * names the action in `$ACTION_…` fields whose values are JSON. Only the framing is checked
 * here: the action itself validates what it receives.
 */
export async function checkActionPayload(request: Request): Promise<Refusal | null> {
  if (request.method !== "POST") return null;
  const type = request.headers.get("content-type") ?? "";
  const isAction = request.headers.has("next-action");
  const multipart = type.startsWith("multipart/form-data");
  if (!isAction && !multipart) return null;
  const bad: Refusal = { status: 400, key: "errors.input.badPayload", code: "INVALID_INPUT" };
  try {
    if (!multipart) return isAction && !isJson(await request.clone().text()) ? bad : null;
    const form = await request.clone().formData();
    for (const [key, value] of form) {
      const framing = isAction ? /^\d+$/.test(key) : key.startsWith("$ACTION_") && key !== "$ACTION_KEY" && !key.startsWith("$ACTION_REF_") && !key.startsWith("$ACTION_ID_");
      if (framing && (typeof value !== "string" || !isJson(value))) return bad;
    }
    return null;
  } catch {
    return bad;
  }
}

function localeOf(request: Request): Locale {
  for (const pair of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...value] = pair.trim().split("=");
    if (key === LOCALE_COOKIE && isLocale(value.join("="))) return value.join("=") as Locale;
  }
  return negotiateLocale(request.headers.get("accept-language"));
}

/** The refusal as a response, worded in the requester's language (cookie, then Accept-Language). */
export function refusalResponse(request: Request, refusal: Refusal): Response {
  const error = formatMessage(localeOf(request), { key: refusal.key, values: refusal.values });
  return Response.json({ error, code: refusal.code }, { status: refusal.status, headers: { "cache-control": "no-store" } });
}

/** Checks the address, then the body's size, then an action's framing; null lets the request through. */
export async function guardRequest(request: Request): Promise<Response | null> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return refusalResponse(request, { status: 400, key: "errors.input.badUrl", code: "INVALID_INPUT" });
  }
  // The import pages take a whole plan (up to 2 MB); every other request at most 1 MB.
  const size = isImportPath(url.pathname)
    ? checkBodySize(request.method, request.headers, IMPORT_BODY_LIMIT_BYTES, IMPORT_BODY_LIMIT_TEXT)
    : checkBodySize(request.method, request.headers);
  const refusal = checkAddress(url) ?? size ?? (await checkActionPayload(request));
  return refusal ? refusalResponse(request, refusal) : null;
}
