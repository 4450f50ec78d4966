import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { demoAccount, signIn } from "./fixtures";
import { UX_SLUG } from "./ux-data";

// What people stopped at when they walked through the portal (issue "What users saw"), each
// point checked in English and Brazilian Portuguese, at desktop and phone width, with
// screenshots attached to the report. Works on a copy of the sample plan of its own
// (tests/e2e/ux-setup.ts): it decides sign-offs and overrides a gate, which the other specs'
// sample rollout must not see. The tests run in order on that copy.

const BASE = `/r/${UX_SLUG}`;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const LANGS = ["en", "pt-BR"] as const;
type Lang = (typeof LANGS)[number];

const EXECUTIVE = demoAccount("EXECUTIVE");
const SECURITY = demoAccount("SECURITY_OFFICER");
const OPS = demoAccount("OPS_MANAGER");
const DBA = demoAccount("DBA");
const ADMIN = demoAccount("ADMIN");

async function openAs(browser: Browser, account: { email: string }, lang: Lang): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await signIn(page, account.email);
  await setLanguage(page, lang);
  return page;
}

/** The language cookie the language switcher sets; the next request answers in that language. */
async function setLanguage(page: Page, lang: Lang): Promise<void> {
  const url = new URL(page.url());
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: lang, domain: url.hostname, path: "/" }]);
}

