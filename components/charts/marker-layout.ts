import { textWidth } from "./format";

// Places the labels of vertical marker lines (today, milestones) in a few rows above a
// chart, so that close lines do not print over each other. First every marker gets its
// short form (its number) on the first row with room — or, with none, on the row it
// overlaps least; then, in order, each is written out in full wherever that fits.

export type MarkerInput = { key: string; x: number; text: string; short: string };
export type PlacedMarker = { key: string; x: number; row: number; text: string; anchor: "start" | "end" };

const PAD = 3;

type Span = { from: number; to: number; anchor: "start" | "end" };

export function layoutMarkers(
  markers: MarkerInput[],
  options: { left: number; right: number; rows: number; fontSize: number; gap?: number },
): PlacedMarker[] {
  const gap = options.gap ?? 6;
  const rows = Math.max(1, options.rows);
  const span = (x: number, text: string): Span => {
    const width = textWidth(text, options.fontSize) + PAD;
    if (x + width <= options.right || x - width < options.left) return { from: x, to: x + width, anchor: "start" };
    return { from: x - width, to: x, anchor: "end" };
  };
  const placed: (PlacedMarker & Span)[] = [];
  const others = (row: number, except?: string) => placed.filter((p) => p.row === row && p.key !== except);
  const overlap = (s: Span, row: number, except?: string) =>
    others(row, except).reduce((sum, p) => sum + Math.max(0, Math.min(s.to, p.to) + gap - Math.max(s.from, p.from)), 0);
  const rowIndexes = Array.from({ length: rows }, (_, i) => i);

  for (const marker of markers) {
    const s = span(marker.x, marker.short);
    const costs = rowIndexes.map((row) => overlap(s, row));
    const free = costs.indexOf(0);
    const row = free >= 0 ? free : costs.indexOf(Math.min(...costs));
    placed.push({ key: marker.key, x: marker.x, row, text: marker.short, ...s });
  }

  markers.forEach((marker, index) => {
    if (marker.text === marker.short) return;
    const current = placed[index];
    const s = span(marker.x, marker.text);
    const row = [current.row, ...rowIndexes.filter((r) => r !== current.row)].find((r) => overlap(s, r, marker.key) === 0);
    if (row !== undefined) placed[index] = { ...current, row, text: marker.text, ...s };
  });

  return placed.map(({ key, x, row, text, anchor }) => ({ key, x, row, text, anchor }));
}
