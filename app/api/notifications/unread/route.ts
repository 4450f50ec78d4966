import { getActor, type Actor } from "@/lib/auth/session";
import { countUnreadNotifications } from "@/lib/dal/notifications";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/server/route";

export const dynamic = "force-dynamic";

/**
 * The caller's unread notification count, for the bell in the header: `{ "unread": n }`.
 * Fetched by the browser, so no page spends a statement on it. Signed out: 401.
 */
export async function GET(): Promise<Response> {
  let actor: Actor | null = null;
  try {
    actor = await getActor();
    if (!actor) throw new AppError("UNAUTHENTICATED", { key: "errors.request.signInFirst" });
    const unread = await countUnreadNotifications(actor);
    return Response.json({ unread }, { headers: { "Cache-Control": "private, no-store" } });
  } catch (error) {
    return errorResponse(error, actor);
  }
}
