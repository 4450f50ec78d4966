/**
 * Turns the bytes of an uploaded plan into text, whatever way it was saved:
 * UTF-8 with or without BOM, UTF-16 LE/BE with BOM, legacy single-byte files
 * (Windows-1252, ISO-8859-1), and mojibake (UTF-8 read as Windows-1252, -1254 or
 * Latin-1 and saved again, once or twice), repaired with `mojibake.ts`.
 *
 * Every reading that fits the bytes is scored and ranked; the best one wins. The
 * result reports each line the repair changed and each line where bytes were lost
 * and a character had to be chosen (the person checks those before importing).
 *
 * Pure module: no I/O, no framework imports.
 */
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { looksMojibaked, repairMojibake, type Codepage, type RepairNote, type UnresolvedSpot } from './mojibake';

export type SourceEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'iso-8859-1';

export type DecodeCandidate = {
  /** How the bytes were read, e.g. "utf-8" or "utf-8 → windows-1254 mojibake ×1". */
  label: string;
  source: SourceEncoding;
  /** Code pages the text went wrong through, outermost last ([] when it is clean). */
  mojibake: Codepage[];
  /** Lower is better: replacement characters, C1 controls and mojibake markers left. */
  badness: number;
};

export type LineReport = {
  /** 1-based. */
  line: number;
  /** The line as the bytes read before any repair. */
  before: string;
  /** The line after repair (what will be imported unless the person edits it). */
  after: string;
  changed: boolean;
  /** A byte was lost and a character was chosen among several, or a damaged spot was left as is. */
  unsure: boolean;
  /** For unsure lines: the characters that could fill the gap, best first. */
  choices: string[];
};

export type DecodedPlan = {
  text: string;
  sha256: string;
  bytes: number;
  detected: string;
  source: SourceEncoding;
  mojibake: Codepage[];
  candidates: DecodeCandidate[];
  /** Only lines that changed or are unsure. */
  lines: LineReport[];
  repairedLines: number[];
  unsureLines: number[];
};

export type DecodeRefusal = 'empty' | 'binary' | 'tooLarge';

export class DecodeError extends Error {
  readonly code: DecodeRefusal;
  constructor(code: DecodeRefusal, message: string) {
    super(message);
    this.name = 'DecodeError';
    this.code = code;
  }
}

/** The largest plan accepted (the limit). */
export const MAX_PLAN_BYTES = 2 * 1024 * 1024;

const C1_OR_CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F]/gu;

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