/** Full-page screenshots at desktop and phone width, attached to the report and kept under test-results/screens/ux. */
async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
    await page.setViewportSize(viewport);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    // Nothing may need sideways scrolling on a phone (once charts have followed the new width).
    if (size === "phone") await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: `${name} width on a phone` }).toBeLessThanOrEqual(PHONE.width);
    const png = await page.screenshot({ fullPage: true });
    await testInfo.attach(`${name}-${size}`, { body: png, contentType: "image/png" });
    const folder = join(testInfo.project.outputDir, "screens", "ux");
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${name}-${size}.png`), png);
  }
  await page.setViewportSize(DESKTOP);
}

const T = {
  en: {
    phase1: "Production Deployment",
    approved029: "0 of 29 sign-offs approved",
    missing29: "29 sign-offs missing",
    items5: "5 required items open",
    firstThree: "First 3 blockers:",
    seeAll: "See the full list",
    gate: "Gate",
    phasesAndGates: "Phases and gates",
    securityGate: "Security gate",
    policies: "Security policies",
    unnamed: /still have the numbered names the plan gave them/,
    askAdmin: "Ask an admin to name them in the plan editor.",
    comment: "Comment for the decisions below (required to reject)",
    approveSelected: (n: number) => `Approve selected (${n})`,
    select: (title: string) => `Select “${title}”`,
    recorded: (n: number) => `${n} approvals recorded.`,
    approvedBadge: "Approved",
    by: (name: string) => new RegExp(`^by ${name}, `),
    nextDay: "My next 24 hours",
    inList: /decisions due soon are in your list below/,
    inThePlan: "In the plan:",
    milestones: "Milestones",
    overview: "Overview",
    checklist: "Checklist",
    sections: "Rollout sections",
    dashboards: "Your dashboards in this rollout",
    myDashboard: (role: string) => `My dashboard: ${role}`,
    execRole: "CTO / VP Engineering",
    yourAccount: "Your account",
    override: "Mark done despite the open gate",
    overrideReason: "Override the gate (executive only): reason, on record",
    overridden: (name: string) => new RegExp(`^Gate overridden by ${name} on .+\\. Reason: Pilot starts Monday$`),
    closedUndecided: /sign-offs closed without a decision$/,
    closedUndecidedBadge: "Closed without a decision",
    whatBlocks: "Gate not met yet",
    more: "Evidence, not applicable…",
    naReason: "Why it does not apply",
    markNa: "Mark not applicable",
    progressNa: "0 of 4 items done · 1 not applicable",
    summary: "Summary",
    progress: "Progress",
    lockedOwner: "Owned by Operations Manager: only they can tick it.",
    filters: "Filters",
    state: "State",
    open: "Open",
    apply: "Apply",
    undo: "Undo",
    ticked: "Ticked.",
    readingList: "My reading list",
    noReading: "Nothing to read: the plan gives this role no reading list.",
    progressHeader: "Progress",
    gateHeader: "Gate",
    data: "Data",
    dataLead: "Data Engineer Lead",
    portalRole: "Role in the portal: Data Engineer",
    executive: "Executive",
    noPhases: "This rollout has no phases yet.",
    editPlan: "Edit the plan to add its phases, items and sign-offs.",
    importPlan: "Import a plan",
  },
  "pt-BR": {
    phase1: "Production Deployment",
    approved029: "0 de 29 aprovações concedidas",
    missing29: "29 aprovações pendentes",
    items5: "5 itens obrigatórios em aberto",
    firstThree: "Primeiros 3 bloqueios:",
    seeAll: "Ver a lista completa",
    gate: "Portão",
    phasesAndGates: "Fases e portões",
    securityGate: "Portão de segurança",
    policies: "Políticas de segurança",
    unnamed: /ainda têm os nomes numerados que o plano lhes deu/,
    askAdmin: "Peça a um administrador que as nomeie no editor do plano.",
    comment: "Comentário para as decisões abaixo (obrigatório para rejeitar)",
    approveSelected: (n: number) => `Aprovar selecionadas (${n})`,
    select: (title: string) => `Selecionar “${title}”`,
    recorded: (n: number) => `${n} aprovações registradas.`,
    approvedBadge: "Aprovado",
    by: (name: string) => new RegExp(`^por ${name}, `),
    nextDay: "Minhas próximas 24 horas",
    inList: /decisões com prazo próximo estão na sua lista abaixo/,
    inThePlan: "No plano:",
    milestones: "Marcos",
    overview: "Visão geral",
    checklist: "Checklist",
    sections: "Seções do rollout",
    dashboards: "Seus painéis neste rollout",
    myDashboard: (role: string) => `Meu painel: ${role}`,
    execRole: "CTO / VP de Engenharia",
    yourAccount: "Sua conta",
    override: "Concluir apesar do portão aberto",
    overrideReason: "Liberar o portão por exceção (só executivo): motivo, fica registrado",
    overridden: (name: string) => new RegExp(`^Portão liberado por exceção por ${name} em .+\\. Motivo: Pilot starts Monday$`),
    closedUndecided: /aprovações encerradas sem decisão$/,
    closedUndecidedBadge: "Encerrada sem decisão",
    whatBlocks: "Portão ainda não cumprido",
    more: "Evidência, não se aplica…",
    naReason: "Por que não se aplica",
    markNa: "Marcar como não se aplica",
    progressNa: "0 de 4 itens concluídos · 1 não se aplica",
    summary: "Resumo",
    progress: "Progresso",
    lockedOwner: "Responsabilidade de Gerente de Operações: só quem tem esse papel pode marcar.",
    filters: "Filtros",
    state: "Estado",
    open: "Em aberto",
    apply: "Aplicar",
    undo: "Desfazer",
    ticked: "Marcado.",
    readingList: "Minha lista de leitura",
    noReading: "Nada para ler: o plano não dá lista de leitura a este papel.",
    progressHeader: "Progresso",
    gateHeader: "Portão",
    data: "Data",
    dataLead: "Data Engineer Lead",
    portalRole: "Papel no portal: Engenheiro de Dados",
    executive: "Executive",
    noPhases: "Este rollout ainda não tem fases.",
    editPlan: "Edite o plano para adicionar fases, itens e aprovações.",
    importPlan: "Importar um plano",
  },
} satisfies Record<Lang, unknown>;

const POLICY = (n: number) => `Security policy ${String(n).padStart(2, "0")} of 23`;

test.describe.serial("what users saw", () => {
  test("2, 3. a gate is counted one way everywhere: by kind, approved x of y, the first few and a link to the full list", async ({ browser }, testInfo) => {
    test.setTimeout(120_000);
    for (const lang of LANGS) {
      const t = T[lang];
      const page = await openAs(browser, EXECUTIVE, lang);
      try {
        // The executive dashboard: Phase 1's 34 blockers as counts by kind, then the first three.
        await page.goto(`${BASE}/executive`);
        const card = page.getByRole("region", { name: t.phasesAndGates }).getByRole("listitem").filter({ hasText: t.phase1 }).first();
        const gate = card.getByTestId("gate-state");
        await expect(gate.getByText(t.approved029, { exact: true })).toBeVisible();
        await expect(gate.getByText(t.missing29, { exact: true })).toBeVisible();
        await expect(gate.getByText(t.items5, { exact: true })).toBeVisible();
        await expect(gate.getByText(t.firstThree, { exact: true })).toBeVisible();
        await expect(gate.getByRole("list").last().getByRole("listitem")).toHaveCount(3);
        await expect(gate.getByRole("link", { name: t.seeAll })).toHaveAttribute("href", `${BASE}/phases/1#phase-gate`);
        await shoot(page, testInfo, `2-executive-${lang}`);

        // The same three figures on the overview, go/no-go, the phase page and the summary.
        for (const path of ["", "/go-no-go", "/phases/1"]) {
          await page.goto(`${BASE}${path}`);
          const state = page.getByTestId("gate-state").first();
          await expect(state.getByText(t.approved029, { exact: true }), `${path || "overview"} (${lang})`).toBeVisible();
          await expect(state.getByText(t.missing29, { exact: true })).toBeVisible();
          await expect(state.getByText(t.items5, { exact: true })).toBeVisible();
        }
        // Go/no-go groups the policies like every other page, instead of listing 23 lines.
        await page.goto(`${BASE}/go-no-go`);
        await expect(page.getByText(POLICY(1))).toHaveCount(0);
        await shoot(page, testInfo, `3-go-no-go-${lang}`);
        await page.goto(`${BASE}/summary`);
        const row = page.getByRole("row").filter({ hasText: t.phase1 });
        await expect(row.getByTestId("gate-state")).toContainText(t.approved029);
        await expect(row.getByTestId("gate-state")).toContainText(t.missing29);
        await expect(row.getByTestId("gate-state")).toContainText(t.items5);
        // 8. The summary's headers are apart, not "ProgressGate".
        const progress = await page.getByRole("columnheader", { name: t.progressHeader, exact: true }).boundingBox();
        const gateHeader = await page.getByRole("columnheader", { name: t.gateHeader, exact: true }).boundingBox();
        const progressText = await page.getByRole("columnheader", { name: t.progressHeader, exact: true }).evaluate((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          return range.getBoundingClientRect().right;
        });
        expect(progress && gateHeader).toBeTruthy();
        expect(gateHeader!.x - progressText).toBeGreaterThanOrEqual(8);
        await shoot(page, testInfo, `3-summary-${lang}`);
      } finally {
        await page.context().close();
      }
    }
  });

  test("1. the security officer sees the gate first and decides the policies in one compact list, several at once", async ({ browser }, testInfo) => {
    test.setTimeout(120_000);
    const picks = { en: [1, 2], "pt-BR": [3, 4] } as const;
    for (const lang of LANGS) {
      const t = T[lang];
      const page = await openAs(browser, SECURITY, lang);
      try {
        await page.goto(`${BASE}/security`);
        const gate = page.getByRole("region", { name: t.securityGate });
        const list = page.getByRole("region", { name: t.policies });
        // The gate's summary comes first, before the next 24 hours and the list.
        const gateBox = await gate.boundingBox();
        const nextBox = await page.getByRole("region", { name: t.nextDay }).boundingBox();
        const listBox = await list.boundingBox();
        expect(gateBox!.y).toBeLessThan(nextBox!.y);
        expect(nextBox!.y).toBeLessThan(listBox!.y);
        // Each policy once on the page: a row of the list, not a card with a comment box.
        await expect(list.getByTestId("sign-off-row")).toHaveCount(23);
        await expect(page.getByText(POLICY(7), { exact: true })).toHaveCount(1);
        await expect(page.getByRole("article", { name: POLICY(7) })).toHaveCount(0);
        await expect(page.getByRole("region", { name: t.nextDay }).getByText(t.inList)).toBeVisible();
        // Until an admin names them, the list says so; a policy links to its document.
        await expect(list.getByRole("note")).toContainText(t.unnamed);
        await expect(list.getByRole("note")).toContainText(t.askAdmin);
        await expect(list.getByTestId("sign-off-row").first().getByRole("link", { name: "docs/Projeto.md, section 18.6" })).toHaveAttribute("href", new RegExp(`^${BASE}/documents/`));

        // Approve two with one comment.
        const [a, b] = picks[lang];
        await list.getByRole("textbox", { name: t.comment }).fill("Checked against section 18.6");
        await list.getByRole("checkbox", { name: t.select(POLICY(a)) }).check();
        await list.getByRole("checkbox", { name: t.select(POLICY(b)) }).check();
        await list.getByRole("button", { name: t.approveSelected(2) }).click();
        await expect(list.getByRole("status")).toHaveText(t.recorded(2));
        for (const n of [a, b]) {
          const row = list.getByTestId("sign-off-row").filter({ hasText: POLICY(n) });
          await expect(row.getByText(t.approvedBadge, { exact: true })).toBeVisible();
          await expect(row.getByText(t.by(SECURITY.name))).toBeVisible();
        }
        // 8. A role with no reading list reads a sentence, not "0 of 0 read · 0 min in all".
        const reading = page.getByRole("region", { name: t.readingList });
        await expect(reading.getByText(t.noReading)).toBeVisible();
        await expect(reading.getByRole("progressbar")).toHaveCount(0);
        await shoot(page, testInfo, `1-security-${lang}`);
      } finally {
        await page.context().close();
      }
    }
  });

  test("4. real dates lead; the plan's own wording for them is shown as the plan's", async ({ browser }, testInfo) => {
    test.setTimeout(90_000);
    for (const lang of LANGS) {
      const t = T[lang];
      const page = await openAs(browser, EXECUTIVE, lang);
      try {
        await page.goto(`${BASE}/timeline`);
        const milestones = page.getByRole("region", { name: t.milestones });
        const week1 = milestones.getByRole("listitem").filter({ hasText: "WEEK 1 (8-14 dezembro)" });
        // The first line is the real dates; the plan's label follows, marked as the plan's.
        await expect(week1.locator("p").first()).not.toContainText("dezembro");
        await expect(week1.getByTestId("plan-wording")).toHaveText(`${t.inThePlan} WEEK 1 (8-14 dezembro)`);
        // The chart marks milestones by number only: no label with dates of its own beside the axis.
        await expect(page.locator("svg text", { hasText: "dezembro" })).toHaveCount(0);
        await shoot(page, testInfo, `4-timeline-${lang}`);

        await page.goto(BASE);
        const phase3 = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Replica & Optional Multi-cluster Phase", exact: true }) });
        await expect(phase3.getByTestId("plan-wording")).toHaveText(`${t.inThePlan} Week 4+, Jan 2026`);
        await shoot(page, testInfo, `4-overview-${lang}`);
      } finally {
        await page.context().close();
      }
    }
  });

  test("6. the tabs and the person's dashboard mark where one is; the header reads as one's account", async ({ browser }, testInfo) => {
    test.setTimeout(60_000);
    for (const lang of LANGS) {
      const t = T[lang];
      const page = await openAs(browser, EXECUTIVE, lang);
      try {
        await page.goto(`${BASE}/checklist`);
        const tabs = page.getByRole("navigation", { name: t.sections });
        const current = tabs.getByRole("link", { name: t.checklist, exact: true });
        await expect(current).toHaveAttribute("aria-current", "page");
        await expect(current).toHaveCSS("font-weight", "600");
        await expect(tabs.locator("[aria-current]")).toHaveCount(1);
        await expect(tabs.getByRole("link", { name: t.overview, exact: true })).not.toHaveAttribute("aria-current", /.*/);
        await expect(page.getByRole("banner").getByRole("link", { name: new RegExp(EXECUTIVE.name) })).toContainText(t.yourAccount);
        await shoot(page, testInfo, `6-tabs-${lang}`);

        await page.goto(`${BASE}/executive`);
        const mine = page.getByRole("navigation", { name: t.dashboards }).getByRole("link", { name: t.myDashboard(t.execRole) });
        await expect(mine).toHaveAttribute("aria-current", "page");
        await expect(page.getByRole("navigation", { name: t.sections }).locator("[aria-current]")).toHaveCount(0);
      } finally {
        await page.context().close();
      }
    }
  });

  test("7, 8. not applicable shows beside the totals and who marked it at once; locked boxes say why; a ticked item stays with an undo", async ({ browser }, testInfo) => {
    test.setTimeout(120_000);
    // The operations manager marks a Phase 2 item not applicable (once), then both languages are checked.
    const ops = await openAs(browser, OPS, "en");
    try {
      await ops.goto(`${BASE}/phases/2`);
      const row = ops.getByTestId("checklist-item").filter({ hasText: "Operations team certified" });
      await row.getByText(T.en.more).click();
      await row.getByLabel(T.en.naReason).fill("Certified last quarter");
      await row.getByRole("button", { name: T.en.markNa }).click();
      // Who and when, without a reload.
      await expect(row.getByText(new RegExp(`by ${OPS.name}, `))).toBeVisible();
      await expect(row).toHaveAttribute("data-state", "NOT_APPLICABLE");
    } finally {
      await ops.context().close();
    }
    for (const lang of LANGS) {
      const t = T[lang];
      const page = await openAs(browser, EXECUTIVE, lang);
      try {
        await page.goto(`${BASE}/phases/2`);
        await expect(page.getByRole("region", { name: t.summary }).getByRole("progressbar", { name: t.progress })).toHaveAttribute("aria-valuetext", t.progressNa);
        await page.goto(`${BASE}/executive`);
        await expect(page.getByRole("region", { name: t.phasesAndGates }).getByText(t.progressNa, { exact: true })).toBeVisible();
        await page.goto(BASE);
        await expect(page.getByText(t.progressNa, { exact: true })).toBeVisible();
        await shoot(page, testInfo, `7-overview-${lang}`);
      } finally {
        await page.context().close();
      }

      // A DBA sees why another role's box is greyed out.
      const dba = await openAs(browser, DBA, lang);
      try {
        await dba.goto(`${BASE}/phases/2`);
        const box = dba.getByRole("checkbox", { name: "Team training completed", exact: true });
        await expect(box).toBeDisabled();
        await expect(box).toHaveAccessibleDescription(new RegExp(t.lockedOwner.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
        await expect(dba.getByTestId("checklist-item").filter({ hasText: "Team training completed" }).getByText(t.lockedOwner)).toBeVisible();
        await shoot(dba, testInfo, `8-locked-${lang}`);
      } finally {
        await dba.context().close();
      }
    }
    for (const lang of LANGS) {
      const t = T[lang];
      // Under the "open" filter a ticked item stays, with an undo, until the next navigation.
      const opsPage = await openAs(browser, OPS, lang);
      try {
        await opsPage.goto(`${BASE}/checklist?state=OPEN&role=OPS_MANAGER&phase=2`);
        const item = lang === "en" ? "Team training completed" : "On-call schedule finalized";
        const box = opsPage.getByRole("checkbox", { name: item, exact: true });
        await box.click();
        await expect(box).toBeChecked();
        await expect(box).toBeEnabled();
        const row = opsPage.getByTestId("checklist-item").filter({ hasText: item });
        await expect(row.getByText(t.ticked)).toBeVisible();
        await expect(row.getByRole("button", { name: t.undo })).toBeVisible();
        await shoot(opsPage, testInfo, `8-undo-${lang}`);
        await row.getByRole("button", { name: t.undo }).click();
        await expect(box).not.toBeChecked();
        await expect(box).toBeEnabled();
        // Tick it again and navigate: the filter then leaves it out.
        await box.click();
        await expect(box).toBeEnabled();
        await expect(box).toBeChecked();
        await opsPage.reload();
        await expect(opsPage.getByRole("checkbox", { name: item, exact: true })).toHaveCount(0);
      } finally {
        await opsPage.context().close();
      }
    }
  });

  test("9. the contacts keep the plan's words", async ({ browser }, testInfo) => {
    for (const lang of LANGS) {
      const t = T[lang];
      const page = await openAs(browser, DBA, lang);
      try {
        await page.goto(`${BASE}/contacts`);
        const data = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: t.data, exact: true }) });
        await expect(data.getByRole("cell").first()).toContainText(t.dataLead);
        await expect(data.getByRole("cell").first()).toContainText(t.portalRole);
        const exec = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: t.executive, exact: true }) });
        await expect(exec.getByRole("cell").first()).toContainText("CTO/VP Engineering");
        await shoot(page, testInfo, `9-contacts-${lang}`);
      } finally {
        await page.context().close();
      }
    }
  });

  test("10. an empty rollout's overview points to editing the plan and to importing one, both of which exist", async ({ browser }, testInfo) => {
    test.setTimeout(60_000);
    const slug = `ux-empty-${Date.now().toString(36)}`;
    const admin = await openAs(browser, ADMIN, "en");
    try {
      await admin.goto("/new");
      await admin.getByLabel("Name", { exact: true }).fill(`Empty ${slug}`);
      await admin.getByLabel("Address", { exact: true }).fill(slug);
      await admin.getByLabel("Start date", { exact: true }).fill("2027-01-04");
      await admin.getByRole("button", { name: "Create rollout" }).click();
      await admin.waitForURL(`**/r/${slug}`);
      for (const lang of LANGS) {
        const t = T[lang];
        await setLanguage(admin, lang);
        await admin.goto(`/r/${slug}`);
        await expect(admin.getByTestId("overview-empty")).toHaveText(t.noPhases);
        await expect(admin.getByRole("link", { name: t.editPlan })).toHaveAttribute("href", `/r/${slug}/edit`);
        await expect(admin.getByRole("link", { name: t.importPlan, exact: true })).toHaveAttribute("href", `/r/${slug}/import`);
        await shoot(admin, testInfo, `10-empty-${lang}`);
      }
      await admin.getByRole("link", { name: T[LANGS[LANGS.length - 1]].importPlan, exact: true }).click();
      await expect(admin.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(admin).toHaveURL(new RegExp(`/r/${slug}/import$`));
    } finally {
      await admin.context().close();
    }
  });

  test("5. an overridden gate says by whom, when and why; its undecided sign-offs close and leave the to-do lists", async ({ browser }, testInfo) => {
    test.setTimeout(120_000);
    const executive = await openAs(browser, EXECUTIVE, "en");
    try {
      await executive.goto(`${BASE}/phases/1`);
      await executive.getByLabel(T.en.overrideReason).fill("Pilot starts Monday");
      await executive.getByRole("button", { name: T.en.override }).click();
      await expect(executive.getByTestId("override-notice")).toBeVisible();
    } finally {
      await executive.context().close();
    }
    for (const lang of LANGS) {
      const t = T[lang];
      const page = await openAs(browser, EXECUTIVE, lang);
      try {
        await page.goto(BASE);
        const phase1 = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: t.phase1 }) });
        const gate = phase1.getByTestId("gate-state");
        await expect(gate).toHaveAttribute("data-state", "closed");
        await expect(gate.locator("p").first()).toHaveText(t.overridden(EXECUTIVE.name));
        await expect(gate.getByText(t.closedUndecided)).toBeVisible();
        await expect(phase1).not.toContainText(t.whatBlocks);
        await expect(phase1).not.toContainText(t.missing29);
        await shoot(page, testInfo, `5-overview-${lang}`);
      } finally {
        await page.context().close();
      }
      const security = await openAs(browser, SECURITY, lang);
      try {
        await security.goto(`${BASE}/security`);
        // Nothing of the closed gate in the next 24 hours; the rows say how they closed, with no buttons.
        await expect(security.getByRole("region", { name: t.nextDay }).getByText(t.inList)).toHaveCount(0);
        const list = security.getByRole("region", { name: t.policies });
        const undecided = list.getByTestId("sign-off-row").filter({ hasText: POLICY(9) });
        await expect(undecided.getByText(t.closedUndecidedBadge)).toBeVisible();
        await expect(undecided.getByRole("button")).toHaveCount(0);
        await shoot(security, testInfo, `5-security-${lang}`);
      } finally {
        await security.context().close();
      }
    }
  });

  test("axe finds no violation on any page a role dashboard links to", async ({ browser }) => {
    test.setTimeout(300_000);
    const pages = new Set<string>();
    for (const [account, dashboard] of [
      [EXECUTIVE, "executive"],
      [OPS, "operations"],
      [SECURITY, "security"],
      [DBA, "dba"],
      [demoAccount("DATA_ENGINEER"), "data-engineer"],
      [demoAccount("FINANCE"), "finance"],
    ] as const) {
      const page = await openAs(browser, account, "en");
      try {
        await page.goto(`${BASE}/${dashboard}`);
        const links = await page.locator(`a[href^="${BASE}"]`).evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
        // Each page once (as the first dashboard that links to it), and every dashboard itself.
        const mine = [`${BASE}/${dashboard}`, ...new Set(links)].filter((path) => !path.includes("/export/") && !pages.has(path));
        for (const path of mine) {
          pages.add(path);
          await page.goto(path);
          const result = await new AxeBuilder({ page }).analyze();
          const found = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`);
          expect.soft(found, `axe on ${path} as ${account.email}`).toEqual([]);
        }
      } finally {
        await page.context().close();
      }
    }
    expect(pages.size).toBeGreaterThan(10);
  });
});
