import "server-only";
import { cookies, headers } from "next/headers";
import { getActor, type Actor } from "../auth/session";
import { isLocale, LOCALE_COOKIE, negotiateLocale, type Locale } from "./config";
import { formatMessage, type Message } from "./format";

/**
 * Where a request's language comes from. `actor`: the signed-in person when already known
 * (null for nobody, which also skips the account look-up). `request`: read its own Cookie
 * and Accept-Language headers instead of the ambient request's (for a route handler that
 * must not depend on anything else, such as the health probe).
 */
export type LocaleSource = { actor?: Actor | null; request?: Request };

/**
 * The language of this request: the visitor's saved choice (a cookie), else the one saved
 * on their account, else their browser's Accept-Language.
 */
export async function requestLocale({ actor, request }: LocaleSource = {}): Promise<Locale> {
  const saved = request ? cookieOf(request, LOCALE_COOKIE) : (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(saved)) return saved;
  const accountLocale = (actor === undefined ? await getActor() : actor)?.locale;
  if (isLocale(accountLocale)) return accountLocale;
  return negotiateLocale((request?.headers ?? (await headers())).get("accept-language"));
}

function cookieOf(request: Request, name: string): string | undefined {
  for (const pair of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...value] = pair.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

/** Says a server message (a refusal, a validation message, a confirmation) in one language. */
export type Translate = ((message: Message) => string) & { readonly locale: Locale };

export function translatorFor(locale: Locale): Translate {
  return Object.assign((message: Message) => formatMessage(locale, message), { locale });
}

/** The translator for this request's language (see requestLocale). */
export async function translator(source?: LocaleSource): Promise<Translate> {
  return translatorFor(await requestLocale(source));
}
