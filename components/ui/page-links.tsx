/**
 * Links to the pages of a long list (a server component): the first and last pages and
 * two on either side of the current one, with a gap mark between, so the links stay a
 * handful however long the list. Plain links: they work without JavaScript.
 */
export function PageLinks({ page, pages, href, label, pageOf }: { page: number; pages: number; href: (n: number) => string; label: string; pageOf: string }) {
  if (pages <= 1) return null;
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  return (
    <nav aria-label={label} className="flex flex-wrap items-center gap-2 text-sm">
      <span className="text-slate-600">{pageOf}</span>
      {shown.map((n, index) => (
        <span key={n} className="contents">
          {index > 0 && n > shown[index - 1] + 1 ? <span aria-hidden="true" className="text-slate-600">…</span> : null}
          {n === page ? (
            <span aria-current="page" className="inline-flex min-h-8 min-w-8 items-center justify-center rounded bg-slate-800 px-2 font-semibold text-white">{n}</span>
          ) : (
            <a href={href(n)} className="inline-flex min-h-8 min-w-8 items-center justify-center rounded border border-slate-300 px-2 text-green-800 underline">{n}</a>
          )}
        </span>
      ))}
    </nav>
  );
}
