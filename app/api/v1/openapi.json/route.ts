import { openApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-dynamic";

/** The API's OpenAPI 3.1 document (public: it holds no data). */
export function GET() {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
