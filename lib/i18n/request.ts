import { getRequestConfig } from "next-intl/server";
import { SERVER_NAMESPACES } from "./format";
import { SHARED_MESSAGE_CACHE } from "./message-cache";
import { requestLocale } from "./server-messages";

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
    // Compiled messages kept across requests (see message-cache.ts).
    _cache: SHARED_MESSAGE_CACHE,
  };
  return config;
});
