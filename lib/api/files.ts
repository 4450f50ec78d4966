import "server-only";

/** An export's text as a download, like the portal's export links (not cached). */
export function fileAnswer(body: string, type: string, filename: string): Response {
  return new Response(body, {
    headers: { "content-type": `${type}; charset=utf-8`, "content-disposition": `attachment; filename="${filename}"`, "cache-control": "no-store" },
  });
}
