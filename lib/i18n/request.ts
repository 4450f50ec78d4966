import { _createCache } from "next-intl";
import { getRequestConfig } from "next-intl/server";
import { SERVER_NAMESPACES } from "./format";
import { requestLocale } from "./server-messages";

// Compiled messages, shared by every request of this process. next-intl keeps its caches
// per request, so each page view compiled every ICU message it showed again (the largest
// share of translation time in a dashboard's profile, docs/performance.md). The translators
// of server components take this cache from the request config (`_cache`, passed through to
// `createTranslator`). Its entries are keyed by the message text, the locale and the formats
// (the time zone included), and hold no request data; it grows with the catalogues only.
const SHARED_CACHE = _createCache();

// The locale comes from the visitor's saved choice (a cookie), else the one saved on
// their account, else their browser's Accept-Language. URLs are the same in every language.
export default getRequestConfig(async () => {
  const locale = await requestLocale();
  const catalog: Record<string, unknown> = (await import(`./messages/${locale}.json`)).default;
  // What the server says (refusals, validation messages, confirmations) is formatted on the
  // server (lib/i18n/format.ts); pages, and so the browser, do not need those namespaces.
  const serverOnly: readonly string[] = SERVER_NAMESPACES;
  const config = {
    locale,
    messages: Object.fromEntries(Object.entries(catalog).filter(([namespace]) => !serverOnly.includes(namespace))),
    timeZone: "UTC",
    _cache: SHARED_CACHE,
  };
  return config;
});
