import type { ReactNode } from "react";

/**
 * A chart in a figure: named for assistive technology by `label`, described by its
 * caption, with the drawing itself hidden from screen readers — the table that goes
 * with it (named in the caption) is the accessible version. `minHeight` reserves the
 * drawing's room while it loads (a chart drawn in the browser); a chart drawn on the
 * server needs none.
 */
export function ChartFigure({ id, label, caption, minHeight, children }: { id: string; label: string; caption: ReactNode; minHeight?: number; children: ReactNode }) {
  return (
    <figure aria-label={label} aria-describedby={`${id}-caption`} data-testid={id} className="flex flex-col gap-2">
      <div aria-hidden="true" style={{ minHeight }} className="w-full">
        {children}
      </div>
      <figcaption id={`${id}-caption`} className="text-sm text-slate-600">
        {caption}
      </figcaption>
    </figure>
  );
}
