/**
 * Reads any GitHub-style Markdown checklist into a typed plan, with a real Markdown
 * parser (unified + remark-parse + remark-gfm), never line patterns:
 *
 * - headings open sections; each section is read as one kind (a phase, the immediate
 *   list, a role's actions, a role's reading list, success criteria, contacts,
 *   milestones, sign-offs, notes, or ignored), guessed from its heading and its content,
 *   and changeable by the person importing (`readAs`);
 * - task-list items (`- [ ]`, `- [x]`, nested too) become items; ticked ones are done;
 * - "(optional)"/"(opcional)" marks optional items and phases;
 * - list entries ending in "(N min)" become reading entries; tables of people become
 *   contacts; dates in headings become planned windows;
 * - fenced code, HTML (comments included) and block quotes never become anything.
 *
 * Everything not understood becomes a warning with its line number. The sample plan's
 * own template (its Portuguese headings, roadmap block and timeline) is recognised
 * and mapped as the demo shows it (`sample-template.ts`).
 *
 * Pure module: no I/O, no framework imports.
 */
import type { Heading, List, ListItem, Root, RootContent, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Role, SignOffKind } from '../generated/prisma/enums';
import { roleFromText, stripEmoji } from './plan-parser';
import { readSampleTemplate } from './sample-template';

export const SECTION_KINDS = [
  'phase',
  'immediate',
  'roleActions',
  'reading',
  'criteria',
  'contacts',
  'milestones',
  'signOffs',
  'notes',
  'ignore',
] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

/** What a warning is about, so that the preview can say it in the reader's language. */
export type PlanWarningCode = 'tableWithoutRole' | 'plainBullet' | 'readingWithoutMinutes' | 'contactNotTopicRole' | 'milestoneWithoutDate' | 'noTitle';
/** `message` is English (the CLI prints it); `code` and `text` (the line's words, shortened) let a page translate it. */
export type PlanWarning = { line: number; message: string; code?: PlanWarningCode; text?: string };

export type PlanItem = {
  text: string;
  done: boolean;
  optional: boolean;
  line: number;
  /** Nesting depth in the source list (0 = top level). */
  depth: number;
  /** Role label of the item's owner, when the plan says. */
  owner: string | null;
  notApplicable: string | null;
  evidence: string | null;
};

export type PlanSection = {
  id: string;
  heading: string;
  level: number;
  line: number;
  /** What the reader guessed. */
  suggested: SectionKind;
  /** What was applied (the guess unless the person chose otherwise). */
  kind: SectionKind;
  /** The role or group the heading names ("Para DBA" → "DBA"). */
  subject: string | null;
};

export type PlanPhase = {
  sectionId: string;
  name: string;
  optional: boolean;
  /** The plan's own words for the window, e.g. "Week 1-2" or "2026-01-05 – 2026-01-16". */
  window: string | null;
  goal: string | null;
  /** Days after the plan's anchor date. */
  startOffset: number | null;
  endOffset: number | null;
  line: number;
  items: PlanItem[];
};

export type PlanReadingEntry = { path: string; minutes: number; sectionHint: string | null; line: number };

export type PlanSignOff = {
  title: string;
  kind: SignOffKind;
  done: boolean;
  /** Role labels that decide. */
  roles: string[];
  /** Index into `phases`, or null. */
  phase: number | null;
  line: number;
  description?: string | null;
  reference?: string | null;
  amountCents?: bigint | null;
  currency?: string | null;
  approvalsNeeded?: number;
  everyRole?: boolean;
  dueOffset?: number | null;
  /** A decision as the export writes it ("approved by Ana <ana@x> on 2026-01-02"), kept as text. */
  decisions?: string[];
};

export type PlanMilestone = {
  key: string;
  label: string;
  startOffset: number;
  endOffset: number | null;
  details: string[];
  line: number;
};

export type PlanDocument = { key: string; title: string; path: string; summary: string[]; action: string | null; body: string | null };

