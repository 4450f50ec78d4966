/**
 * Repair of "mojibake": text that was UTF-8, was wrongly decoded with a
 * single-byte Windows code page (so "ç" = C3 A7 became "Ã§" and 🚀 = F0 9F 9A 80
 * became "ğŸš€" under Windows-1254) and was then saved again as UTF-8.
 *
 * The straightforward fix — encode back to the code page, decode as UTF-8 — is
 * not enough on real files: bytes that the code page does not define (e.g. 0x81,
 * 0x8D, 0x8F, 0x90, 0x9D in Windows-1252) vanished during the wrong decoding, and
 * invisible characters such as the soft hyphen (0xAD) or C1 controls were often
 * stripped by editors afterwards. Such a UTF-8 sequence is then one byte short,
 * and several characters may fit the gap. This module therefore works sequence by
 * sequence, fills single-byte gaps with the bytes that could have been lost,
 * ranks the candidates, and reports every filled gap (with a confidence flag)
 * instead of guessing silently.
 *
 * Pure module: no I/O, no framework imports.
 */
import iconv from 'iconv-lite';

export type Codepage = 'windows-1254' | 'windows-1252' | 'latin1';

/** A spot where bytes were missing and the repair had to choose a character. */
export type RepairNote = {
  /** 1-based line number in the input. */
  line: number;
  /** 1-based column of the damaged sequence in the input line (UTF-16 code units, like most editors). */
  column: number;
  /** The damaged text as found in the input, e.g. "ğŸ¯". */
  original: string;
  /** The character written to the output. */
  chosen: string;
  /** Every plausible character for the gap, best first (chosen is candidates[0]). */
  candidates: string[];
  /** False when another candidate scored (nearly) as well as the chosen one. */
  confident: boolean;
};

/**
 * A damaged-looking sequence that was left untouched because no candidate was
 * plausible enough (or more than one byte is missing). Unlike RepairNote, the
 * position is in the repaired text, where the sequence still is and where a
 * human would fix it; line numbers are the same in input and output.
 */
export type UnresolvedSpot = {
  line: number;
  column: number;
  original: string;
  candidates: string[];
};

export type RepairResult = {
  text: string;
  /** The code page the text was wrongly decoded with, or null when nothing was repaired. */
  codepage: Codepage | null;
  changedLines: number;
  notes: RepairNote[];
  unresolved: UnresolvedSpot[];
};

/**
 * Order matters only for ties between code pages that give equally clean
 * results: Windows-1252 is by far the most frequent culprit, so it is the
 * label we report when the text does not tell the code pages apart.
 */
export const CODEPAGES: readonly Codepage[] = ['windows-1252', 'windows-1254', 'latin1'];

// ---------------------------------------------------------------------------
// Code page tables

type CodepageTable = {
  name: Codepage;
  /** Character -> byte, for the upper half (0x80..0xFF) of the code page. */
  byteOf: ReadonlyMap<string, number>;
  /**
   * Bytes the code page does not define: a decoder turns them into U+FFFD or
   * drops them. A U+FFFD inside a damaged sequence stands for one of these.
   */
  undefinedBytes: readonly number[];
  /**
   * Bytes that leave no visible trace after the wrong decoding: the undefined
   * bytes, C1 controls and the soft hyphen (invisible, routinely stripped by
   * editors). Only these can have vanished from a damaged sequence.
   */
  lostBytes: readonly number[];
};

const SOFT_HYPHEN_BYTE = 0xad;

function buildTable(name: Codepage): CodepageTable {
  const byteOf = new Map<string, number>();
  const undefinedBytes: number[] = [];
  const lostBytes: number[] = [];
  for (let byte = 0x80; byte <= 0xff; byte++) {
    const char = iconv.decode(Uint8Array.of(byte), name);
    if (char === '\uFFFD') {
      undefinedBytes.push(byte);
      lostBytes.push(byte);
      continue;
    }
    byteOf.set(char, byte);
    const codePoint = char.codePointAt(0) ?? 0;
    if (codePoint <= 0x9f || byte === SOFT_HYPHEN_BYTE) lostBytes.push(byte);
  }
  return { name, byteOf, undefinedBytes, lostBytes };
}

let tableCache: ReadonlyMap<Codepage, CodepageTable> | null = null;

function tables(): ReadonlyMap<Codepage, CodepageTable> {
  // Built lazily so that importing the module stays cheap.
  tableCache ??= new Map(CODEPAGES.map((name) => [name, buildTable(name)]));
  return tableCache;
}

