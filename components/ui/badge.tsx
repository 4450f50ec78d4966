import type { ReactNode } from "react";
import { StatusIcon, type IconName } from "./status-icon";

const TONES = {
  neutral: "badge-neutral",
  info: "badge-info",
  warning: "badge-warning",
  success: "badge-success",
  danger: "badge-danger",
} as const;

export type BadgeTone = keyof typeof TONES;

export function Badge({ tone = "neutral", icon, children }: { tone?: BadgeTone; icon?: IconName; children: ReactNode }) {
  return (
    <span className={`badge ${TONES[tone]}`}>
      {icon ? <StatusIcon name={icon} /> : null}
      {children}
    </span>
  );
}