function badnessOf(text: string): number {
  const mojibakeMarkers = countMatches(text, /Ã[\u0080-\u00BF]|Ã[ƒ…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|â€|â”|â•|âœ|ğŸ|ðŸ|Â[\u00A0-\u00BF]/gu);
  return 10 * countMatches(text, /\uFFFD/gu) + 5 * countMatches(text, C1_OR_CONTROL) + 3 * mojibakeMarkers;
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** NUL bytes or a large share of control bytes: not a text file. */
function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const controls = countMatches(text, /[\u0001-\u0008\u000E-\u001A\u001C-\u001F]/gu);
  return controls > Math.max(2, text.length / 100);
}

type Reading = { source: SourceEncoding; text: string };

function readings(bytes: Uint8Array): Reading[] {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const text = strictUtf8(bytes.subarray(3));
    return [{ source: 'utf-8-bom', text: text ?? iconv.decode(Buffer.from(bytes.subarray(3)), 'utf8') }];
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return [{ source: 'utf-16le', text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf16le') }];
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return [{ source: 'utf-16be', text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf16be') }];
  const found: Reading[] = [];
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) found.push({ source: 'utf-8', text: utf8 });
  const buffer = Buffer.from(bytes);
  found.push({ source: 'windows-1252', text: iconv.decode(buffer, 'windows-1252') });
  found.push({ source: 'iso-8859-1', text: iconv.decode(buffer, 'latin1') });
  return found;
}

type Repaired = { text: string; layers: Codepage[]; notes: RepairNote[][]; unresolved: UnresolvedSpot[] };

/** Undoes mojibake at most twice (a file saved wrongly twice). */
function undoMojibake(text: string): Repaired {
  let current = text;
  const layers: Codepage[] = [];
  const notes: RepairNote[][] = [];
  let unresolved: UnresolvedSpot[] = [];
  for (let pass = 0; pass < 2 && looksMojibaked(current); pass++) {
    const result = repairMojibake(current);
    if (result.codepage === null || result.text === current) break;
    layers.unshift(result.codepage);
    notes.push(result.notes);
    unresolved = result.unresolved;
    current = result.text;
  }
  return { text: current, layers, notes, unresolved };
}

function labelOf(source: SourceEncoding, layers: readonly Codepage[]): string {
  if (layers.length === 0) return source;
  const via = [...new Set(layers)].join('/');
  return `${source} → ${via} mojibake ×${layers.length}`;
}

/**
 * Decodes and repairs a plan's bytes. Throws DecodeError for empty, binary or
 * oversized input.
 */
export function decodePlanBytes(input: Uint8Array): DecodedPlan {
  if (input.length > MAX_PLAN_BYTES) throw new DecodeError('tooLarge', `The file is ${input.length} bytes; the limit is ${MAX_PLAN_BYTES}.`);
  const sha256 = createHash('sha256').update(input).digest('hex');
  const options = readings(input);
  const first = options[0];
  if (!first || first.text.replace(/^\uFEFF/, '').trim() === '') throw new DecodeError('empty', 'The file is empty.');
  if (looksBinary(first.text) && options.every((o) => looksBinary(o.text))) {
    throw new DecodeError('binary', 'The file is not text (it holds binary bytes).');
  }

  const scored = options
    .filter((o) => !looksBinary(o.text))
    .map((o, order) => {
      const text = o.text.replace(/^\uFEFF/, '');
      const repaired = undoMojibake(text);
      // A clean UTF-8 reading beats a single-byte one that happens to look as clean;
      // among single-byte readings Windows-1252 is the likelier (it defines 0x80-0x9F).
      return { reading: { ...o, text }, repaired, badness: badnessOf(repaired.text), order };
    })
    .sort((a, b) => a.badness - b.badness || a.order - b.order);
  const best = scored[0];
  if (!best) throw new DecodeError('binary', 'The file is not text (it holds binary bytes).');

  const before = best.reading.text.replace(/\r\n?/g, '\n').split('\n');
  const after = best.repaired.text.replace(/\r\n?/g, '\n').split('\n');
  const unsureChoices = new Map<number, string[]>();
  for (const pass of best.repaired.notes) {
    for (const note of pass) unsureChoices.set(note.line, [...(unsureChoices.get(note.line) ?? []), ...note.candidates]);
  }
  for (const spot of best.repaired.unresolved) unsureChoices.set(spot.line, [...(unsureChoices.get(spot.line) ?? []), ...spot.candidates]);

  const lines: LineReport[] = [];
  after.forEach((text, index) => {
    const line = index + 1;
    const original = before[index] ?? '';
    const changed = original !== text;
    const choices = unsureChoices.get(line);
    if (!changed && !choices) return;
    lines.push({ line, before: original, after: text, changed, unsure: choices !== undefined, choices: [...new Set(choices ?? [])] });
  });

  return {
    text: after.join('\n'),
    sha256,
    bytes: input.length,
    detected: labelOf(best.reading.source, best.repaired.layers),
    source: best.reading.source,
    mojibake: best.repaired.layers,
    candidates: scored.map((s) => ({
      label: labelOf(s.reading.source, s.repaired.layers),
      source: s.reading.source,
      mojibake: s.repaired.layers,
      badness: s.badness,
    })),
    lines,
    repairedLines: lines.filter((l) => l.changed).map((l) => l.line),
    unsureLines: lines.filter((l) => l.unsure).map((l) => l.line),
  };
}

/** Applies the person's corrections (line number → text) to a decoded plan's text. */
export function applyLineEdits(text: string, edits: ReadonlyMap<number, string> | Record<number, string>): string {
  const map = edits instanceof Map ? edits : new Map(Object.entries(edits).map(([k, v]) => [Number(k), v as string]));
  return text
    .split('\n')
    .map((line, index) => map.get(index + 1) ?? line)
    .join('\n');
}
