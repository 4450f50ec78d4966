import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createTranslator, type AbstractIntlMessages } from "next-intl";
import { describe, expect, it } from "vitest";
import { passwordSchema } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";
import { formatMessage, SERVER_NAMESPACES, type Message } from "@/lib/i18n/format";
import { safeParseIn } from "@/lib/i18n/zod";
import en from "@/lib/i18n/messages/en.json";
import ptBR from "@/lib/i18n/messages/pt-BR.json";
import { decideSignOffSchema, updateItemStateSchema } from "@/lib/validation/workflows";

// What the server says (refusals, validation messages, confirmations) is named by keys
// into the translations; these tests hold the keys in the code and the catalogs together.

const ROOT = join(import.meta.dirname, "..", "..");

function leaves(messages: object, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    if (typeof value === "string") out.set(`${prefix}${key}`, value);
    else for (const [k, v] of leaves(value as object, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every server-message key the code names, as a string literal, with where. */
function keysInSource(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  const pattern = new RegExp(`"((?:${SERVER_NAMESPACES.join("|")})\\.[A-Za-z0-9_.]+)"`, "g");
  for (const file of ["lib", "app", "components"].flatMap(sourceFiles)) {
    for (const [, key] of readFileSync(join(ROOT, file), "utf8").matchAll(pattern)) {
      used.set(key, [...(used.get(key) ?? []), file]);
    }
  }
  return used;
}

const english = leaves(en);
const portuguese = leaves(ptBR);
const serverKeys = (catalog: Map<string, string>) => [...catalog.keys()].filter((k) => SERVER_NAMESPACES.some((ns) => k.startsWith(`${ns}.`)));

describe("server message keys", () => {
  const used = keysInSource();

  it("finds the keys the throw sites, schemas and actions use", () => {
    expect(used.get("errors.items.stale")).toContain("lib/dal/items.ts");
    expect(used.get("validation.rejectionComment")).toContain("lib/validation/workflows.ts");
    expect(used.get("messages.saved")).toContain("lib/actions/workflows.ts");
    expect(used.size).toBeGreaterThan(90);
  });

  it("has every key the code uses in English and in Brazilian Portuguese", () => {
    const missing = [...used].flatMap(([key, files]) => [
      ...(english.has(key) ? [] : [`en: ${key} (${files.join(", ")})`]),
      ...(portuguese.has(key) ? [] : [`pt-BR: ${key} (${files.join(", ")})`]),
    ]);
    expect(missing).toEqual([]);
  });

  it("has no server message the code no longer uses", () => {
    expect(serverKeys(english).filter((key) => !used.has(key))).toEqual([]);
  });

  it("formats every server message in both languages, with real accents in Portuguese", () => {
    const problems: string[] = [];
    for (const [locale, catalog] of [["en", en], ["pt-BR", ptBR]] as const) {
      const messages = catalog as AbstractIntlMessages;
      const translate = createTranslator({ locale, messages, onError: (error) => problems.push(`${locale}: ${error.message}`) });
      for (const key of serverKeys(leaves(catalog))) {
        // Any value will do to check the ICU syntax: a number takes each select's "other" branch.
        const args = Object.fromEntries([...leaves(catalog).get(key)!.matchAll(/\{(\w+)/g)].map(([, name]) => [name, 1]));
        translate(key as never, args as never);
      }
    }
    expect(problems).toEqual([]);
    const accented = serverKeys(portuguese).filter((key) => /[áâãàçéêíóôõú]/i.test(portuguese.get(key)!));
    expect(accented.length).toBeGreaterThan(40);
    expect([...portuguese.values()].join("")).not.toMatch(/Ã|Â[^a-z]/);
  });
});

describe("formatMessage", () => {
  const gate: Message = {
    key: "errors.phases.gateIncomplete",
    values: {
      phase: "Production Deployment",
      blockers: [
        { key: "errors.gate.signOffPending", values: { title: "Go/No-go decision" } },
        { key: "errors.gate.itemOpen", values: { text: "Replica lag under 1s" } },
      ],
      more: 0,
    },
  };

  it("keeps the English texts as they were", () => {
    expect(formatMessage("en", gate)).toBe('The gate of "Production Deployment" is not complete: "Go/No-go decision" is not approved yet; "Replica lag under 1s" is open.');
    expect(formatMessage("en", { ...gate, values: { ...gate.values, more: 1234 } })).toMatch(/is open and 1234 more\.$/);
    expect(formatMessage("en", { key: "errors.phases.transitionNotAllowed", values: { status: "AWAITING_SIGNOFF", transition: "start" } })).toBe(
      "A phase that is awaiting signoff cannot be changed that way (start).",
    );
    expect(formatMessage("en", { key: "validation.tooLong", values: { field: "evidence", max: 2000 } })).toBe("Evidence may have at most 2000 characters.");
    expect(formatMessage("en", { key: "messages.userCreated", values: { name: "Ana {x}", email: "ana@example.test" } })).toBe("Created Ana {x} (ana@example.test).");
  });

  it("says the same in Brazilian Portuguese, nested messages included", () => {
    expect(formatMessage("pt-BR", gate)).toBe(
      "O portão de “Production Deployment” não está completo: a aprovação “Go/No-go decision” ainda não foi dada; o item “Replica lag under 1s” está em aberto.",
    );
    expect(formatMessage("pt-BR", { key: "errors.phases.transitionNotAllowed", values: { status: "DONE", transition: "block" } })).toBe(
      "Uma fase concluída não pode ser alterada desse jeito (bloquear).",
    );
  });

  it("never shows a key: an unknown one falls back to a generic sentence", () => {
    const unknown = { key: "errors.nowhere" } as unknown as Message;
    expect(formatMessage("pt-BR", unknown)).toBe("Entrada inválida.");
    expect(formatMessage("en", unknown)).toBe("Invalid input.");
  });
});

describe("AppError and schemas", () => {
  it("keeps the English message for logs, and the key to translate", () => {
    const error = new AppError("STALE", { key: "errors.items.stale" }, { fresh: { version: 3 } });
    expect(error.message).toBe("Someone else changed this item after you opened it. Here is its current state; nothing was saved.");
    expect(error.i18n).toEqual({ key: "errors.items.stale" });
    expect(formatMessage("pt-BR", error.i18n)).toBe("Outra pessoa alterou este item depois que você o abriu. Aqui está o estado atual; nada foi salvo.");
  });

  it("words zod issues in the language of the parse, and in English outside one", () => {
    const rejection = { signOffId: "s1", value: "REJECT" };
    const issue = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues[0]?.message;
    expect(issue(safeParseIn("pt-BR", decideSignOffSchema, rejection))).toBe("Uma rejeição precisa de um comentário explicando o porquê.");
    expect(issue(safeParseIn("en", decideSignOffSchema, rejection))).toBe("A rejection needs a comment saying why.");
    expect(issue(decideSignOffSchema.safeParse(rejection))).toBe("A rejection needs a comment saying why.");
    expect(issue(safeParseIn("pt-BR", passwordSchema, "short"))).toBe("Uma senha precisa ter pelo menos 8 caracteres.");
    expect(issue(safeParseIn("pt-BR", updateItemStateSchema, { itemId: "i", version: 1, state: "DONE", evidence: "x".repeat(2001) }))).toBe(
      "A evidência pode ter no máximo 2000 caracteres.",
    );
    // A check the schema leaves without a message gets zod's own, in the same language.
    expect(issue(safeParseIn("pt-BR", decideSignOffSchema, { signOffId: "x".repeat(65), value: "APPROVE" }))).not.toMatch(/[Tt]oo big/);
    expect(issue(passwordSchema.safeParse("short"))).toBe("A password needs at least 8 characters.");
  });
});
