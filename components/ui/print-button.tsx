"use client";

export function PrintButton({ label }: { label: string }) {
  return (
    <button type="button" onClick={() => window.print()} className="rounded-md bg-slate-800 px-3 py-1.5 text-sm font-semibold text-white print:hidden">
      {label}
    </button>
  );
}
