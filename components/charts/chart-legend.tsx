// The key under a chart: a swatch (a filled box, a hatched box or a line) and words for
// each series, so no series is told apart by colour alone.

export type LegendEntry = {
  key: string;
  label: string;
  swatch: { fill?: string; border?: string; hatched?: boolean; line?: string; dash?: string };
};

export function ChartLegend({ entries }: { entries: LegendEntry[] }) {
  return (
    <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700">
      {entries.map(({ key, label, swatch }) => (
        <li key={key} className="inline-flex items-center gap-1.5">
          <svg width="22" height="12" viewBox="0 0 22 12" aria-hidden="true" focusable="false" className="shrink-0">
            {swatch.line ? (
              <line x1="1" y1="6" x2="21" y2="6" stroke={swatch.line} strokeWidth="2" strokeDasharray={swatch.dash} />
            ) : (
              <>
                <rect x="0.5" y="0.5" width="21" height="11" rx="2" fill={swatch.hatched ? "#f8fafc" : swatch.fill} stroke={swatch.border ?? swatch.fill} strokeDasharray={swatch.hatched ? "4 2" : undefined} />
                {swatch.hatched ? <path d="M2 11L11 2M8 11L17 2M14 11L21 4" stroke={swatch.border ?? swatch.fill} strokeWidth="1.5" /> : null}
              </>
            )}
          </svg>
          {label}
        </li>
      ))}
    </ul>
  );
}