export type ImportedPlan = {
  title: string;
  /** ISO date the plan's offsets count from; null when the plan names no date (the import day is used). */
  anchorDate: string | null;
  template: 'generic' | 'sample';
  description: string | null;
  sections: PlanSection[];
  phases: PlanPhase[];
  immediate: PlanItem[];
  /** Days after the anchor the immediate list is due, if the plan says. */
  immediateDueOffset: number | null;
  roleActions: { role: string; sectionId: string; dueOffset: number | null; items: PlanItem[] }[];
  reading: { role: string; sectionId: string; entries: PlanReadingEntry[] }[];
  criteria: { group: string; sectionId: string; items: { text: string; done: boolean; line: number }[] }[];
  /** `label`: the plan's own words for the role when `role` is a role's key (the sample's template). */
  contacts: { topic: string; role: string; label?: string; line: number }[];
  milestones: PlanMilestone[];
  signOffs: PlanSignOff[];
  documents: PlanDocument[];
  /** Every role label the plan names, with the built-in role it most likely means. */
  roles: { label: string; suggested: Role | null }[];
  warnings: PlanWarning[];
};

export type ReadOptions = {
  /** Section id → how to read it, overriding the guess. */
  readAs?: Readonly<Record<string, SectionKind>>;
};

/** Refused plans: no task list, or nothing importable. */
export class PlanImportError extends Error {
  readonly line: number;
  readonly code: 'noTasks' | 'allIgnored' | 'noTitle';
  constructor(code: 'noTasks' | 'allIgnored' | 'noTitle', message: string, line: number) {
    super(`${message} (line ${line})`);
    this.name = 'PlanImportError';
    this.code = code;
    this.line = line;
  }
}

// ---------------------------------------------------------------------------
// Text helpers

