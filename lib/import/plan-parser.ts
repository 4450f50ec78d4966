/**
 * Line-based parser for the Markdown rollout plan ("PRÓXIMOS PASSOS -
 * CHECKLIST FINAL" and plans written from the same template) into a typed
 * structure that a seed or an importer can store.
 *
 * Deliberately not a general Markdown parser: it knows the template's
 * sections by their headings and reads each one with a few patterns. A
 * required section or sub-section that is missing, or a line that does not fit
 * its section, raises a PlanParseError with the line number, so a broken plan
 * fails loudly instead of being imported half-empty.
 *
 * Pure module: no I/O, no framework imports.
 */
import { looksMojibaked, repairMojibake, type RepairResult } from './mojibake';

export type RoleKey =
  | 'EXECUTIVE'
  | 'DEV_LEAD'
  | 'OPS_MANAGER'
  | 'DEVOPS'
  | 'DBA'
  | 'DATA_ENGINEER'
  | 'SECURITY_OFFICER'
  | 'FINANCE';

export type PlanDocument = {
  /** Stable slug from the file name ("EXECUTIVE_SUMMARY.md" -> "executive-summary"); parent folders are prefixed only to keep it unique. */
  key: string;
  /** Heading of the plan's section about the document, else derived from the file name. */
  title: string;
  /** Path as written in the plan (relative to the plan's own folder). */
  path: string;
  /** "Conteúdo" bullets of a numbered section; for other documents the short descriptions the lists give. */
  summary: string[];
  action?: string;
};

export type ChecklistItem = { text: string; optional: boolean };

export type PlanPhase = {
  number: number;
  /** Name from the "Roadmap Visual" block (reads better), e.g. "Production Deployment". */
  name: string;
  /** Name from the checklist heading, e.g. "Deployment". */
  checklistName: string;
  /** Window from the checklist heading, e.g. "Week 1-2". */
  window: string;
  /** Window from the roadmap block, e.g. "SEMANA 1-2". */
  roadmapWindow: string;
  optional: boolean;
  /** The roadmap's "✅ ..." line, e.g. "MVP LIVE". */
  goal: string;
  items: ChecklistItem[];
  /** The other roadmap bullets of the phase (the goal line excluded). */
  roadmap: string[];
};

export type ReadingEntry = { path: string; minutes: number; sectionHint: string | null };

export type SuccessGroup = 'DEPLOYMENT' | 'MONITORING' | 'OPERATIONS';

export type PlanMilestone = {
  key: string;
  label: string;
  /** Days after createdOn, so that a seed can re-anchor the plan on another date. */
  offsetDays: number;
  /** Last day (inclusive) after createdOn; null for a single day or an open end ("WEEK 4+"). */
  endOffsetDays: number | null;
  details: string[];
};

export type ParsedPlan = {
  title: string;
  /** ISO date (YYYY-MM-DD). */
  createdOn: string;
  documents: PlanDocument[];
  immediate: { text: string; ownerRole: RoleKey | null }[];
  nextDay: { role: RoleKey; items: string[] }[];
  phases: PlanPhase[];
  readingLists: { role: RoleKey; entries: ReadingEntry[]; decisions: string[] }[];
  /** `title` is the plan's own heading for the group, as written. */
  successCriteria: { group: SuccessGroup; title: string; items: string[] }[];
  /** `label`: the plan's own words for who to contact ("Data Engineer Lead"), kept as written. */
  contacts: { topic: string; role: RoleKey; label: string }[];
  milestones: PlanMilestone[];
  summary: { achieved: string[]; next: string[]; later: string[] };
};

/** Raised when the plan does not follow the template; `line` is 1-based. */
export class PlanParseError extends Error {
  readonly line: number;

  constructor(message: string, line: number) {
    super(`${message} (line ${line})`);
    this.name = 'PlanParseError';
    this.line = line;
  }
}

// ---------------------------------------------------------------------------
// Text helpers

type SourceLine = { text: string; line: number };

const EMOJI =
  /(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F)\p{Emoji_Modifier}?(?:\u200D(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F?)\p{Emoji_Modifier}?)*/gu;

/** Removes emoji (status icons in headings and bullets) and tidies the spaces left behind. */
export function stripEmoji(text: string): string {
  return text.replace(EMOJI, '').replace(/\s{2,}/g, ' ').trim();
}

