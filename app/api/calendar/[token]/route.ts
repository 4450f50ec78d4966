import { calendarForToken } from "@/lib/dal/calendar";
import { rolloutCalendar } from "@/lib/export/calendar";

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
  return new Response(rolloutCalendar({ ...data, url }), {
    headers: { "content-type": "text/calendar; charset=utf-8", "cache-control": "private, no-store" },
  });
}
