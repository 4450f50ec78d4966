import { z } from "zod";
import { SCOPE_ACTIONS, SCOPES } from "../auth/scopes";
import { OPERATIONS } from "./operations";
import { problemSchema } from "./schemas";
import { problemType } from "./problems";

// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the handlers parse
// with (zod 4's JSON Schema output is draft 2020-12, which OpenAPI 3.1 uses as is).

function schemaOf(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

const PROBLEM = { $ref: "#/components/schemas/Problem" };
const problemResponse = (description: string) => ({ description, content: { "application/problem+json": { schema: PROBLEM } } });

export function openApiDocument(serverUrl = "/api/v1") {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const querySchema = op.query ? schemaOf(op.query, "input") : null;
    const requiredQuery = (querySchema?.required ?? []) as string[];
    const queryParams = querySchema
      ? Object.entries((querySchema.properties ?? {}) as Record<string, Record<string, unknown>>).map(([name, schema]) => ({ name, in: "query", required: requiredQuery.includes(name), schema }))
      : [];
    const headers = [
      ...(op.ifMatch ? [{ name: "If-Match", in: "header", required: op.ifMatch === true, description: "The row's version as its ETag gave it (\"3\").", schema: { type: "string" } }] : []),
      ...(op.idempotent ? [{ name: "Idempotency-Key", in: "header", required: false, description: "A retry with the same key and body gets the first answer.", schema: { type: "string", maxLength: 200 } }] : []),
    ];
    const responses: Record<string, unknown> = {
      "200": { description: "OK", content: { [op.produces ?? "application/json"]: { schema: schemaOf(op.response, "output") } } },
      "400": problemResponse("Invalid input: `errors` lists each field."),
      "401": problemResponse("Missing, malformed, expired or revoked token (all alike)."),
      "403": problemResponse("The token's scopes or the owner's roles do not reach this action."),
      "404": problemResponse("No such rollout (or not the caller's), item or sign-off."),
      "429": problemResponse("Over the token's rate limit; see Retry-After."),
    };
    if (op.method === "post") {
      responses["201"] = { description: "Recorded", content: { "application/json": { schema: schemaOf(op.response, "output") } } };
      responses["409"] = problemResponse("Conflict with the current state.");
    }
    if (op.ifMatch) {
      responses["412"] = problemResponse("Stale If-Match: `fresh` holds the current row (and ETag its version); nothing was changed.");
      responses["428"] = problemResponse(op.ifMatch === true ? "If-Match missing or malformed." : "If-Match malformed.");
    }
    if (op.idempotent) responses["422"] = problemResponse("The Idempotency-Key was used with a different body.");
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      description: `Scope: \`${op.scope}\`.`,
      security: [{ bearer: [] }],
      "x-greenlight-scope": op.scope,
      parameters: [...pathParams, ...queryParams, ...headers],
      ...(op.body ? { requestBody: { required: true, content: { [op.consumes ?? "application/json"]: { schema: schemaOf(op.body, "input") } } } } : {}),
      responses,
    };
  }
  paths["/openapi.json"] = {
    get: { operationId: "getOpenApi", summary: "This document", security: [], responses: { "200": { description: "OK", content: { "application/json": { schema: { type: "object" } } } } } },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Greenlight API",
      version: "1",
      description: `Scopes: ${SCOPES.map((s) => `\`${s}\` (${SCOPE_ACTIONS[s].join(", ")})`).join("; ")}. Problem types: ${problemType("STALE")} and alike.`,
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "A personal access token (glpat_…) or a service account token (glsa_…)." } },
      schemas: { Problem: schemaOf(problemSchema, "output") },
    },
    paths,
  };
}
