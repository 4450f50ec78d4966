import { apiCall } from "@/lib/api/http";
import { fileAnswer } from "@/lib/api/files";
import { exportApiCalendar } from "@/lib/dal/api";
import { rolloutCalendar } from "@/lib/export/calendar";
import { formatMessage, type Message } from "@/lib/i18n/format";

export const dynamic = "force-dynamic";

/** The rollout as an iCalendar file (milestones, phase windows, sign-off deadlines), in the caller's language. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return apiCall(request, async ({ actor, locale }) => {
    const data = await exportApiCalendar(actor, slug);
    const url = new URL(`/r/${data.rollout.slug}`, request.url).toString();
    const say = (message: Message) => formatMessage(locale, message);
    return fileAnswer(rolloutCalendar({ ...data, url, say }), "text/calendar", `${data.rollout.slug}.ics`);
  });
}
