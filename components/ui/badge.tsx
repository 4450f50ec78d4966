import type { ReactNode } from "react";
import { StatusIcon, type IconName } from "./status-icon";

const TONES = {
  neutral: "bg-slate-100 text-slate-700 ring-slate-300",
  info: "bg-sky-50 text-sky-800 ring-sky-300",
  warning: "bg-amber-50 text-amber-900 ring-amber-300",
  success: "bg-green-50 text-green-800 ring-green-300",
  danger: "bg-red-50 text-red-800 ring-red-300",
} as const;

export type BadgeTone = keyof typeof TONES;

export function Badge({ tone = "neutral", icon, children }: { tone?: BadgeTone; icon?: IconName; children: ReactNode }) {
  return (
    <span className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}>
      {icon ? <StatusIcon name={icon} /> : null}
      {children}
    </span>
  );
}