/** Lower-case, accent-free, emoji-free form used to recognise headings and labels. */
function normalize(text: string): string {
  return stripEmoji(text)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const BULLET = /^\s*[-*+]\s+(.*)$/;
const CHECKBOX = /^\s*[-*+]\s+\[[ xX]\]\s+(.*)$/;
const NUMBERED = /^\s*(\d+)\.\s+(.*)$/;
const BOLD_LABEL = /^\*\*([^*]+?):\*\*\s*(.*)$/;
const TREE_ITEM = /^\s*[├└│]─*\s?(.*)$/;
const FENCE = /^\s*(```|~~~)/;
const OPTIONAL_MARK = /\((?:opcional|optional)\)/i;

const MONTHS: Readonly<Record<string, number>> = {
  janeiro: 1, fevereiro: 2, marco: 3, abril: 4, maio: 5, junho: 6,
  julho: 7, agosto: 8, setembro: 9, outubro: 10, novembro: 11, dezembro: 12,
};

function monthNumber(name: string, line: number): number {
  const month = MONTHS[normalize(name)];
  if (month === undefined) throw new PlanParseError(`Unknown month "${name}"`, line);
  return month;
}

const DAY_MS = 86_400_000;

function utcDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day);
}

function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

function slug(text: string): string {
  return normalize(text)
    .replace(/\+/g, '-plus')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

// ---------------------------------------------------------------------------
// Roles

/** Role names as the plans write them, most specific first. */
const ROLE_PATTERNS: readonly (readonly [RoleKey, RegExp])[] = [
  ['DEV_LEAD', /\b(?:Development|Dev) Lead\b/i],
  ['OPS_MANAGER', /\bOperations Manager\b|\bOps Manager\b/i],
  ['SECURITY_OFFICER', /\bSecurity Officer\b/i],
  ['DATA_ENGINEER', /\bData Engineer(?:ing)?\b|\bData Eng\b/i],
  ['DEVOPS', /\bDevOps\b/i],
  ['DBA', /\bDBA\b/],
  ['FINANCE', /\bFinance\b|\bFinanceiro\b/i],
  ['EXECUTIVE', /\bCTO\b|\bVP Engineering\b|\bExecutives?\b|\bExec\b/i],
];

/**
 * The role a text names, or null. When several roles appear, the one named
 * first wins: in "Operations Manager reviews ..." the subject is the owner.
 */
export function roleFromText(text: string): RoleKey | null {
  let found: { role: RoleKey; index: number } | null = null;
  for (const [role, pattern] of ROLE_PATTERNS) {
    const match = pattern.exec(text);
    if (match && (found === null || match.index < found.index)) found = { role, index: match.index };
  }
  return found?.role ?? null;
}

function requireRole(text: string, line: number): RoleKey {
  const role = roleFromText(text);
  if (role === null) throw new PlanParseError(`Unknown role "${text}"`, line);
  return role;
}

/** "Para Operations Manager" -> OPS_MANAGER. */
function roleHeading(sub: Subsection): RoleKey {
  return requireRole(sub.title.replace(/^para\s+/i, ''), sub.line);
}

// ---------------------------------------------------------------------------
// Outline: title, "##" sections and their "###" sub-sections

type Subsection = { title: string; line: number; body: SourceLine[] };
type Section = Subsection & { key: string; intro: SourceLine[]; subsections: Subsection[] };
type Outline = { title: SourceLine | null; sections: Section[]; lines: SourceLine[] };

/**
 * A heading, also when a stray list marker sticks to it: the sample plan has
 * "-### PHASE 3: ...", which a renderer shows as a heading-like bullet but
 * which is clearly meant as the PHASE 3 heading.
 */
const HEADING = /^-?(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;

function outline(markdown: string): Outline {
  const lines: SourceLine[] = markdown
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((text, index) => ({ text: text.replace(/\s+$/, ''), line: index + 1 }));

  let title: SourceLine | null = null;
  const sections: Section[] = [];
  let inFence = false;
  for (const source of lines) {
    const section = sections.at(-1);
    const target = section?.subsections.at(-1)?.body ?? section?.intro;
    if (FENCE.test(source.text)) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(source.text);
    const level = heading?.[1]?.length ?? 0;
    const text = heading?.[2] ?? '';
    if (level === 1 && title === null) {
      title = { text, line: source.line };
    } else if (level === 2) {
      sections.push({ title: text, key: normalize(text), line: source.line, body: [], intro: [], subsections: [] });
    } else if (level === 3 && section) {
      section.subsections.push({ title: stripEmoji(text), line: source.line, body: [] });
      section.body.push(source);
    } else {
      target?.push(source);
      section?.body.push(source);
    }
  }
  return { title, sections, lines };
}

/** The template's sections in their usual order (the order only serves error messages). */
const SECTIONS = [
  { id: 'documents', heading: 'Documentação Criada em Próximos Passos', pattern: /^documentacao criada em/, required: true },
  { id: 'timeline', heading: 'Timeline de Execução', pattern: /^timeline/, required: true },
  { id: 'sessionDocuments', heading: 'Documentação Criada Nesta Sessão', pattern: /^documentacao criada nesta/, required: false },
  { id: 'nextDay', heading: 'Ações Imediatas (Próximas 24 horas)', pattern: /^acoes imediatas/, required: true },
  { id: 'roadmap', heading: 'Roadmap Visual', pattern: /^roadmap visual/, required: true },
  { id: 'checklist', heading: 'Checklist - Próximos Passos', pattern: /^checklist\b/, required: true },
  { id: 'readingLists', heading: 'Documentação por Papel', pattern: /^documentacao por papel/, required: true },
  { id: 'successCriteria', heading: 'Success Criteria', pattern: /^(?:success criteria|criterios de sucesso)/, required: true },
  { id: 'contacts', heading: 'Who to Contact', pattern: /^(?:who to contact|contatos)/, required: true },
  { id: 'summary', heading: 'Summary', pattern: /^(?:summary|resumo)$/, required: true },
  { id: 'allDocuments', heading: 'Todos os Documentos', pattern: /^todos os documentos/, required: false },
] as const;

type SectionId = (typeof SECTIONS)[number]['id'];

function locateSections(doc: Outline, markdown: string): Map<SectionId, Section> {
  const found = new Map<SectionId, Section>();
  for (const spec of SECTIONS) {
    const section = doc.sections.find((s) => spec.pattern.test(s.key));
    if (section) found.set(spec.id, section);
  }
  SECTIONS.forEach((spec, index) => {
    if (!spec.required || found.has(spec.id)) return;
    // Point at the heading that should have followed the missing section.
    const following = SECTIONS.slice(index + 1)
      .map((next) => found.get(next.id))
      .find((s) => s !== undefined);
    const line = following?.line ?? doc.lines.length;
    const hint = looksMojibaked(markdown) ? '; the text looks mojibaked, repair it first (loadPlan does)' : '';
    throw new PlanParseError(
      `Required section "## ${spec.heading}" is missing${following ? ` (expected before "## ${stripEmoji(following.title)}")` : ''}${hint}`,
      line,
    );
  });
  return found;
}

function requireSection(sections: Map<SectionId, Section>, id: SectionId): Section {
  const section = sections.get(id);
  // locateSections has already thrown for missing required sections.
  if (!section) throw new PlanParseError(`Section ${id} is missing`, 1);
  return section;
}

function findSubsection(section: Section, pattern: RegExp, description: string): Subsection {
  const sub = section.subsections.find((s) => pattern.test(normalize(s.title)));
  if (!sub) throw new PlanParseError(`Section "## ${stripEmoji(section.title)}" has no "### ${description}"`, section.line);
  return sub;
}

/** Contents of the first fenced code block of a section (the plan's diagrams). */
function fencedBlock(section: Section): SourceLine[] {
  const start = section.body.findIndex((l) => FENCE.test(l.text));
  if (start < 0) throw new PlanParseError(`Section "## ${stripEmoji(section.title)}" has no code block`, section.line);
  const end = section.body.findIndex((l, index) => index > start && FENCE.test(l.text));
  if (end < 0) throw new PlanParseError('Code block is not closed', section.body[start]?.line ?? section.line);
  return section.body.slice(start + 1, end);
}

function checklistItems(lines: readonly SourceLine[]): SourceLine[] {
  return lines.flatMap((l) => {
    const match = CHECKBOX.exec(l.text);
    return match?.[1] ? [{ text: match[1].trim(), line: l.line }] : [];
  });
}

function requireItems(sub: Subsection, items: readonly unknown[], what: string): void {
  if (items.length === 0) throw new PlanParseError(`"### ${sub.title}" has no ${what}`, sub.line);
}

// ---------------------------------------------------------------------------
// Header: title and creation date

function parseTitle(doc: Outline): string {
  if (!doc.title) throw new PlanParseError('The plan has no "# title" heading', 1);
  return stripEmoji(doc.title.text);
}

const CREATED = /^\*\*Criado:\*\*\s*(\d{1,2}) de (\p{L}+) de (\d{4})/u;

function parseCreatedOn(doc: Outline): string {
  for (const source of doc.lines) {
    const match = CREATED.exec(source.text);
    if (match?.[1] && match[2] && match[3]) {
      const day = Number(match[1]);
      const month = monthNumber(match[2], source.line);
      const year = Number(match[3]);
      const time = utcDay(year, month, day);
      if (new Date(time).getUTCDate() !== day) throw new PlanParseError(`Invalid date "${match[0]}"`, source.line);
      return isoDate(time);
    }
  }
  const firstSection = doc.sections[0]?.line ?? doc.lines.length;
  throw new PlanParseError('The header has no "**Criado:** <dia> de <mês> de <ano>" line', firstSection);
}

// ---------------------------------------------------------------------------
// Documents

type DocumentDraft = { title: string | null; path: string; summary: string[]; action?: string };

/** "`docs/PLAN.md` - Future roadmap" / "`README.md` (Getting started)" -> path and description. */
const LISTED_PATH = /`([^`]+\.[A-Za-z0-9]+)`\s*(.*)$/;

function cleanDescription(text: string): string | null {
  const cleaned = text
    .replace(/^[-–—←→:\s]+/, '')
    .replace(/^\((.*)\)$/, '$1')
    .trim();
  return cleaned === '' ? null : cleaned;
}

function parseNumberedDocuments(section: Section): DocumentDraft[] {
  const drafts: DocumentDraft[] = [];
  for (const sub of section.subsections) {
    const heading = /^\d+\.\s*(.*)$/.exec(sub.title);
    if (!heading) continue;
    let path: string | null = null;
    let action: string | undefined;
    const summary: string[] = [];
    let inContents = false;
    for (const source of sub.body) {
      const label = BOLD_LABEL.exec(source.text.trim());
      if (label?.[1] !== undefined) {
        const name = normalize(label[1]);
        const value = (label[2] ?? '').trim();
        inContents = name === 'conteudo';
        if (name === 'arquivo') path = /`([^`]+)`/.exec(value)?.[1] ?? (value || null);
        if (name === 'acao') action = value;
        continue;
      }
      const bullet = BULLET.exec(source.text);
      if (inContents && bullet?.[1]) summary.push(bullet[1].trim());
    }
    if (path === null) throw new PlanParseError(`"### ${sub.title}" has no "**Arquivo:**" line`, sub.line);
    drafts.push({ title: stripEmoji(heading[1] ?? ''), path, summary, ...(action === undefined ? {} : { action }) });
  }
  if (drafts.length === 0) throw new PlanParseError('No numbered document sections ("### 1. ...")', section.line);
  return drafts;
}

function parseListedDocuments(section: Section | undefined): DocumentDraft[] {
  if (!section) return [];
  return section.body.flatMap((source) => {
    if (!BULLET.test(source.text) && !NUMBERED.test(source.text)) return [];
    const match = LISTED_PATH.exec(source.text);
    if (!match?.[1]) return [];
    const description = cleanDescription(match[2] ?? '');
    return [{ title: null, path: match[1].trim(), summary: description === null ? [] : [description] }];
  });
}

function titleFromPath(path: string): string {
  const stem = (path.split('/').at(-1) ?? path).replace(/\.[^.]+$/, '');
  const words = stem.split(/[_\s-]+/).filter(Boolean);
  // SHOUTING_SNAKE_CASE file names read better in title case; mixed-case
  // names ("DB_Hive_Implementacao") and single words ("README") stay as they are.
  if (words.length > 1 && stem === stem.toUpperCase()) {
    return words.map((w) => w.charAt(0) + w.slice(1).toLowerCase()).join(' ');
  }
  return words.join(' ');
}

function documentKeys(paths: readonly string[]): string[] {
  const segments = paths.map((path) => path.replace(/\.[^./]+$/, '').split('/').filter((s) => s !== '' && s !== '.' && s !== '..'));
  let depth = paths.map(() => 1);
  const keyAt = (index: number): string => slug((segments[index] ?? []).slice(-(depth[index] ?? 1)).join(' '));
  // Widen only colliding keys (README.md vs src/tests/README.md) with their folders.
  for (let round = 0; round < 10; round++) {
    const keys = paths.map((_, index) => keyAt(index));
    const collides = keys.map((key) => keys.filter((k) => k === key).length > 1);
    if (!collides.includes(true)) return keys;
    depth = depth.map((d, index) => (collides[index] ? d + 1 : d));
  }
  return paths.map((_, index) => `${keyAt(index)}-${index + 1}`);
}

function mergeDocuments(drafts: readonly DocumentDraft[]): PlanDocument[] {
  const byPath = new Map<string, DocumentDraft>();
  for (const draft of drafts) {
    const existing = byPath.get(draft.path);
    if (!existing || (existing.title === null && draft.title !== null)) {
      // A document's own section beats any earlier mention in a list.
      byPath.set(draft.path, { ...draft, summary: [...draft.summary] });
    } else if (existing.title === null) {
      // Only documents without a section of their own collect list descriptions.
      existing.summary.push(...draft.summary);
    }
  }
  const merged = [...byPath.values()];
  const keys = documentKeys(merged.map((d) => d.path));
  return merged.map((draft, index) => ({
    key: keys[index] ?? slug(draft.path),
    title: draft.title ?? titleFromPath(draft.path),
    path: draft.path,
    summary: draft.title === null ? distinctDescriptions(draft.summary) : draft.summary,
    ...(draft.action === undefined ? {} : { action: draft.action }),
  }));
}

/** Drops repeated descriptions and ones contained in a longer one ("Este" vs "Este arquivo"). */
function distinctDescriptions(descriptions: readonly string[]): string[] {
  const unique = [...new Set(descriptions)];
  return unique.filter(
    (d) => !unique.some((other) => other !== d && other.toLowerCase().includes(d.toLowerCase())),
  );
}

// ---------------------------------------------------------------------------
// Reading lists ("Documentação por Papel")

/** "docs/Projeto.md Sections 1-5 (30 min)" -> path, hint and minutes. */
const READING_ENTRY = /^\s*\d+\.\s+(.+?)\s*\((\d+)\s*min(?:utos|utes)?\)\s*$/i;

function parseReadingEntry(source: SourceLine): ReadingEntry {
  const match = READING_ENTRY.exec(source.text);
  if (!match?.[1] || !match[2]) {
    throw new PlanParseError(`Reading-list entry "${source.text.trim()}" has no "(<n> min)" duration`, source.line);
  }
  // "src/tests/ README.md": a folder and a file name split by a stray space.
  const reference = match[1].replace(/^(\S+\/)\s+(?=\S)/, '$1');
  const path = /^(\S+\.[A-Za-z0-9]+)(?:\s+(.*))?$/.exec(reference);
  if (!path?.[1]) throw new PlanParseError(`Reading-list entry "${source.text.trim()}" names no file`, source.line);
  return { path: path[1], minutes: Number(match[2]), sectionHint: path[2]?.trim() || null };
}

function parseReadingLists(section: Section): ParsedPlan['readingLists'] {
  const lists = section.subsections.map((sub) => {
    const role = roleHeading(sub);
    const entries: ReadingEntry[] = [];
    const decisions: string[] = [];
    let inDecisions = false;
    for (const source of sub.body) {
      const text = source.text.trim();
      if (text === '' || FENCE.test(text)) continue;
      if (NUMBERED.test(text)) {
        entries.push(parseReadingEntry(source));
        continue;
      }
      const bullet = BULLET.exec(text);
      if (bullet?.[1] && inDecisions) {
        decisions.push(bullet[1].trim());
        continue;
      }
      // "Ler (priority order):" opens the entries; any other label
      // ("Decisões necessárias:", "Ações:", "Tarefas:", "Responsabilidades:") the decisions.
      if (text.endsWith(':')) inDecisions = !/^ler\b|^read\b/.test(normalize(text));
    }
    if (entries.length === 0) throw new PlanParseError(`"### ${sub.title}" has no reading entries`, sub.line);
    return { role, entries, decisions };
  });
  if (lists.length === 0) throw new PlanParseError('No "### Para <papel>" reading lists', section.line);
  return lists;
}

// ---------------------------------------------------------------------------
// Next 24 hours, immediate checklist, success criteria, contacts, summary

function parseNextDay(section: Section): ParsedPlan['nextDay'] {
  const result = section.subsections.map((sub) => {
    const items = checklistItems(sub.body);
    requireItems(sub, items, 'checklist items');
    return { role: roleHeading(sub), items: items.map((i) => i.text) };
  });
  if (result.length === 0) throw new PlanParseError('No "### Para <papel>" action lists', section.line);
  return result;
}

function parseImmediate(checklist: Section): ParsedPlan['immediate'] {
  const sub = findSubsection(checklist, /^(?:immediate|imediato)/, 'Immediate (This Week)');
  const items = checklistItems(sub.body);
  requireItems(sub, items, 'checklist items');
  return items.map((item) => ({ text: item.text, ownerRole: roleFromText(item.text) }));
}

const SUCCESS_GROUPS: readonly (readonly [SuccessGroup, RegExp])[] = [
  ['DEPLOYMENT', /deploy/],
  ['MONITORING', /monitor/],
  ['OPERATIONS', /operat|opera[cç]/],
];

function parseSuccessCriteria(section: Section): ParsedPlan['successCriteria'] {
  const groups = section.subsections.map((sub) => {
    const group = SUCCESS_GROUPS.find(([, pattern]) => pattern.test(normalize(sub.title)))?.[0];
    if (!group) throw new PlanParseError(`Unknown success-criteria group "${sub.title}"`, sub.line);
    const items = checklistItems(sub.body);
    requireItems(sub, items, 'criteria');
    return { group, title: sub.title, items: items.map((i) => i.text) };
  });
  if (groups.length === 0) throw new PlanParseError('No success-criteria groups', section.line);
  return groups;
}

const CONTACT = /^\s*[-*]\s+\*\*(.+?):\*\*\s*(.+)$/;

function parseContacts(section: Section): ParsedPlan['contacts'] {
  const contacts = section.body.flatMap((source) => {
    const match = CONTACT.exec(source.text);
    if (!match?.[1] || !match[2]) return [];
    return [{ topic: match[1].trim(), role: requireRole(match[2].trim(), source.line), label: match[2].trim() }];
  });
  if (contacts.length === 0) throw new PlanParseError('No "- **<topic>:** <role>" contacts', section.line);
  return contacts;
}

function parseSummary(section: Section): ParsedPlan['summary'] {
  const linesOf = (pattern: RegExp, description: string): string[] =>
    findSubsection(section, pattern, description)
      .body.map((l) => stripEmoji(l.text.replace(BULLET, '$1')))
      .filter((text) => text !== '' && text !== '---');
  return {
    achieved: linesOf(/alcancado|today|achieved/, 'O que foi alcançado ...'),
    next: linesOf(/\bnext\b|proxima semana/, 'O que vem NEXT ...'),
    later: linesOf(/depois|later/, 'O que vem DEPOIS ...'),
  };
}

// ---------------------------------------------------------------------------
// Phases: checklist headings + "Roadmap Visual" block

type RoadmapPhase = { number: number; name: string; window: string; header: string; goal: string; roadmap: string[]; line: number };

/** "🔴 PHASE 1: Production Deployment (SEMANA 1-2)" / "PHASE 1: Deployment (Week 1-2)". */
const PHASE_HEADING = /^(?:.*?\s)?(?:PHASE|FASE)\s+(\d+)\s*:\s*(.+?)\s*\(([^)]*)\)\s*$/iu;

function parseRoadmap(section: Section): RoadmapPhase[] {
  const phases: RoadmapPhase[] = [];
  for (const source of fencedBlock(section)) {
    const heading = PHASE_HEADING.exec(stripEmoji(source.text));
    if (heading?.[1] && heading[2]) {
      phases.push({
        number: Number(heading[1]),
        // The plan's own words: "Replica & Optional Multi-cluster Phase" stays as written.
        name: heading[2].trim(),
        window: (heading[3] ?? '').trim(),
        header: source.text,
        goal: '',
        roadmap: [],
        line: source.line,
      });
      continue;
    }
    const current = phases.at(-1);
    const item = TREE_ITEM.exec(source.text);
    if (!current || !item?.[1]) continue; // preamble ("DEZEMBRO 2025 (Now):"), rules, "FILOSOFIA: ..."
    const goal = /^✅\s*(.*)$/u.exec(item[1].trim());
    if (goal?.[1]) current.goal = goal[1].trim();
    else current.roadmap.push(item[1].trim());
  }
  if (phases.length === 0) throw new PlanParseError('The roadmap block names no "PHASE <n>: ..." lines', section.line);
  return phases;
}

function parsePhases(checklist: Section, roadmapSection: Section): PlanPhase[] {
  const roadmap = parseRoadmap(roadmapSection);
  const checklistPhases = checklist.subsections.flatMap((sub) => {
    const heading = PHASE_HEADING.exec(sub.title);
    return heading?.[1] && heading[2] ? [{ sub, number: Number(heading[1]), name: heading[2].trim(), window: (heading[3] ?? '').trim() }] : [];
  });
  for (const planned of roadmap) {
    if (!checklistPhases.some((c) => c.number === planned.number)) {
      throw new PlanParseError(
        `Section "## ${stripEmoji(checklist.title)}" has no "### PHASE ${planned.number}: ..." checklist (the roadmap at line ${planned.line} names it)`,
        checklist.line,
      );
    }
  }
  return checklistPhases.map(({ sub, number, name, window }) => {
    const planned = roadmap.find((r) => r.number === number);
    if (!planned) throw new PlanParseError(`PHASE ${number} is not in the "Roadmap Visual" block`, sub.line);
    const items = checklistItems(sub.body).map((i) => ({ text: i.text, optional: OPTIONAL_MARK.test(i.text) }));
    requireItems(sub, items, 'checklist items');
    // A phase is optional when its heading says so, or when every roadmap step is "(opcional)".
    const optional =
      /\b(?:optional|opcional)\b/i.test(`${planned.header} ${sub.title}`) ||
      (planned.roadmap.length > 0 && planned.roadmap.every((step) => OPTIONAL_MARK.test(step)));
    return {
      number,
      name: planned.name,
      checklistName: name,
      window,
      roadmapWindow: planned.window,
      optional,
      goal: planned.goal,
      items,
      roadmap: planned.roadmap,
    };
  });
}

// ---------------------------------------------------------------------------
// Milestones ("Timeline de Execução")

type Span = { offsetDays: number; endOffsetDays: number | null };

function parseMilestoneSpan(label: string, createdOn: string, line: number): Span {
  const [year = 0, month = 1, day = 1] = createdOn.split('-').map(Number);
  const anchor = utcDay(year, month, day);
  const offsetOf = (time: number): number => Math.round((time - anchor) / DAY_MS);
  const dateOffset = (d: number, monthName: string): number => {
    const offset = offsetOf(utcDay(year, monthNumber(monthName, line), d));
    // Dates carry no year: "(5 de janeiro)" in a plan written in December is next year.
    return offset < -183 ? offsetOf(utcDay(year + 1, monthNumber(monthName, line), d)) : offset;
  };

  // Explicit dates win: "(7 de dezembro)", "(8-14 dezembro)".
  const range = /\((\d{1,2})\s*[-–]\s*(\d{1,2})\s+(?:de\s+)?(\p{L}+)\)/u.exec(label);
  if (range?.[1] && range[2] && range[3]) {
    return { offsetDays: dateOffset(Number(range[1]), range[3]), endOffsetDays: dateOffset(Number(range[2]), range[3]) };
  }
  const single = /\((\d{1,2})\s+(?:de\s+)?(\p{L}+)\)/u.exec(label);
  if (single?.[1] && single[2]) return { offsetDays: dateOffset(Number(single[1]), single[2]), endOffsetDays: null };

  if (/^(?:hoje|today)\b/i.test(label)) return { offsetDays: 0, endOffsetDays: null };

  // Weeks count from the day after the plan was written: week 1 = days 1..7.
  const weeks = /^(?:week|semana)\s+(\d+)(?:\s*[-–]\s*(\d+))?(\+)?/i.exec(label);
  if (weeks?.[1]) {
    const first = Number(weeks[1]);
    const last = weeks[2] ? Number(weeks[2]) : first;
    return { offsetDays: 7 * (first - 1) + 1, endOffsetDays: weeks[3] ? null : 7 * last };
  }

  const quarter = /^Q([1-4])\s+(\d{4})/i.exec(label);
  if (quarter?.[1] && quarter[2]) {
    const q = Number(quarter[1]);
    const y = Number(quarter[2]);
    const start = utcDay(y, 3 * (q - 1) + 1, 1);
    const end = utcDay(y, 3 * q + 1, 1) - DAY_MS;
    return { offsetDays: offsetOf(start), endOffsetDays: offsetOf(end) };
  }
  throw new PlanParseError(`Cannot tell when timeline entry "${label}" happens`, line);
}

function parseMilestones(section: Section, createdOn: string): PlanMilestone[] {
  const milestones: PlanMilestone[] = [];
  for (const source of fencedBlock(section)) {
    const item = TREE_ITEM.exec(source.text);
    const current = milestones.at(-1);
    if (item?.[1] !== undefined) {
      if (!current) throw new PlanParseError('Timeline item before any "<label>:" line', source.line);
      current.details.push(item[1].trim());
      continue;
    }
    const label = /^(\S.*?):\s*$/.exec(source.text);
    if (!label?.[1]) continue;
    milestones.push({
      key: slug(label[1].replace(/\(.*\)/, '')),
      label: label[1].trim(),
      ...parseMilestoneSpan(label[1].trim(), createdOn, source.line),
      details: [],
    });
  }
  if (milestones.length === 0) throw new PlanParseError('The timeline block has no "<label>:" entries', section.line);
  return milestones;
}

/**
 * Open-ended months the roadmap names but the timeline block does not, e.g. Phase 4's
 * "(Fevereiro+, ÚLTIMO)": a milestone from the first day of that month.
 */
function roadmapMilestones(roadmapSection: Section, createdOn: string, known: PlanMilestone[]): PlanMilestone[] {
  const [year = 0, month = 1, day = 1] = createdOn.split('-').map(Number);
  const anchor = utcDay(year, month, day);
  const found: PlanMilestone[] = [];
  for (const phase of parseRoadmap(roadmapSection)) {
    const open = /(?:^|,\s*)(\p{L}+)\+/u.exec(phase.window);
    if (!open?.[1] || MONTHS[normalize(open[1])] === undefined) continue;
    const monthOfYear = monthNumber(open[1], phase.line);
    const start = utcDay(monthOfYear < month ? year + 1 : year, monthOfYear, 1);
    const key = slug(`${open[1]}+`);
    if (known.some((m) => m.key === key) || found.some((m) => m.key === key)) continue;
    found.push({
      key,
      label: `${open[1]}+`,
      offsetDays: Math.round((start - anchor) / DAY_MS),
      endOffsetDays: null,
      details: [`PHASE ${phase.number}: ${phase.name}`, ...phase.roadmap],
    });
  }
  return found;
}

// ---------------------------------------------------------------------------
// Entry points

function withRoadmapMilestones(timeline: PlanMilestone[], roadmapSection: Section, createdOn: string): PlanMilestone[] {
  return [...timeline, ...roadmapMilestones(roadmapSection, createdOn, timeline)].sort((a, b) => a.offsetDays - b.offsetDays);
}

/** Parses an already repaired plan. Throws PlanParseError when it does not follow the template. */
export function parsePlan(markdown: string): ParsedPlan {
  const doc = outline(markdown);
  const title = parseTitle(doc);
  const createdOn = parseCreatedOn(doc);
  const sections = locateSections(doc, markdown);
  const section = (id: SectionId): Section => requireSection(sections, id);
  const checklist = section('checklist');

  const readingLists = parseReadingLists(section('readingLists'));
  const documents = mergeDocuments([
    ...parseNumberedDocuments(section('documents')),
    ...parseListedDocuments(sections.get('sessionDocuments')),
    ...readingLists.flatMap((list) => list.entries.map((e) => ({ title: null, path: e.path, summary: [] }))),
    ...parseListedDocuments(sections.get('allDocuments')),
  ]);

  return {
    title,
    createdOn,
    documents,
    immediate: parseImmediate(checklist),
    nextDay: parseNextDay(section('nextDay')),
    phases: parsePhases(checklist, section('roadmap')),
    readingLists,
    successCriteria: parseSuccessCriteria(section('successCriteria')),
    contacts: parseContacts(section('contacts')),
    milestones: withRoadmapMilestones(parseMilestones(section('timeline'), createdOn), section('roadmap'), createdOn),
    summary: parseSummary(section('summary')),
  };
}

/** Repairs mojibake, then parses. The repair report lets the caller show what was guessed. */
export function loadPlan(raw: string): { plan: ParsedPlan; repair: RepairResult } {
  const repair = repairMojibake(raw);
  return { plan: parsePlan(repair.text), repair };
}
