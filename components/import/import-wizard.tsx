"use client";

import { useTranslations } from "@/lib/i18n/client";
import { useRouter } from "next/navigation";
import { useState, useTransition, type ReactNode } from "react";
import { importPlanAction, previewImportAction } from "@/lib/actions/import";
import type { ImportPreview } from "@/lib/dal/import";
import { ALL_ROLES } from "@/lib/domain/roles";
import type { Role } from "@/lib/generated/prisma/enums";
import type { SectionKind } from "@/lib/import/markdown-plan";
import type { ActionResult } from "@/lib/server/action";

// The import page's two steps: choose the plan (a file or pasted text), then check the
// preview (repaired lines, unsure lines to correct, how each section is read, what each
// role becomes) and confirm. The browser keeps the source and the choices; the server
// decodes and reads the source again on every step and trusts none of the preview.

const input = "w-full rounded-md border border-slate-300 px-3 py-2";
const MAX_BYTES = 2 * 1024 * 1024;
/** Above this many lines, the text shows only its marked lines. */
const WHOLE_TEXT_LINES = 2000;
const KINDS: readonly SectionKind[] = ["phase", "immediate", "roleActions", "reading", "criteria", "contacts", "milestones", "signOffs", "notes", "ignore"];

export type ImportTargetProps = { rolloutId: string; slug: string; name: string; startDate: string; customRoles: { id: string; name: string; baseRole: Role }[] } | null;

type RoleChoice = { kind: "role"; role: Role } | { kind: "existing"; id: string } | { kind: "new"; name: string; baseRole: Role };

