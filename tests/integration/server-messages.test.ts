import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createUserAction } from "@/lib/actions/users";
import { decideSignOffAction, transitionPhaseAction, updateItemDetailsAction, updateItemStateAction } from "@/lib/actions/workflows";
import type { ActionResult } from "@/lib/server/action";
import { createRollout, createUser, unique } from "./helpers/factories";
import { requestState, sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// What the server answers is in the requester's language: the NEXT_LOCALE cookie, else
// the language saved on their account, else their browser's Accept-Language; English by
// default, exactly as before.

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

type User = Awaited<ReturnType<typeof createUser>>;
type Language = { cookie?: string; acceptLanguage?: string };

function form(values: Record<string, string | number>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.append(key, String(value));
  return data;
}

/** Posts the form as the user, with the portal's own origin and the given language signals. */
async function as(user: User, language: Language, action: (prev: undefined, data: FormData) => Promise<ActionResult<unknown>>, values: Record<string, string | number>) {
  setRequest({ cookie: await sessionCookie(user) });
  if (language.cookie) requestState.cookies.set("NEXT_LOCALE", language.cookie);
  if (language.acceptLanguage) requestState.headers.set("accept-language", language.acceptLanguage);
  return action(undefined, form(values));
}

async function fixture() {
  const rollout = await createRollout(t.db);
  const [finance, dba] = await Promise.all([createUser(t.db, { rolloutId: rollout.id, roles: ["FINANCE"] }), createUser(t.db, { rolloutId: rollout.id, roles: ["DBA"] })]);
  const signOff = await t.db.signOff.create({ data: { rolloutId: rollout.id, position: 1, title: unique("Budget"), kind: "BUDGET", requiredRoles: ["FINANCE"] } });
  const item = await t.db.checklistItem.create({ data: { rolloutId: rollout.id, list: "IMMEDIATE", position: 1, text: unique("Item"), ownerRole: "DBA" } });
  return { rollout, finance, dba, signOff, item };
}

const PORTUGUESE = { cookie: "pt-BR" };
const ENGLISH = {};

describe("server messages in the requester's language", () => {
  it("with the NEXT_LOCALE=pt-BR cookie: a validation error, a STALE refusal and a success in Portuguese", async () => {
    const { finance, dba, signOff, item } = await fixture();

    const rejection = await as(finance, PORTUGUESE, decideSignOffAction, { signOffId: signOff.id, value: "REJECT" });
    expect(rejection).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
      message: "Uma rejeição precisa de um comentário explicando o porquê.",
      fieldErrors: { comment: ["Uma rejeição precisa de um comentário explicando o porquê."] },
    });

    expect(await as(dba, PORTUGUESE, updateItemStateAction, { itemId: item.id, version: 1, state: "DONE" })).toMatchObject({ ok: true });
    const stale = await as(dba, PORTUGUESE, updateItemStateAction, { itemId: item.id, version: 1, state: "OPEN" });
    expect(stale).toMatchObject({
      ok: false,
      code: "STALE",
      message: "Outra pessoa alterou este item depois que você o abriu. Aqui está o estado atual; nada foi salvo.",
      fresh: { state: "DONE", version: 2 },
    });

    expect(await as(finance, PORTUGUESE, decideSignOffAction, { signOffId: signOff.id, value: "APPROVE" })).toMatchObject({ ok: true, message: "Aprovado." });
    expect(await as(finance, PORTUGUESE, decideSignOffAction, { signOffId: signOff.id, value: "APPROVE" })).toMatchObject({ ok: true, message: "Sua decisão já estava registrada." });
    expect(await as(dba, PORTUGUESE, updateItemDetailsAction, { itemId: item.id, version: 2, dueAt: "2027-01-31" })).toMatchObject({ ok: true, message: "Salvo." });
  });

  it("with no language signal: the same answers in English, as they always were", async () => {
    const { finance, dba, signOff, item } = await fixture();

    const rejection = await as(finance, ENGLISH, decideSignOffAction, { signOffId: signOff.id, value: "REJECT" });
    expect(rejection).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
      message: "A rejection needs a comment saying why.",
      fieldErrors: { comment: ["A rejection needs a comment saying why."] },
    });

    expect(await as(dba, ENGLISH, updateItemStateAction, { itemId: item.id, version: 1, state: "DONE" })).toMatchObject({ ok: true });
    expect(await as(dba, ENGLISH, updateItemStateAction, { itemId: item.id, version: 1, state: "OPEN" })).toMatchObject({
      ok: false,
      code: "STALE",
      message: "Someone else changed this item after you opened it. Here is its current state; nothing was saved.",
    });

    expect(await as(finance, ENGLISH, decideSignOffAction, { signOffId: signOff.id, value: "APPROVE" })).toMatchObject({ ok: true, message: "Approved." });
    expect(await as(dba, ENGLISH, updateItemDetailsAction, { itemId: item.id, version: 2, dueAt: "2027-01-31" })).toMatchObject({ ok: true, message: "Saved." });
  });

  it("falls back to the account's language, then to Accept-Language; the cookie wins over both", async () => {
    const { finance, signOff } = await fixture();
    const reject = (language: Language) => as(finance, language, decideSignOffAction, { signOffId: signOff.id, value: "REJECT" }).then((r) => r.message);
    const portuguese = "Uma rejeição precisa de um comentário explicando o porquê.";
    const english = "A rejection needs a comment saying why.";

    expect(await reject({ acceptLanguage: "pt-BR,pt;q=0.9,en;q=0.8" })).toBe(portuguese);
    expect(await reject({ acceptLanguage: "pt-BR", cookie: "en" })).toBe(english);

    await t.db.user.update({ where: { id: finance.id }, data: { locale: "pt-BR" } });
    expect(await reject({})).toBe(portuguese);
    expect(await reject({ acceptLanguage: "en-US" })).toBe(portuguese);
    expect(await reject({ cookie: "en" })).toBe(english);
    expect(await reject({ cookie: "klingon" })).toBe(portuguese);
  });

  it("translates refusals with values, and the refusals of the session and origin checks", async () => {
    const { rollout, finance } = await fixture();
    const phase = await t.db.phase.create({ data: { rolloutId: rollout.id, position: 1, name: "Foundation", status: "IN_PROGRESS", actualStart: new Date() } });
    await t.db.checklistItem.create({ data: { rolloutId: rollout.id, phaseId: phase.id, list: "PHASE", position: 2, text: "Replica lag under 1s", ownerRole: "DBA" } });
    const executive = await createUser(t.db, { rolloutId: rollout.id, roles: ["EXECUTIVE"] });

    const complete = (language: Language) => as(executive, language, transitionPhaseAction, { phaseId: phase.id, version: 1, transition: "complete" });
    expect(await complete(ENGLISH)).toMatchObject({ ok: false, code: "CONFLICT", message: 'The gate of "Foundation" is not complete: "Replica lag under 1s" is open.' });
    expect(await complete(PORTUGUESE)).toMatchObject({
      ok: false,
      code: "CONFLICT",
      message: "O portão de “Foundation” não está completo: o item “Replica lag under 1s” está em aberto.",
    });

    const admin = await createUser(t.db, { rolloutId: rollout.id, roles: ["ADMIN"] });
    const created = await as(admin, PORTUGUESE, createUserAction, { email: finance.email, name: "Ana", password: "long enough pass", rolloutId: rollout.id, roles: "DBA" });
    // An email that already has an account adds that account, and the answer reveals nothing else about it.
    expect(created).toEqual({ ok: true, message: `${finance.email} agora tem os papéis escolhidos neste rollout.` });
    const weak = await as(admin, PORTUGUESE, createUserAction, { email: `${unique()}@x.test`, name: "Ana", password: "k9#qz", rolloutId: rollout.id, roles: "DBA" });
    expect(weak).toMatchObject({ ok: false, fieldErrors: { password: ["Uma senha precisa ter pelo menos 8 caracteres."] } });
    const email = `${unique()}@x.test`;
    expect(await as(admin, PORTUGUESE, createUserAction, { email, name: "Ana", password: "long enough pass", rolloutId: rollout.id, roles: "DBA" })).toMatchObject({
      ok: true,
      message: `Pessoa adicionada: Ana (${email}).`,
    });

    setRequest({ cookie: null });
    requestState.cookies.set("NEXT_LOCALE", "pt-BR");
    expect(await decideSignOffAction(undefined, form({ signOffId: "x", value: "APPROVE" }))).toMatchObject({ ok: false, code: "UNAUTHENTICATED", message: "Sua sessão terminou. Entre novamente." });
    setRequest({ cookie: await sessionCookie(finance), origin: "https://evil.example" });
    requestState.cookies.set("NEXT_LOCALE", "pt-BR");
    expect(await decideSignOffAction(undefined, form({ signOffId: "x", value: "APPROVE" }))).toMatchObject({
      ok: false,
      code: "BAD_ORIGIN",
      message: "Esta solicitação não veio das páginas do próprio portal e foi recusada.",
    });
  });

  it("answers route handlers' JSON errors in the requester's language too", async () => {
    const { rollout } = await fixture();
    const { GET: exportItems } = await import("@/app/(portal)/r/[slug]/export/items/route");
    const { GET: health } = await import("@/app/api/health/route");
    const exportWith = async (language: Language, query: string) => {
      setRequest();
      if (language.cookie) requestState.cookies.set("NEXT_LOCALE", language.cookie);
      const response = await exportItems(new Request(`http://portal.test/r/${rollout.slug}/export/items${query}`), { params: Promise.resolve({ slug: rollout.slug }) });
      return { status: response.status, body: (await response.json()) as unknown };
    };

    expect(await exportWith(PORTUGUESE, "?state=LATE")).toEqual({ status: 400, body: { error: "state deve ser OPEN, DONE, NOT_APPLICABLE ou OVERDUE.", code: "INVALID_INPUT" } });
    expect(await exportWith(ENGLISH, "?state=LATE")).toEqual({ status: 400, body: { error: "state must be OPEN, DONE, NOT_APPLICABLE or OVERDUE.", code: "INVALID_INPUT" } });
    expect(await exportWith(PORTUGUESE, "")).toEqual({ status: 401, body: { error: "Entre no portal primeiro.", code: "UNAUTHENTICATED" } });
    expect(await exportWith(ENGLISH, "")).toEqual({ status: 401, body: { error: "Sign in first.", code: "UNAUTHENTICATED" } });

    // The health probe reads its own request only: no session, no database.
    const probe = (headers: Record<string, string>) => health(new Request("http://portal.test/api/health?probe=deep", { headers })).then((r) => r.json());
    expect(await probe({ "accept-language": "pt-BR" })).toEqual({ error: 'probe deve ser "live" ou "ready".', code: "INVALID_INPUT" });
    expect(await probe({ cookie: "theme=dark; NEXT_LOCALE=pt-BR", "accept-language": "en" })).toEqual({ error: 'probe deve ser "live" ou "ready".', code: "INVALID_INPUT" });
    expect(await probe({})).toEqual({ error: 'probe must be "live" or "ready".', code: "INVALID_INPUT" });
  });
});
