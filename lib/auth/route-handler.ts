import "server-only";
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { serverEnv } from "../env";
import { translator } from "../i18n/server-messages";
import { clientAddress } from "./client-address";
import { deviceCookieName, deviceSetCookie } from "./device";
import { buildAuthOptions, type AuthRequestContext } from "./options";

// next-auth's endpoints (sign-in, callbacks, sign-out, session, CSRF), with what next-auth
// itself cannot know: the client's address and device cookie for sign-in throttling, the
// device cookie to give after a password sign-in, and the difference between a session
// that has ended and a database that does not answer (503, the cookie kept).
//
// next-auth is driven through its plain request/response interface rather than its App
// Router wrapper, which reads the request from next/headers: here everything comes from
// the Request itself, so the same code runs under `next start` and in integration tests.

type Context = { params: Promise<{ nextauth?: string[] }> };

export async function handleAuthRequest(request: Request, context: Context): Promise<Response> {
  const req = request instanceof NextRequest ? request : new NextRequest(request);
  const segments = (await context.params).nextauth ?? [];
  const [action, providerId] = segments;

  if (action === "callback" && providerId === "credentials" && req.method !== "POST") {
    const t = await translator({ actor: null, request: req });
    return Response.json(
      { error: t({ key: "errors.auth.postOnly" }), code: "METHOD_NOT_ALLOWED" },
      { status: 405, headers: { allow: "POST", "cache-control": "no-store" } },
    );
  }

  const env = serverEnv();
  const auth: AuthRequestContext = {
    address: clientAddress(req.headers, env.GREENLIGHT_TRUSTED_PROXIES),
    deviceCookie: req.cookies.get(deviceCookieName())?.value ?? null,
  };
  const response = await runNextAuth(req, segments, buildAuthOptions(env, auth));

  if (auth.outage) {
    // Whatever next-auth answered (it clears the cookie on any error), the session was
    // not ended: answer "unavailable" and leave the browser's cookie alone.
    const t = await translator({ actor: null, request: req });
    return Response.json(
      { error: t({ key: "errors.auth.unavailable" }), code: "UNAVAILABLE" },
      { status: 503, headers: { "retry-after": "5", "cache-control": "no-store" } },
    );
  }
  if (auth.newDeviceCookie) response.headers.append("set-cookie", deviceSetCookie(auth.newDeviceCookie));
  return response;
}

async function requestBody(req: NextRequest): Promise<Record<string, unknown> | undefined> {
  if (req.method !== "POST") return undefined;
  const type = req.headers.get("content-type") ?? "";
  try {
    if (type.includes("application/json")) return (await req.json()) as Record<string, unknown>;
    if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(await req.text()));
  } catch {
    return {};
  }
  return undefined;
}

/** Calls next-auth's request/response handler with this request, and returns what it wrote as a Response. */
async function runNextAuth(req: NextRequest, segments: string[], options: ReturnType<typeof buildAuthOptions>): Promise<Response> {
  const headers = new Headers();
  let status = 200;
  let body: BodyInit | null = null;
  const res = {
    status(code: number) {
      status = code;
      return res;
    },
    getHeader(name: string) {
      return name.toLowerCase() === "set-cookie" ? headers.getSetCookie() : (headers.get(name) ?? undefined);
    },
    setHeader(name: string, value: string | string[]) {
      if (name.toLowerCase() === "set-cookie") {
        headers.delete("set-cookie");
        for (const cookie of [value].flat()) headers.append("set-cookie", cookie);
      } else {
        headers.set(name, [value].flat().join(", "));
      }
      return res;
    },
    end() {
      return res;
    },
    json(value: unknown) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(value);
      return res;
    },
    send(value: unknown) {
      body = typeof value === "string" || value === undefined || value === null ? ((value as string | undefined) ?? null) : JSON.stringify(value);
      return res;
    },
  };
  const query = { ...Object.fromEntries(req.nextUrl.searchParams), nextauth: segments };
  const nextAuthRequest = {
    query,
    body: await requestBody(req),
    cookies: Object.fromEntries(req.cookies.getAll().map((cookie) => [cookie.name, cookie.value])),
    headers: Object.fromEntries(req.headers),
    method: req.method,
  };
  await NextAuth(nextAuthRequest as never, res as never, options);
  return new Response(status === 204 || status === 304 ? null : body, { status, headers });
}