function slugFrom(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function wireChoice(choice: RoleChoice) {
  if (choice.kind === "role") return { role: choice.role };
  if (choice.kind === "existing") return { customRoleId: choice.id };
  return { custom: choice.name, baseRole: choice.baseRole };
}

export function ImportWizard({ target, today }: { target: ImportTargetProps; today: string }) {
  const t = useTranslations("import");
  const tRoles = useTranslations("roles");
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [mode, setMode] = useState<"file" | "text">("file");
  const [file, setFile] = useState<File | null>(null);
  const [pasted, setPasted] = useState("");
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [editsChecked, setEditsChecked] = useState(true);
  const [readAs, setReadAs] = useState<Record<string, SectionKind>>({});
  const [roles, setRoles] = useState<Record<string, RoleChoice>>({});
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [startDate, setStartDate] = useState(today);
  const [result, setResult] = useState<ActionResult | null>(null);

  const failure = result && !result.ok ? result : null;
  const errorFor = (field: string) => failure?.fieldErrors?.[field]?.[0];

  function sourceForm(extra: Record<string, string> = {}): FormData | null {
    const form = new FormData();
    if (target) form.set("rolloutId", target.rolloutId);
    if (mode === "file") {
      if (!file) {
        setResult({ ok: false, code: "INVALID_INPUT", message: t("chooseFile") });
        return null;
      }
      if (file.size > MAX_BYTES) {
        setResult({ ok: false, code: "INVALID_INPUT", message: t("tooLarge", { size: megabytes(file.size), max: "2 MB" }) });
        return null;
      }
      form.set("file", file);
    } else {
      if (pasted.trim() === "") {
        setResult({ ok: false, code: "INVALID_INPUT", message: t("pasteFirst") });
        return null;
      }
      if (new TextEncoder().encode(pasted).length > MAX_BYTES) {
        setResult({ ok: false, code: "INVALID_INPUT", message: t("tooLarge", { size: megabytes(new TextEncoder().encode(pasted).length), max: "2 MB" }) });
        return null;
      }
      form.set("text", pasted);
    }
    for (const [key, value] of Object.entries(extra)) form.set(key, value);
    return form;
  }

  function read(choices: { edits: Record<string, string>; readAs: Record<string, SectionKind> }, first: boolean) {
    const form = sourceForm({ edits: JSON.stringify(choices.edits), readAs: JSON.stringify(choices.readAs) });
    if (!form) return;
    startTransition(async () => {
      const answer = await previewImportAction(form);
      setResult(answer.ok ? null : answer);
      if (!answer.ok || !answer.data) return;
      const next = answer.data;
      setPreview(next);
      setEditsChecked(true);
      if (first) {
        setReadAs({});
        setEdits({});
        setRoles(Object.fromEntries(next.roles.map((r) => [r.label, r.suggested ? { kind: "role", role: r.suggested } : { kind: "new", name: r.label.slice(0, 80), baseRole: "VIEWER" }])));
        setName(next.title.slice(0, 120));
        if (!slugEdited) setSlug(slugFrom(next.title));
        if (next.anchorDate) setStartDate(next.anchorDate);
      } else {
        // Roles the new reading names get their suggestion; the others keep the person's choice.
        setRoles((current) => Object.fromEntries(next.roles.map((r) => [r.label, current[r.label] ?? (r.suggested ? { kind: "role", role: r.suggested } : { kind: "new", name: r.label.slice(0, 80), baseRole: "VIEWER" })])));
      }
    });
  }

  function confirm() {
    if (!preview) return;
    const roleMap = Object.fromEntries(preview.roles.map((r) => [r.label, wireChoice(roles[r.label] ?? { kind: "new", name: r.label, baseRole: "VIEWER" })]));
    const form = sourceForm({
      edits: JSON.stringify(edits),
      readAs: JSON.stringify(readAs),
      roles: JSON.stringify(roleMap),
      ...(target ? {} : { name, slug, startDate }),
    });
    if (!form) return;
    startTransition(async () => {
      const answer = await importPlanAction(form);
      setResult(answer);
      if (answer.ok && answer.data) router.push(`/r/${answer.data.slug}`);
    });
  }

  function restart() {
    setPreview(null);
    setResult(null);
    setEdits({});
    setReadAs({});
    setRoles({});
  }

  const status = (
    <p role="status" aria-live="polite" className={`min-h-5 text-sm ${failure ? "text-red-700" : "text-green-800"}`}>
      {pending ? t("working") : (result?.message ?? null)}
    </p>
  );

  if (!preview) {
    return (
      <form
        className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
        onSubmit={(event) => {
          event.preventDefault();
          read({ edits: {}, readAs: {} }, true);
        }}
      >
        <fieldset className="flex flex-wrap gap-4">
          <legend className="mb-1 text-sm font-medium">{t("sourceLegend")}</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="mode" checked={mode === "file"} onChange={() => setMode("file")} />
            {t("upload")}
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="mode" checked={mode === "text"} onChange={() => setMode("text")} />
            {t("paste")}
          </label>
        </fieldset>
        {mode === "file" ? (
          <div className="flex flex-col gap-1">
            <label htmlFor="import-file" className="text-sm font-medium">{t("fileLabel")}</label>
            <input
              id="import-file"
              type="file"
              accept=".md,.markdown,.txt,text/markdown,text/plain"
              className={input}
              aria-describedby="import-file-hint"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
            <p id="import-file-hint" className="text-xs text-slate-600">{t("fileHint")}</p>
          </div>
        ) : (
          <div className="flex flex-col gap-1">
            <label htmlFor="import-text" className="text-sm font-medium">{t("textLabel")}</label>
            <textarea id="import-text" rows={12} className={`${input} font-mono text-sm`} value={pasted} onChange={(e) => setPasted(e.target.value)} aria-describedby="import-file-hint" />
            <p id="import-file-hint" className="text-xs text-slate-600">{t("fileHint")}</p>
          </div>
        )}
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" disabled={pending} className="rounded-md bg-green-700 px-4 py-2 font-semibold text-white hover:bg-green-800 disabled:opacity-60">
            {t("read")}
          </button>
          {status}
        </div>
      </form>
    );
  }

  const marked = new Map(preview.lines.map((l) => [l.line, l]));
  const allLines = preview.text.split("\n");
  const shownLines = allLines.length <= WHOLE_TEXT_LINES ? allLines.map((_, i) => i + 1) : preview.lines.map((l) => l.line);
  const unsure = preview.lines.filter((l) => l.unsure);
  const section = (title: string, body: ReactNode, id: string) => (
    <section aria-labelledby={id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
      <h2 id={id} className="mb-3 text-lg font-semibold">{title}</h2>
      {body}
    </section>
  );
  const customRoles = target?.customRoles ?? [];

  return (
    <div className="flex flex-col gap-5">
      {section(
        t("encodingTitle"),
        <div className="flex flex-col gap-2 text-sm">
          <p>{t("encodingSummary", { detected: preview.detected, repaired: preview.lines.filter((l) => l.changed).length, unsure: unsure.length, bytes: preview.bytes })}</p>
          {unsure.length > 0 ? <p className="text-amber-800">{t("unsureHint")}</p> : null}
          {allLines.length > WHOLE_TEXT_LINES ? <p className="text-slate-600">{t("onlyMarkedLines", { lines: allLines.length })}</p> : null}
          <ol aria-label={t("textTitle")} className="max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-50 font-mono text-xs">
            {shownLines.map((number) => {
              const report = marked.get(number);
              const value = allLines[number - 1] ?? "";
              const tone = report?.unsure ? "border-l-4 border-amber-500 bg-amber-50" : report?.changed ? "border-l-4 border-green-600 bg-green-50" : "border-l-4 border-transparent";
              return (
                <li key={number} className={`flex items-start gap-2 px-2 py-0.5 ${tone}`} data-line={number} data-mark={report?.unsure ? "unsure" : report?.changed ? "repaired" : undefined}>
                  <span className="w-10 shrink-0 text-right text-slate-500 select-none">{number}</span>
                  {report?.unsure ? (
                    <span className="flex w-full flex-col gap-1">
                      <span className="text-[11px] font-sans font-semibold text-amber-900">{t("unsureMark")}</span>
                      <label className="sr-only" htmlFor={`import-line-${number}`}>{t("correctLine", { line: number })}</label>
                      <input
                        id={`import-line-${number}`}
                        className="w-full rounded border border-amber-400 bg-white px-1 py-0.5"
                        value={edits[String(number)] ?? value}
                        onChange={(e) => {
                          const text = e.target.value;
                          setEdits((current) => {
                            const next = { ...current };
                            if (text === value) delete next[String(number)];
                            else next[String(number)] = text;
                            return next;
                          });
                          setEditsChecked(false);
                        }}
                      />
                      {report.choices.length > 0 ? <span className="font-sans text-[11px] text-slate-600">{t("choices", { choices: report.choices.join(" ") })}</span> : null}
                    </span>
                  ) : (
                    <span className="min-w-0 break-words whitespace-pre-wrap">
                      {report?.changed ? <span className="mr-1 rounded bg-green-700 px-1 font-sans text-[10px] font-semibold text-white">{t("repairedMark")}</span> : null}
                      {value}
                      {report?.changed ? <span className="block text-slate-500 line-through">{report.before}</span> : null}
                    </span>
                  )}
                </li>
              );
            })}
          </ol>
          {!editsChecked ? (
            <button type="button" disabled={pending} onClick={() => read({ edits, readAs }, false)} className="self-start rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50">
              {t("checkAgain")}
            </button>
          ) : null}
        </div>,
        "import-encoding",
      )}

      {preview.sections.length > 0
        ? section(
            t("sectionsTitle"),
            <div className="flex flex-col gap-2">
              <p className="text-sm text-slate-600">{t("sectionsHint")}</p>
              <ul className="divide-y divide-slate-100">
                {preview.sections.map((s) => (
                  <li key={s.id} className="flex flex-col gap-1 py-2 sm:flex-row sm:items-center sm:justify-between" style={{ paddingLeft: `${Math.max(0, s.level - 2) * 1}rem` }}>
                    <span className="text-sm">
                      <span className="font-medium">{s.heading}</span>{" "}
                      <span className="text-slate-500">{t("sectionLine", { line: s.line })}</span>
                      {s.count !== null ? <span className="text-slate-600"> · {t("entries", { count: s.count })}</span> : null}
                    </span>
                    <label className="flex items-center gap-2 text-sm">
                      <span>{t("readAs")}</span>
                      <select
                        className="rounded-md border border-slate-300 px-2 py-1"
                        aria-label={t("readAsFor", { heading: s.heading })}
                        value={readAs[s.id] ?? s.kind}
                        disabled={pending}
                        onChange={(e) => {
                          const kind = e.target.value as SectionKind;
                          const next = { ...readAs };
                          if (kind === s.suggested) delete next[s.id];
                          else next[s.id] = kind;
                          setReadAs(next);
                          read({ edits, readAs: next }, false);
                        }}
                      >
                        {KINDS.map((kind) => (
                          <option key={kind} value={kind}>
                            {t(`kind.${kind}`)}
                          </option>
                        ))}
                      </select>
                    </label>
                  </li>
                ))}
              </ul>
            </div>,
            "import-sections",
          )
        : null}

      {section(
        t("structureTitle", { title: preview.title }),
        <div className="flex flex-col gap-3 text-sm">
          <p>
            {t("counts", {
              phases: preview.phases.length,
              items: preview.phases.reduce((n, p) => n + p.itemCount, 0) + preview.immediate + preview.roleActions.reduce((n, r) => n + r.count, 0),
              signOffs: preview.signOffs.length,
              reading: preview.reading.reduce((n, r) => n + r.entries.length, 0),
              contacts: preview.contacts.length,
              milestones: preview.milestones.length,
              criteria: preview.criteria.reduce((n, c) => n + c.count, 0),
            })}
          </p>
          {preview.phases.length > 0 ? (
            <div>
              <h3 className="font-semibold">{t("phases")}</h3>
              <ol className="list-decimal pl-5" aria-label={t("phases")}>
                {preview.phases.map((p, index) => (
                  <li key={index} className="py-0.5">
                    <details>
                      <summary className="cursor-pointer">
                        <span className="font-medium">{p.name}</span> — {t("phaseItems", { count: p.itemCount, done: p.done })}
                        {p.optional ? ` · ${t("optional")}` : ""}
                        {p.window ? ` · ${p.window}` : ""}
                      </summary>
                      <ul className="list-disc pl-5 text-slate-700">
                        {p.items.map((item, i) => (
                          <li key={i}>
                            {item.done ? "☑ " : "☐ "}
                            {item.text}
                          </li>
                        ))}
                        {p.itemCount > p.items.length ? <li className="list-none text-slate-500">{t("andMore", { count: p.itemCount - p.items.length })}</li> : null}
                      </ul>
                    </details>
                  </li>
                ))}
              </ol>
            </div>
          ) : null}
          {preview.roleActions.length > 0 ? (
            <div>
              <h3 className="font-semibold">{t("roleActions")}</h3>
              <ul className="list-disc pl-5">{preview.roleActions.map((r, i) => <li key={i}>{t("roleList", { role: r.role, count: r.count })}</li>)}</ul>
            </div>
          ) : null}
          {preview.reading.length > 0 ? (
            <div>
              <h3 className="font-semibold">{t("reading")}</h3>
              <ul className="list-disc pl-5">
                {preview.reading.map((r, i) => (
                  <li key={i}>{t("readingList", { role: r.role, count: r.entries.length, minutes: r.entries.reduce((n, e) => n + e.minutes, 0) })}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {preview.signOffs.length > 0 ? (
            <div>
              <h3 className="font-semibold">{t("signOffs")}</h3>
              <ul className="list-disc pl-5">{preview.signOffs.map((s, i) => <li key={i}>{s.roles.length > 0 ? t("signOffWithRoles", { title: s.title, roles: s.roles.join(", ") }) : s.title}</li>)}</ul>
            </div>
          ) : null}
          {preview.criteria.length > 0 ? (
            <div>
              <h3 className="font-semibold">{t("criteria")}</h3>
              <ul className="list-disc pl-5">{preview.criteria.map((c, i) => <li key={i}>{t("roleList", { role: c.group, count: c.count })}</li>)}</ul>
            </div>
          ) : null}
          {preview.contacts.length > 0 ? (
            <div>
              <h3 className="font-semibold">{t("contacts")}</h3>
              <ul className="list-disc pl-5">{preview.contacts.map((c, i) => <li key={i}>{t("contact", { topic: c.topic, role: c.role })}</li>)}</ul>
            </div>
          ) : null}
          {preview.milestones.length > 0 ? (
            <div>
              <h3 className="font-semibold">{t("milestones")}</h3>
              <ul className="list-disc pl-5">{preview.milestones.map((m, i) => <li key={i}>{t("milestone", { label: m.label, day: m.startOffset })}</li>)}</ul>
            </div>
          ) : null}
          {preview.warnings.length > 0 ? (
            <div>
              <h3 className="font-semibold text-amber-900">{t("warningsTitle", { count: preview.warnings.length })}</h3>
              <ul className="list-disc pl-5 text-amber-900">
                {preview.warnings.map((w, i) => (
                  <li key={i}>{t("warningLine", { line: w.line, message: w.code ? t(`warning.${w.code}`, { text: w.text ?? "" }) : w.message })}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>,
        "import-structure",
      )}

      {preview.roles.length > 0
        ? section(
            t("rolesTitle"),
            <div className="flex flex-col gap-2">
              <p className="text-sm text-slate-600">{t("rolesHint")}</p>
              <ul className="divide-y divide-slate-100">
                {preview.roles.map((r) => {
                  const choice = roles[r.label] ?? { kind: "new", name: r.label.slice(0, 80), baseRole: "VIEWER" };
                  const value = choice.kind === "role" ? `role:${choice.role}` : choice.kind === "existing" ? `existing:${choice.id}` : "new";
                  const set = (next: RoleChoice) => setRoles((current) => ({ ...current, [r.label]: next }));
                  return (
                    <li key={r.label} className="flex flex-col gap-2 py-2 sm:flex-row sm:flex-wrap sm:items-center">
                      <span className="min-w-40 font-medium">{r.label}</span>
                      <label className="flex items-center gap-2 text-sm">
                        <span aria-hidden="true">→</span>
                        <select
                          aria-label={t("roleFor", { role: r.label })}
                          className="rounded-md border border-slate-300 px-2 py-1"
                          value={value}
                          onChange={(e) => {
                            const v = e.target.value;
                            if (v.startsWith("role:")) set({ kind: "role", role: v.slice(5) as Role });
                            else if (v.startsWith("existing:")) set({ kind: "existing", id: v.slice(9) });
                            else set({ kind: "new", name: r.label.slice(0, 80), baseRole: "VIEWER" });
                          }}
                        >
                          <optgroup label={t("builtInRoles")}>
                            {ALL_ROLES.map((role) => (
                              <option key={role} value={`role:${role}`}>
                                {tRoles(role)}
                              </option>
                            ))}
                          </optgroup>
                          {customRoles.length > 0 ? (
                            <optgroup label={t("rolloutRoles")}>
                              {customRoles.map((c) => (
                                <option key={c.id} value={`existing:${c.id}`}>
                                  {c.name}
                                </option>
                              ))}
                            </optgroup>
                          ) : null}
                          <option value="new">{t("newCustomRole")}</option>
                        </select>
                      </label>
                      {choice.kind === "new" ? (
                        <span className="flex flex-wrap items-center gap-2 text-sm">
                          <input
                            aria-label={t("customName", { role: r.label })}
                            className="rounded-md border border-slate-300 px-2 py-1"
                            maxLength={80}
                            value={choice.name}
                            onChange={(e) => set({ ...choice, name: e.target.value })}
                          />
                          <label className="flex items-center gap-1">
                            {t("baseRole")}
                            <select className="rounded-md border border-slate-300 px-2 py-1" value={choice.baseRole} onChange={(e) => set({ ...choice, baseRole: e.target.value as Role })}>
                              {ALL_ROLES.map((role) => (
                                <option key={role} value={role}>
                                  {tRoles(role)}
                                </option>
                              ))}
                            </select>
                          </label>
                        </span>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            </div>,
            "import-roles",
          )
        : null}

      {section(
        target ? t("intoTitle", { rollout: target.name }) : t("newTitle"),
        <div className="flex flex-col gap-4">
          {target ? (
            <p className="text-sm text-slate-600">{t("intoHint", { date: target.startDate })}</p>
          ) : (
            <div className="grid gap-4 sm:grid-cols-3">
              <div className="flex flex-col gap-1">
                <label htmlFor="import-name" className="text-sm font-medium">{t("name")}</label>
                <input
                  id="import-name"
                  className={input}
                  maxLength={120}
                  value={name}
                  aria-invalid={errorFor("name") ? true : undefined}
                  onChange={(e) => {
                    setName(e.target.value);
                    if (!slugEdited) setSlug(slugFrom(e.target.value));
                  }}
                />
                {errorFor("name") ? <p className="text-sm text-red-700">{errorFor("name")}</p> : null}
              </div>
              <div className="flex flex-col gap-1">
                <label htmlFor="import-slug" className="text-sm font-medium">{t("slug")}</label>
                <input
                  id="import-slug"
                  className={`${input} font-mono`}
                  value={slug}
                  aria-invalid={errorFor("slug") ? true : undefined}
                  onChange={(e) => {
                    setSlug(e.target.value);
                    setSlugEdited(true);
                  }}
                />
                {errorFor("slug") ? <p className="text-sm text-red-700">{errorFor("slug")}</p> : null}
              </div>
              <div className="flex flex-col gap-1">
                <label htmlFor="import-start" className="text-sm font-medium">{t("startDate")}</label>
                <input id="import-start" type="date" className={input} value={startDate} aria-invalid={errorFor("startDate") ? true : undefined} onChange={(e) => setStartDate(e.target.value)} />
                {errorFor("startDate") ? <p className="text-sm text-red-700">{errorFor("startDate")}</p> : null}
              </div>
            </div>
          )}
          <div className="flex flex-wrap items-center gap-3">
            <button type="button" disabled={pending || !editsChecked} onClick={confirm} className="rounded-md bg-green-700 px-4 py-2 font-semibold text-white hover:bg-green-800 disabled:opacity-60">
              {t("confirm")}
            </button>
            <button type="button" disabled={pending} onClick={restart} className="rounded-md border border-slate-300 px-4 py-2 font-medium hover:bg-slate-50">
              {t("startOver")}
            </button>
            {status}
          </div>
          {!editsChecked ? <p className="text-sm text-amber-800">{t("checkFirst")}</p> : null}
        </div>,
        "import-confirm",
      )}
    </div>
  );
}
