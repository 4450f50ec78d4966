import { apiCall, idempotent, json, parseApi } from "@/lib/api/http";
import { importNewQuerySchema } from "@/lib/api/schemas";
import { listApiRollouts } from "@/lib/dal/api";
import { importPlan } from "@/lib/dal/import";
import { confirmImportSchema } from "@/lib/validation/import";
import { queryObject } from "@/lib/validation/filters";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return apiCall(request, async ({ actor }) => json(await listApiRollouts(actor)));
}

/** Imports a Markdown plan (the body) as a new rollout, with the importer the portal's import page uses. */
export async function POST(request: Request) {
  return apiCall(request, async (ctx) => {
    const raw = await request.text();
    return idempotent(ctx, raw, async () => {
      const query = queryObject(new URL(request.url).searchParams);
      parseApi(importNewQuerySchema, query, ctx.locale);
      const input = parseApi(confirmImportSchema, { text: raw, slug: query.slug, startDate: query.startDate, name: query.name }, ctx.locale);
      return json(await importPlan(ctx.actor, input), { status: 201 });
    });
  });
}