function normalize(text: string): string {
  return stripEmoji(text)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function slugify(text: string): string {
  return normalize(text)
    .replace(/\+/g, '-plus')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const OPTIONAL_MARK = /\((?:optional|opcional)\)/i;
const DAY_MS = 86_400_000;

function lineOf(node: { position?: { start: { line: number } } }): number {
  return node.position?.start.line ?? 0;
}

function isoDay(text: string): number | null {
  const time = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(time) ? null : time;
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, janeiro: 1, january: 1, feb: 2, fev: 2, fevereiro: 2, february: 2, mar: 3, marco: 3, march: 3,
  apr: 4, abr: 4, abril: 4, april: 4, may: 5, mai: 5, maio: 5, jun: 6, junho: 6, june: 6, jul: 7, julho: 7, july: 7,
  aug: 8, ago: 8, agosto: 8, august: 8, sep: 9, set: 9, setembro: 9, september: 9, oct: 10, out: 10, outubro: 10, october: 10,
  nov: 11, novembro: 11, november: 11, dec: 12, dez: 12, dezembro: 12, december: 12,
};

/** Dates written in a heading: ISO ("2026-01-05") or "5 Jan 2026" / "5 de janeiro de 2026". */
export function datesIn(text: string): number[] {
  const found: { index: number; time: number }[] = [];
  for (const match of text.matchAll(/\b(\d{4}-\d{2}-\d{2})\b/g)) {
    const time = isoDay(match[1] ?? '');
    if (time !== null) found.push({ index: match.index ?? 0, time });
  }
  for (const match of text.matchAll(/\b(\d{1,2})\s+(?:de\s+)?(\p{L}+)\.?\s+(?:de\s+)?(\d{4})\b/gu)) {
    const month = MONTHS[normalize(match[2] ?? '')];
    if (month === undefined) continue;
    const time = Date.UTC(Number(match[3]), month - 1, Number(match[1]));
    if (new Date(time).getUTCDate() === Number(match[1])) found.push({ index: match.index ?? 0, time });
  }
  return found.sort((a, b) => a.index - b.index).map((f) => f.time);
}

function isoOf(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------
// Section classification

type Guess = { kind: SectionKind; subject: string | null } | null;

const ROLE_FOR = /^(?:(?:actions?|acoes|tasks?|tarefas|next 24 hours|proximas 24 horas)\s*(?:[:—–-]\s*|\s+)?)?(?:for|para)\s+(.+)$/i;

function afterColon(heading: string): string | null {
  const match = /^[^:]+:\s*(.+)$/.exec(heading);
  return match?.[1]?.trim() || null;
}

function guessFromHeading(heading: string): Guess {
  const n = normalize(heading);
  if (/^(?:phase|fase|etapa|stage|step)\b/.test(n)) return { kind: 'phase', subject: null };
  if (/^(?:immediate|imediato|this week|esta semana)\b/.test(n)) return { kind: 'immediate', subject: null };
  if (/^(?:success criteria|criterios de sucesso|criteria|criterios|definition of done)\b/.test(n)) return { kind: 'criteria', subject: afterColon(heading) };
  if (/^(?:contacts?|contatos?|who to contact|quem contatar|people|pessoas)\b/.test(n)) return { kind: 'contacts', subject: null };
  if (/^(?:milestones?|marcos?|timeline|cronograma|calendar|calendario)\b/.test(n)) return { kind: 'milestones', subject: null };
  if (/^(?:sign-?offs?|approvals?|aprovacoes|decisions|decisoes)\b/.test(n)) return { kind: 'signOffs', subject: null };
  if (/^(?:reading|leitura|documentacao por papel|reading list)/.test(n)) return { kind: 'reading', subject: afterColon(heading) ?? forRole(heading) };
  if (/^(?:actions?|acoes|tasks? for|tarefas para)\b/.test(n)) return { kind: 'roleActions', subject: afterColon(heading) ?? forRole(heading) };
  if (/^(?:notes?|notas|summary|resumo|references?|referencias|background|contexto)\b/.test(n)) return { kind: 'notes', subject: null };
  const role = forRole(heading);
  if (role) return { kind: 'roleActions', subject: role };
  return null;
}

function forRole(heading: string): string | null {
  const match = ROLE_FOR.exec(stripEmoji(heading).trim());
  return match?.[1]?.trim() || null;
}

// ---------------------------------------------------------------------------
// Reading the tree

type RawSection = { id: string; heading: Heading; text: string; level: number; line: number; nodes: RootContent[]; parent: RawSection | null };

function collectSections(tree: Root): { title: { text: string; line: number } | null; intro: RootContent[]; sections: RawSection[] } {
  let title: { text: string; line: number } | null = null;
  const intro: RootContent[] = [];
  const sections: RawSection[] = [];
  const stack: RawSection[] = [];
  for (const node of tree.children) {
    if (node.type === 'heading') {
      const text = stripEmoji(toString(node)).trim();
      if (node.depth === 1 && title === null && sections.length === 0) {
        title = { text, line: lineOf(node) };
        continue;
      }
      while (stack.length > 0 && (stack.at(-1)?.level ?? 0) >= node.depth) stack.pop();
      const section: RawSection = { id: `s${sections.length + 1}`, heading: node, text, level: node.depth, line: lineOf(node), nodes: [], parent: stack.at(-1) ?? null };
      sections.push(section);
      stack.push(section);
      continue;
    }
    const current = stack.at(-1);
    if (current) current.nodes.push(node);
    else intro.push(node);
  }
  return { title, intro, sections };
}

type TaskLine = { item: ListItem; depth: number };

/** Task items of a list, nested ones included, in document order. */
function taskItems(list: List, depth = 0, out: TaskLine[] = []): TaskLine[] {
  for (const item of list.children) {
    if (typeof item.checked === 'boolean') out.push({ item, depth });
    for (const child of item.children) if (child.type === 'list') taskItems(child, depth + 1, out);
  }
  return out;
}

/** Plain (non-task) list items, nested ones included. */
function plainItems(list: List, out: ListItem[] = []): ListItem[] {
  for (const item of list.children) {
    if (typeof item.checked !== 'boolean') out.push(item);
    for (const child of item.children) if (child.type === 'list') plainItems(child, out);
  }
  return out;
}

/** The item's own text (its paragraphs), without nested lists. */
function ownText(item: ListItem): string {
  return item.children
    .filter((c) => c.type !== 'list')
    .map((c) => toString(c))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const STATE_SUFFIX = /\s+—\s+(n\/a|evidence|owner):\s+((?:(?!\s—\s).)*?)\s*$/i;

function toPlanItem(task: TaskLine): PlanItem {
  let text = ownText(task.item);
  let notApplicable: string | null = null;
  let evidence: string | null = null;
  let owner: string | null = null;
  for (let match = STATE_SUFFIX.exec(text); match; match = STATE_SUFFIX.exec(text)) {
    const label = (match[1] ?? '').toLowerCase();
    if (label === 'n/a') notApplicable = match[2] ?? '';
    else if (label === 'evidence') evidence = match[2] ?? '';
    else owner = match[2] ?? '';
    text = text.slice(0, match.index);
  }
  return {
    text,
    done: task.item.checked === true,
    optional: OPTIONAL_MARK.test(text),
    line: lineOf(task.item),
    depth: task.depth,
    owner,
    notApplicable,
    evidence,
  };
}

const MINUTES = /^(.+?)\s*\((\d+)\s*min(?:utos|utes|s)?\)\s*$/i;

function readingEntry(text: string, line: number): PlanReadingEntry | null {
  const match = MINUTES.exec(text);
  if (!match?.[1] || !match[2]) return null;
  const reference = match[1].replace(/^(\S+\/)\s+(?=\S)/, '$1');
  const split = /^(\S+?)(?:\s+(?:—\s+)?(.*))?$/.exec(reference.trim());
  return { path: split?.[1] ?? reference.trim(), minutes: Number(match[2]), sectionHint: split?.[2]?.trim() || null, line };
}

const ROLE_COLUMN = /^(?:role|papel|who|quem|contact|contato|owner|responsavel|name|nome|person|pessoa)$/;
const TOPIC_COLUMN = /^(?:topic|assunto|tema|area|for|para|subject|about)$/;

function tableContacts(table: Table): { topic: string; role: string; line: number }[] | null {
  const [header, ...rows] = table.children;
  if (!header) return null;
  const names = header.children.map((cell) => normalize(toString(cell)));
  const roleIndex = names.findIndex((n) => ROLE_COLUMN.test(n));
  if (roleIndex < 0) return null;
  const topicIndex = names.findIndex((n, i) => i !== roleIndex && TOPIC_COLUMN.test(n));
  const topicAt = topicIndex >= 0 ? topicIndex : roleIndex === 0 ? 1 : 0;
  return rows
    .map((row) => ({
      topic: toString(row.children[topicAt] ?? { type: 'text', value: '' }).trim(),
      role: toString(row.children[roleIndex] ?? { type: 'text', value: '' }).trim(),
      line: lineOf(row),
    }))
    .filter((c) => c.topic !== '' && c.role !== '');
}

function guessSignOffKind(title: string): SignOffKind {
  const n = normalize(title);
  if (/budget|orcamento/.test(n)) return 'BUDGET';
  if (/security polic|politica de seguranca/.test(n)) return 'SECURITY_POLICY';
  if (/access control|rlac|controle de acesso/.test(n)) return 'ACCESS_CONTROL';
  if (/compliance|conformidade/.test(n)) return 'COMPLIANCE';
  if (/go\/?no-?go/.test(n)) return 'GO_NO_GO';
  if (/deployment date|data do deploy/.test(n)) return 'DEPLOYMENT_DATE';
  if (/production deploy|deploy em producao/.test(n)) return 'PRODUCTION_DEPLOYMENT';
  return 'PHASE_GATE';
}

function goalOf(nodes: readonly RootContent[]): string | null {
  for (const node of nodes) {
    if (node.type !== 'paragraph') continue;
    const match = /^(?:goal|objetivo|meta):\s*(.+)$/is.exec(toString(node).trim());
    if (match?.[1]) return match[1].trim();
  }
  return null;
}

const SIGN_OFF_ROLES = /\s*\((?:roles?|papeis|papel):\s*([^)]*)\)\s*$/i;

/** Reads a plan. Throws PlanImportError when it has no task list at all. */
export function readMarkdownPlan(markdown: string, options: ReadOptions = {}): ImportedPlan {
  const text = markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const tree = unified().use(remarkParse).use(remarkGfm).parse(text) as Root;
  const { title, intro, sections } = collectSections(tree);
  const warnings: PlanWarning[] = [];

  // Guess each section's kind: its heading first, then its parent's kind, then its content.
  const kinds = new Map<string, { kind: SectionKind; subject: string | null }>();
  for (const section of sections) {
    const own = guessFromHeading(section.text);
    const parent = section.parent ? kinds.get(section.parent.id) : undefined;
    const hasTasks = section.nodes.some((n) => n.type === 'list' && taskItems(n).length > 0);
    const hasMinutes = section.nodes.some((n) => n.type === 'list' && plainItems(n).some((i) => MINUTES.test(ownText(i))));
    const hasPeople = section.nodes.some((n) => n.type === 'table' && tableContacts(n) !== null);
    let guess: { kind: SectionKind; subject: string | null };
    if (own && own.kind !== 'phase') guess = own;
    else if (parent && ['reading', 'roleActions', 'criteria', 'signOffs', 'contacts', 'milestones', 'ignore'].includes(parent.kind) && !own) {
      // "## Reading" › "### For DBA": the child is the DBA's list.
      guess = { kind: parent.kind, subject: forRole(section.text) ?? section.text };
    } else if (own) guess = own;
    else if (hasTasks) guess = { kind: 'phase', subject: null };
    else if (hasMinutes) guess = { kind: 'reading', subject: forRole(section.text) ?? section.text };
    else if (hasPeople) guess = { kind: 'contacts', subject: null };
    else guess = { kind: 'notes', subject: null };
    kinds.set(section.id, guess);
  }

  const planSections: PlanSection[] = sections.map((s) => {
    const guess = kinds.get(s.id) ?? { kind: 'notes' as const, subject: null };
    return { id: s.id, heading: s.text, level: s.level, line: s.line, suggested: guess.kind, kind: options.readAs?.[s.id] ?? guess.kind, subject: guess.subject };
  });

  const dated = sections.flatMap((s) => datesIn(s.text));
  const anchorTime = dated.length > 0 ? Math.min(...dated) : null;
  const offset = (time: number | undefined) => (time === undefined || anchorTime === null ? null : Math.round((time - anchorTime) / DAY_MS));

  const plan: ImportedPlan = {
    title: title?.text ?? '',
    anchorDate: anchorTime === null ? null : isoOf(anchorTime),
    template: 'generic',
    description: null,
    sections: planSections,
    phases: [],
    immediate: [],
    immediateDueOffset: null,
    roleActions: [],
    reading: [],
    criteria: [],
    contacts: [],
    milestones: [],
    signOffs: [],
    documents: [],
    roles: [],
    warnings,
  };
  const firstParagraph = intro.find((n) => n.type === 'paragraph');
  if (firstParagraph) plan.description = toString(firstParagraph).trim() || null;

  // Tasks that sit before any heading belong to an unnamed first phase.
  const introTasks = intro.flatMap((n) => (n.type === 'list' ? taskItems(n) : []));
  if (introTasks.length > 0) {
    plan.phases.push({ sectionId: 's0', name: plan.title || 'Plan', optional: false, window: null, goal: null, startOffset: null, endOffset: null, line: lineOf(introTasks[0]!.item), items: introTasks.map(toPlanItem) });
  }

  for (const [index, section] of sections.entries()) {
    const meta = planSections[index]!;
    const subject = meta.subject ?? section.text;
    const tasks = section.nodes.flatMap((n) => (n.type === 'list' ? taskItems(n) : []));
    const plain = section.nodes.flatMap((n) => (n.type === 'list' ? plainItems(n) : []));
    const tables = section.nodes.filter((n): n is Table => n.type === 'table');
    const times = datesIn(section.text);

    // Tables of people are contacts wherever they are (unless the section is ignored).
    if (meta.kind !== 'ignore' && meta.kind !== 'notes') {
      for (const table of tables) {
        const contacts = tableContacts(table);
        if (contacts) plan.contacts.push(...contacts);
        else warnings.push({ line: lineOf(table), message: 'A table that names no role or person column was not imported.', code: 'tableWithoutRole' });
      }
    }

    switch (meta.kind) {
      case 'phase': {
        // "Phase 2: Name (optional) (2026-01-05 – 2026-01-16)": the window is the last
        // parenthesised group when it holds a year; the optional mark comes before it.
        const windowMatch = /\s*\(([^()]*\d{4}[^()]*)\)\s*$/.exec(section.text);
        const windowText = windowMatch?.[1] ?? null;
        const heading = section.text
          .slice(0, windowMatch ? windowMatch.index : undefined)
          .replace(/\s*\((?:optional|opcional)\)\s*$/i, '')
          .replace(/^(?:phase|fase|etapa|stage|step)\s*\d*\s*[:.—–-]\s*/i, '')
          .trim();
        plan.phases.push({
          sectionId: section.id,
          name: heading || section.text,
          optional: OPTIONAL_MARK.test(section.text),
          window: windowText,
          goal: goalOf(section.nodes),
          startOffset: offset(times[0]),
          endOffset: offset(times[1] ?? times[0]),
          line: section.line,
          items: tasks.map(toPlanItem),
        });
        for (const item of plain) warnings.push({ line: lineOf(item), message: `"${ownText(item).slice(0, 60)}" is a plain bullet, not a task ("- [ ]"); it was not imported.`, code: 'plainBullet', text: ownText(item).slice(0, 60) });
        break;
      }
      case 'immediate':
        plan.immediate.push(...tasks.map(toPlanItem));
        break;
      case 'roleActions':
        plan.roleActions.push({ role: subject, sectionId: section.id, dueOffset: offset(times[0]), items: tasks.map(toPlanItem) });
        break;
      case 'reading': {
        const entries: PlanReadingEntry[] = [];
        for (const item of [...plain, ...tasks.map((t) => t.item)]) {
          const entry = readingEntry(ownText(item), lineOf(item));
          if (entry) entries.push(entry);
          else warnings.push({ line: lineOf(item), message: `"${ownText(item).slice(0, 60)}" has no "(N min)" duration; it was not imported as reading.`, code: 'readingWithoutMinutes', text: ownText(item).slice(0, 60) });
        }
        entries.sort((a, b) => a.line - b.line);
        if (entries.length > 0) plan.reading.push({ role: subject, sectionId: section.id, entries });
        break;
      }
      case 'criteria':
        if (tasks.length > 0) plan.criteria.push({ group: meta.subject ?? section.text, sectionId: section.id, items: tasks.map((t) => ({ text: ownText(t.item), done: t.item.checked === true, line: lineOf(t.item) })) });
        break;
      case 'contacts':
        for (const item of plain) {
          const match = /^(.+?):\s*(.+)$/.exec(ownText(item));
          if (match?.[1] && match[2]) plan.contacts.push({ topic: match[1].trim(), role: match[2].trim(), line: lineOf(item) });
          else warnings.push({ line: lineOf(item), message: `"${ownText(item).slice(0, 60)}" is not "topic: role"; it was not imported as a contact.`, code: 'contactNotTopicRole', text: ownText(item).slice(0, 60) });
        }
        break;
      case 'milestones':
        for (const item of [...plain, ...tasks.map((t) => t.item)]) {
          const itemText = ownText(item);
          const days = datesIn(itemText);
          const label = itemText.split(':')[0]?.trim() ?? itemText;
          if (days.length === 0) {
            warnings.push({ line: lineOf(item), message: `Milestone "${itemText.slice(0, 60)}" names no date.`, code: 'milestoneWithoutDate', text: itemText.slice(0, 60) });
            continue;
          }
          const start = days[0]!;
          plan.milestones.push({ key: slugify(label) || `m${plan.milestones.length + 1}`, label, startOffset: start, endOffset: days[1] ?? null, details: [], line: lineOf(item) });
        }
        break;
      case 'signOffs':
        for (const task of tasks.filter((t) => t.depth === 0)) {
          const raw = ownText(task.item);
          const roles = SIGN_OFF_ROLES.exec(raw)?.[1]?.split(',').map((r) => r.trim()).filter(Boolean) ?? [];
          const titleText = raw.replace(SIGN_OFF_ROLES, '').trim();
          const decisions = task.item.children.flatMap((c) => (c.type === 'list' ? c.children.map((d) => ownText(d)) : []));
          plan.signOffs.push({ title: titleText, kind: guessSignOffKind(titleText), done: task.item.checked === true, roles, phase: null, line: lineOf(task.item), decisions });
        }
        break;
      case 'notes':
      case 'ignore':
        break;
    }
  }

  // Milestone dates were read as absolute days; make them offsets from the anchor.
  const milestoneAnchor = anchorTime ?? (plan.milestones.length > 0 ? Math.min(...plan.milestones.map((m) => m.startOffset)) : null);
  if (plan.anchorDate === null && milestoneAnchor !== null) plan.anchorDate = isoOf(milestoneAnchor);
  for (const m of plan.milestones) {
    m.startOffset = Math.round((m.startOffset - (milestoneAnchor ?? 0)) / DAY_MS);
    m.endOffset = m.endOffset === null ? null : Math.round((m.endOffset - (milestoneAnchor ?? 0)) / DAY_MS);
  }

  const taskCount =
    plan.phases.reduce((n, p) => n + p.items.length, 0) +
    plan.immediate.length +
    plan.roleActions.reduce((n, r) => n + r.items.length, 0) +
    plan.criteria.reduce((n, c) => n + c.items.length, 0) +
    plan.signOffs.length;
  if (taskCount === 0) {
    const everyTask = [...intro, ...sections.flatMap((s) => s.nodes)].some((n) => n.type === 'list' && taskItems(n).length > 0);
    throw new PlanImportError(
      everyTask ? 'allIgnored' : 'noTasks',
      everyTask
        ? 'Every section holding tasks is set to be ignored or read as notes; nothing would be imported.'
        : 'The file has no task list: write the plan\'s items as GitHub task-list lines ("- [ ] item").',
      title?.line ?? 1,
    );
  }
  if (plan.title === '') {
    plan.title = planSections[0]?.heading ?? 'Imported plan';
    warnings.push({ line: 1, message: 'The plan has no "# title" heading; the first heading names it.', code: 'noTitle' });
  }
  plan.roles = collectRoles(plan);
  warnings.sort((a, b) => a.line - b.line);
  return plan;
}

/** Every role label the plan names, with its likely built-in role. */
export function collectRoles(plan: ImportedPlan): ImportedPlan['roles'] {
  const labels = new Set<string>();
  for (const r of plan.roleActions) labels.add(r.role);
  for (const r of plan.reading) labels.add(r.role);
  for (const c of plan.contacts) labels.add(c.role);
  for (const s of plan.signOffs) for (const role of s.roles) labels.add(role);
  for (const item of [...plan.immediate, ...plan.phases.flatMap((p) => p.items)]) if (item.owner) labels.add(item.owner);
  return [...labels].map((label) => ({ label, suggested: suggestRole(label) }));
}

const ROLE_NAMES: Readonly<Record<Role, RegExp>> = {
  EXECUTIVE: /^executive$/i,
  DEV_LEAD: /^dev_lead$/i,
  OPS_MANAGER: /^ops_manager$/i,
  DEVOPS: /^devops$/i,
  DBA: /^dba$/i,
  DATA_ENGINEER: /^data_engineer$/i,
  SECURITY_OFFICER: /^security_officer$/i,
  FINANCE: /^finance$/i,
  ADMIN: /^(?:admin|administrator|administrador)$/i,
  VIEWER: /^(?:viewer|leitor)$/i,
};

export function suggestRole(label: string): Role | null {
  const exact = (Object.keys(ROLE_NAMES) as Role[]).find((role) => ROLE_NAMES[role].test(label.trim()));
  return exact ?? roleFromText(label);
}

/** The structure the tests compare: what a re-import must give back. */
export function planStructure(plan: ImportedPlan) {
  const item = (i: PlanItem) => ({ text: i.text, done: i.done, optional: i.optional, notApplicable: i.notApplicable, evidence: i.evidence });
  return {
    title: plan.title,
    phases: plan.phases.map((p) => ({ name: p.name, optional: p.optional, items: p.items.map(item) })),
    immediate: plan.immediate.map(item),
    roleActions: plan.roleActions.map((r) => ({ role: r.role, items: r.items.map(item) })),
    reading: plan.reading.map((r) => ({ role: r.role, entries: r.entries.map((e) => ({ path: e.path, minutes: e.minutes, sectionHint: e.sectionHint })) })),
    criteria: plan.criteria.map((c) => ({ group: c.group, items: c.items.map((i) => ({ text: i.text, done: i.done })) })),
    contacts: plan.contacts.map((c) => ({ topic: c.topic, role: c.role })),
    signOffs: plan.signOffs.map((s) => ({ title: s.title, done: s.done, roles: s.roles })),
  };
}

/**
 * Reads a plan: the sample's own template when the text follows it, any GitHub-style
 * checklist otherwise.
 */
export function readPlan(markdown: string, options: ReadOptions = {}): ImportedPlan {
  return readSampleTemplate(markdown.replace(/^\uFEFF/, '')) ?? readMarkdownPlan(markdown, options);
}
