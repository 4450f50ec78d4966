import { calendarForToken } from "@/lib/dal/calendar";
import { rolloutCalendar } from "@/lib/export/calendar";
import { DEFAULT_LOCALE, isLocale } from "@/lib/i18n/config";
import { formatMessage, type Message } from "@/lib/i18n/format";

export const dynamic = "force-dynamic";

/**
 * A rollout's calendar feed behind a per-person secret URL (calendar apps cannot sign
 * in). An unknown or revoked token gets a plain 404 that says nothing more.
 */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const data = await calendarForToken(token.replace(/\.ics$/, ""));
  if (!data) return new Response("Not found", { status: 404, headers: { "cache-control": "no-store" } });
  const url = new URL(`/r/${data.rollout.slug}`, request.url).toString();
  // A calendar app sends no language of its own: the feed speaks its owner's.
  const locale = isLocale(data.locale) ? data.locale : DEFAULT_LOCALE;
  const say = (message: Message) => formatMessage(locale, message);
  return new Response(rolloutCalendar({ ...data, url, say }), {
    headers: { "content-type": "text/calendar; charset=utf-8", "cache-control": "private, no-store" },
  });
}