function tableFor(name: Codepage): CodepageTable {
  const table = tables().get(name);
  if (!table) throw new Error(`Unknown code page ${name}`);
  return table;
}

// ---------------------------------------------------------------------------
// UTF-8 helpers

/** Number of bytes of a UTF-8 sequence starting with `lead`, 0 when it cannot start one. */
function sequenceLength(lead: number): number {
  // C0/C1 and F5..FF never start a valid sequence (overlong / beyond U+10FFFF).
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function isContinuation(byte: number): boolean {
  return byte >= 0x80 && byte <= 0xbf;
}

/** Strict (RFC 3629) decoding of one complete sequence; null when invalid. */
function decodeSequence(bytes: readonly number[]): number | null {
  const lead = bytes[0];
  const second = bytes[1];
  if (lead === undefined || second === undefined) return null;
  const length = sequenceLength(lead);
  if (length === 0 || bytes.length !== length) return null;
  if (!bytes.slice(1).every(isContinuation)) return null;
  if (lead === 0xe0 && second < 0xa0) return null; // overlong
  if (lead === 0xed && second > 0x9f) return null; // UTF-16 surrogates
  if (lead === 0xf0 && second < 0x90) return null; // overlong
  if (lead === 0xf4 && second > 0x8f) return null; // beyond U+10FFFF
  let codePoint = lead & (length === 2 ? 0x1f : length === 3 ? 0x0f : 0x07);
  for (const byte of bytes.slice(1)) codePoint = (codePoint << 6) | (byte & 0x3f);
  return codePoint;
}

/** Unassigned, control, private-use and surrogate code points are never a plausible repair. */
const UNUSABLE = /^[\p{Cn}\p{Cc}\p{Co}\p{Cs}]$/u;

function usableChar(codePoint: number | null): string | null {
  if (codePoint === null) return null;
  const char = String.fromCodePoint(codePoint);
  return UNUSABLE.test(char) ? null : char;
}

// ---------------------------------------------------------------------------
// Candidate ranking

/**
 * Characters that real documents use often. A gap is only ever filled with a
 * character from this table (anything else stays as it was and is reported as
 * unresolved), and the weight separates the everyday characters from merely
 * possible ones so that e.g. "═" beats "╝" for "â•" + a lost byte.
 * Order inside a tier is the tie-breaker when a spot is ambiguous.
 */
const VERY_COMMON_WEIGHT = 4;
const COMMON_WEIGHT = 2;

const VERY_COMMON: readonly string[] = [
  // Portuguese letters (the plans are written in Portuguese).
  ...'áéíóúàâêôãõçÁÉÍÓÚÀÂÊÔÃÕÇ',
  // Typography.
  ...'“”‘’–—…•·«»°ºª€',
  // Arrows and check marks.
  ...'→←↑↓↔⇒✓✔✗',
  // Box drawing used in text diagrams.
  ...'─│┌┐└┘├┤┬┴┼═║╔╗╚',
  // Emoji that status documents use all the time.
  ...'✅❌⚠⏳⌛⏰⭐✨⚡⚙🚀🎯🎉📋📊📈📉📞📝📌📄📑📚📖📦📅🔴🟡🟢🟠🔵🔥💡🔒🔑🔧🛠👉👍🐛💰💻🔍🔗🏆🚨🚧',
  // Emoji modifiers: the variation selector that follows e.g. ⚠ in "⚠️".
  '\uFE0F',
];

const COMMON: readonly string[] = [
  ...'üÜñÑèëïîöûùäßÈËÏÎÖÛÙÄ¿¡§±×÷',
  ...'↗↘⇐⇔✘☑☐',
  ...'━┃╝╠╣╦╩╬╭╮╯╰',
  ...'➕➖➡⬅⬆⬇⭕❗❓❕ℹ',
  ...'🎊🎓🎁🎨🏁🏠🏢🏗📁📂📍📎📏📐📢📣📧📆🗓🗂🔔🔎🔐🔓🔨🟣🟤⚪⚫💬💼💾🌐🧪🧭🧹🤝👥👤👀👎🆕✏🖥',
  // Zero-width joiner inside emoji sequences such as 👨‍💻.
  '\u200D',
];

type CommonRank = { weight: number; order: number };

const COMMON_RANK: ReadonlyMap<string, CommonRank> = new Map<string, CommonRank>([
  ...VERY_COMMON.map((char, order): [string, CommonRank] => [char, { weight: VERY_COMMON_WEIGHT, order }]),
  ...COMMON.map((char, order): [string, CommonRank] => [char, { weight: COMMON_WEIGHT, order: VERY_COMMON.length + order }]),
]);

const LATIN_LETTER = /^\p{Script=Latin}$/u;
const LETTER = /^\p{L}$/u;
const PICTOGRAPH_OR_SYMBOL = /^[\p{Extended_Pictographic}\p{S}\p{P}]$/u;
const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;
const LOWER = /^\p{Ll}$/u;
const UPPER = /^\p{Lu}$/u;

type LetterCase = 'lower' | 'upper' | null;

function letterCase(char: string): LetterCase {
  if (LOWER.test(char)) return 'lower';
  if (UPPER.test(char)) return 'upper';
  return null;
}

/**
 * The case a letter at this spot should have, judging by its neighbours; null
 * when they do not tell (at the start of a lower-case word the letter may just
 * as well be a capital: "Índice" / "índice").
 */
function expectedCase(prev: string, next: string): LetterCase {
  const before = letterCase(prev);
  const after = letterCase(next);
  if (before === 'lower') return 'lower';
  if (before === 'upper') return after === 'lower' ? 'lower' : 'upper';
  return after === 'upper' ? 'upper' : null;
}

type Candidate = { char: string; score: number; order: number };

/**
 * Score of a candidate character for a gap. Why these components:
 * - common characters first (a lost byte in "ğŸ¯" is far more likely 🎯 than 🏯);
 * - Latin letters over symbols over other scripts: the texts are Portuguese/English,
 *   so a Coptic letter or a CJK ideograph coming out of a gap is implausible;
 * - letter case consistent with the neighbours ("concluÃda" → "í", not "Í");
 * - joiners/variation selectors only right after a pictograph.
 */
function scoreCandidate(char: string, prev: string, next: string): Candidate {
  const common = COMMON_RANK.get(char);
  let score = common?.weight ?? 0;
  if (LATIN_LETTER.test(char) && LETTER.test(char)) score += 1;
  else if (PICTOGRAPH_OR_SYMBOL.test(char)) score += 0.5;
  else if (LETTER.test(char)) score += 0.25;

  const own = letterCase(char);
  const expected = expectedCase(prev, next);
  if (own !== null && expected !== null) score += own === expected ? 1.5 : -1.5;

  if (char === '\u200D' || char === '\uFE0F') score += PICTOGRAPH.test(prev) ? 3 : -1;

  return { char, score, order: common?.order ?? Number.MAX_SAFE_INTEGER };
}

/** Minimum lead of the best candidate over the runner-up to call a choice confident. */
const CONFIDENCE_MARGIN = 1;

function rankCandidates(chars: readonly string[], prev: string, next: string): Candidate[] {
  return chars
    .map((char) => scoreCandidate(char, prev, next))
    .sort((a, b) => b.score - a.score || a.order - b.order || compareCodePoints(a.char, b.char));
}

function compareCodePoints(a: string, b: string): number {
  return (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0);
}

// ---------------------------------------------------------------------------
// Sequence matching

/** Lead bytes whose damaged sequences are typical mojibake ("Â", "Ã", "â", "ğ"/"ð"). */
const TYPICAL_MOJIBAKE_LEADS: ReadonlySet<number> = new Set([0xc2, 0xc3, 0xe2, 0xf0]);

type Match =
  | { kind: 'exact'; end: number; char: string }
  | { kind: 'gap'; end: number; chosen: Candidate | null; candidates: Candidate[]; typical: boolean };

/** Continuation bytes read after a lead; null marks a U+FFFD left by the wrong decoder. */
type Continuations = (number | null)[];

function readContinuations(line: string, from: number, needed: number, table: CodepageTable): Continuations {
  const parts: Continuations = [];
  for (let j = from; j < line.length && parts.length < needed; j++) {
    const char = line.charAt(j);
    if (char === '\uFFFD') {
      parts.push(null);
      continue;
    }
    const byte = table.byteOf.get(char);
    if (byte === undefined || !isContinuation(byte)) break;
    parts.push(byte);
  }
  return parts;
}

/** Every full byte sequence obtained by putting one lost byte into the single gap. */
function fillGap(lead: number, parts: Continuations, needed: number, table: CodepageTable): number[][] {
  const holes = parts.filter((part) => part === null).length;
  const known = parts.filter((part): part is number => part !== null);
  const sequences: number[][] = [];
  if (parts.length === needed && holes === 1) {
    // The decoder left a U+FFFD: the position of the lost byte is known.
    const hole = parts.indexOf(null);
    for (const byte of table.undefinedBytes) {
      sequences.push([lead, ...known.slice(0, hole), byte, ...known.slice(hole)]);
    }
  } else if (parts.length === needed - 1 && holes === 0) {
    // The byte simply vanished: it may have been at any position after the lead.
    for (let position = 0; position < needed; position++) {
      for (const byte of table.lostBytes) {
        sequences.push([lead, ...known.slice(0, position), byte, ...known.slice(position)]);
      }
    }
  }
  return sequences;
}

/**
 * Tries to read a damaged UTF-8 sequence at `start`. `prev` is the last
 * character already written to the output (for case/joiner context).
 */
function matchAt(line: string, start: number, table: CodepageTable, prev: string): Match | null {
  const lead = table.byteOf.get(line.charAt(start));
  if (lead === undefined) return null;
  const length = sequenceLength(lead);
  if (length === 0) return null;
  const needed = length - 1;
  const parts = readContinuations(line, start + 1, needed, table);
  const end = start + 1 + parts.length;

  if (parts.length === needed && !parts.includes(null)) {
    const char = usableChar(decodeSequence([lead, ...parts.filter((p): p is number => p !== null)]));
    return char === null ? null : { kind: 'exact', end, char };
  }

  // "ğŸ", "â€", "Ã" + a continuation: damaged beyond repair still counts as mojibake.
  const typical = TYPICAL_MOJIBAKE_LEADS.has(lead) && parts.length > 0;
  const hopeless: Match | null = typical ? { kind: 'gap', end, chosen: null, candidates: [], typical } : null;
  const sequences = fillGap(lead, parts, needed, table);
  if (sequences.length === 0) return hopeless; // more than one byte missing

  const next = peekChar(line, end, table);
  if (parts.length === 0 && !bareLeadLooksDamaged(line.charAt(start), prev, next)) return null;

  const chars = new Set<string>();
  for (const sequence of sequences) {
    const char = usableChar(decodeSequence(sequence));
    if (char !== null) chars.add(char);
  }
  if (chars.size === 0) return hopeless;
  const candidates = rankCandidates([...chars], prev, next);
  const best = candidates[0];
  const chosen = best !== undefined && COMMON_RANK.has(best.char) ? best : null;
  return { kind: 'gap', end, chosen, candidates, typical };
}

/**
 * A bare lead ("Ã" with nothing after it) is also how correct upper-case
 * Portuguese looks ("NÃO", "MÃE", "IRMÃS", "PRÓXIMOS"). Only treat it as
 * damaged inside a lower-case word, where a capital cannot be right
 * ("concluÃda"), or before a capital that never follows "Ã" ("INÃCIO").
 */
function bareLeadLooksDamaged(lead: string, prev: string, next: string): boolean {
  if (letterCase(prev) === 'lower' || letterCase(next) === 'lower') return true;
  return lead === 'Ã' && letterCase(next) === 'upper' && !['O', 'E', 'S'].includes(next);
}

/** The character that will follow a spot: decoded when it starts an intact damaged sequence. */
function peekChar(line: string, at: number, table: CodepageTable): string {
  const raw = String.fromCodePoint(line.codePointAt(at) ?? 0x20);
  const lead = table.byteOf.get(raw);
  if (lead === undefined || sequenceLength(lead) === 0) return raw;
  const needed = sequenceLength(lead) - 1;
  const parts = readContinuations(line, at + 1, needed, table);
  if (parts.length !== needed || parts.includes(null)) return raw;
  return usableChar(decodeSequence([lead, ...parts.filter((p): p is number => p !== null)])) ?? raw;
}

// ---------------------------------------------------------------------------
// Line and text repair

type LineRepair = {
  text: string;
  notes: RepairNote[];
  unresolved: UnresolvedSpot[];
  /** Damaged sequences found (repaired or not) — the "mojibake markers". */
  markers: number;
};

function repairLine(line: string, lineNumber: number, table: CodepageTable): LineRepair {
  let out = '';
  let prev = '';
  const notes: RepairNote[] = [];
  const unresolved: UnresolvedSpot[] = [];
  let markers = 0;
  let i = 0;
  while (i < line.length) {
    const match = matchAt(line, i, table, prev);
    const original = match === null ? '' : line.slice(i, match.end);
    let written: string;
    if (match === null) {
      written = String.fromCodePoint(line.codePointAt(i) ?? 0);
      i += written.length;
    } else if (match.kind === 'exact') {
      markers++;
      written = match.char;
      i = match.end;
    } else if (match.chosen !== null) {
      markers++;
      const [best, second] = match.candidates;
      const confident = second === undefined || (best?.score ?? 0) - second.score >= CONFIDENCE_MARGIN;
      notes.push({
        line: lineNumber,
        column: i + 1,
        original,
        chosen: match.chosen.char,
        candidates: match.candidates.map((c) => c.char),
        confident,
      });
      written = match.chosen.char;
      i = match.end;
    } else {
      // Nothing plausible fits: keep the text as it is (never invent a character),
      // but report typical mojibake so that a human can look at it.
      if (match.typical) {
        markers++;
        unresolved.push({ line: lineNumber, column: i + 1, original, candidates: match.candidates.map((c) => c.char) });
      }
      written = String.fromCodePoint(line.codePointAt(i) ?? 0);
      i += written.length;
    }
    out += written;
    prev = written;
  }
  return { text: out, notes, unresolved, markers };
}

type TextRepair = {
  text: string;
  notes: RepairNote[];
  unresolved: UnresolvedSpot[];
  markers: number;
  changedLines: number;
};

function repairWith(input: string, table: CodepageTable): TextRepair {
  // Split on "\n" only: a "\r" before it is plain ASCII and survives untouched.
  const lines = input.split('\n');
  const repaired = lines.map((line, index) => repairLine(line, index + 1, table));
  return {
    text: repaired.map((r) => r.text).join('\n'),
    notes: repaired.flatMap((r) => r.notes),
    unresolved: repaired.flatMap((r) => r.unresolved),
    markers: repaired.reduce((sum, r) => sum + r.markers, 0),
    changedLines: repaired.filter((r, index) => r.text !== lines[index]).length,
  };
}

function countChar(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** Damaged sequences left in a text, under whichever code page finds the most. */
function countMarkers(text: string): number {
  return Math.max(...CODEPAGES.map((name) => repairWith(text, tableFor(name)).markers));
}

/**
 * True when the text still contains sequences typical of UTF-8 read as a
 * Windows code page: "Ã§", "Ã£", "Ã“", "â€”", "â”œ", "ğŸš€", an upper-case "Ã"
 * inside a lower-case word ("concluÃda"), and the like.
 */
export function looksMojibaked(text: string): boolean {
  return countMarkers(text) > 0;
}

/**
 * Repairs mojibake in `input` (see the module comment). Every code page in
 * CODEPAGES is tried on the whole text and the cleanest result wins: fewest
 * damaged sequences left, then fewest U+FFFD, unresolved spots and unsure
 * choices. Text without mojibake (correct UTF-8, plain ASCII) is returned
 * unchanged, which also makes the function idempotent.
 */
export function repairMojibake(input: string): RepairResult {
  const unchanged: RepairResult = { text: input, codepage: null, changedLines: 0, notes: [], unresolved: [] };
  const markersBefore = countMarkers(input);
  if (markersBefore === 0) return unchanged;

  let best: { name: Codepage; result: TextRepair; badness: number[] } | null = null;
  for (const name of CODEPAGES) {
    const table = tableFor(name);
    const result = repairWith(input, table);
    const badness = [
      countMarkers(result.text),
      countChar(result.text, '\uFFFD'),
      result.notes.filter((note) => !note.confident).length,
      result.notes.length,
      // Last resort between equally clean results: the code page that can
      // represent the input's characters ("ğ" exists in 1254, not in 1252).
      countUnencodable(input, table),
    ];
    if (best === null || compareBadness(badness, best.badness) < 0) best = { name, result, badness };
  }
  if (best === null) return unchanged;
  // Leftover damage is listed whichever code page was chosen (1252 cannot even see "ğŸ").
  const unresolved = leftoverSpots(best.result.text);
  if (best.result.text === input) return { ...unchanged, unresolved };

  return {
    text: best.result.text,
    codepage: best.name,
    changedLines: best.result.changedLines,
    notes: best.result.notes,
    unresolved,
  };
}

/** Non-ASCII characters of the text that the code page has no byte for (emoji etc. count for all alike). */
function countUnencodable(text: string, table: CodepageTable): number {
  let count = 0;
  for (const char of text) if (char > '\u007F' && !table.byteOf.has(char)) count++;
  return count;
}

/** Typical mojibake that no code page could repair, as found by the one that finds the most. */
function leftoverSpots(text: string): UnresolvedSpot[] {
  return CODEPAGES.map((name) => repairWith(text, tableFor(name)).unresolved).reduce(
    (most, spots) => (spots.length > most.length ? spots : most),
    [],
  );
}

function compareBadness(a: readonly number[], b: readonly number[]): number {
  for (let k = 0; k < a.length; k++) {
    const diff = (a[k] ?? 0) - (b[k] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
