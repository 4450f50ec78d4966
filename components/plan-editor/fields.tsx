import type { ReactNode } from "react";

// Labelled inputs for the plan editor's forms (server-rendered; the form posts their names).

const box = "w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";
const wrap = "flex min-w-0 flex-col gap-1";
const labelClass = "text-xs font-medium text-slate-700";

export function TextField({ id, name, label, value, required, maxLength, type = "text", placeholder }: { id: string; name: string; label: string; value?: string | number | null; required?: boolean; maxLength?: number; type?: "text" | "number" | "date"; placeholder?: string }) {
  return (
    <div className={wrap}>
      <label htmlFor={id} className={labelClass}>{label}</label>
      <input id={id} name={name} type={type} defaultValue={value ?? ""} required={required} maxLength={maxLength} placeholder={placeholder} className={box} />
    </div>
  );
}

export function TextArea({ id, name, label, value, rows = 3 }: { id: string; name: string; label: string; value?: string | null; rows?: number }) {
  return (
    <div className={wrap}>
      <label htmlFor={id} className={labelClass}>{label}</label>
      <textarea id={id} name={name} defaultValue={value ?? ""} rows={rows} className={box} />
    </div>
  );
}

export function Select({ id, name, label, value, options, required }: { id: string; name: string; label: string; value?: string | null; options: { value: string; label: string }[]; required?: boolean }) {
  return (
    <div className={wrap}>
      <label htmlFor={id} className={labelClass}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ""} required={required} className={box}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </div>
  );
}

export function Checkbox({ id, name, label, checked, value = "on" }: { id: string; name: string; label: string; checked?: boolean; value?: string }) {
  return (
    <label htmlFor={id} className="flex items-center gap-1.5 text-sm">
      <input id={id} type="checkbox" name={name} value={value} defaultChecked={checked} /> {label}
    </label>
  );
}

export function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className={labelClass}>{legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">{children}</div>
    </fieldset>
  );
}

export const grid = "grid gap-2 sm:grid-cols-2 lg:grid-cols-3";

/** A date input's value from a stored date (UTC day). */
export function ymd(date: Date | null | undefined): string {
  return date ? date.toISOString().slice(0, 10) : "";
}
