import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { getActor } from "../auth/session";
import { isLocale, LOCALE_COOKIE, negotiateLocale, type Locale } from "./config";

// The locale comes from the visitor's saved choice (a cookie), else the one saved on
// their account, else their browser's Accept-Language. URLs are the same in every language.
export default getRequestConfig(async () => {
  const saved = (await cookies()).get(LOCALE_COOKIE)?.value;
  let locale: Locale;
  if (isLocale(saved)) locale = saved;
  else {
    const accountLocale = (await getActor())?.locale;
    locale = isLocale(accountLocale) ? accountLocale : negotiateLocale((await headers()).get("accept-language"));
  }
  return {
    locale,
    messages: (await import(`./messages/${locale}.json`)).default,
    timeZone: "UTC",
  };
});
