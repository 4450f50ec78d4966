// Small inline icons, so status never depends on an emoji font being installed.
const PATHS = {
  circle: <circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" strokeWidth="1.6" />,
  half: (
    <>
      <circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M8 2.5a5.5 5.5 0 0 1 0 11z" fill="currentColor" />
    </>
  ),
  clock: (
    <>
      <circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M8 5v3.2l2.2 1.4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </>
  ),
  check: <path d="M3.5 8.5l3 3 6-7" fill="none" stroke="currentColor" strokeWidth="1.9" strokeLinecap="round" strokeLinejoin="round" />,
  cross: <path d="M4.5 4.5l7 7m0-7l-7 7" fill="none" stroke="currentColor" strokeWidth="1.9" strokeLinecap="round" />,
  stop: (
    <>
      <circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M4.2 11.8l7.6-7.6" stroke="currentColor" strokeWidth="1.6" />
    </>
  ),
  skip: <path d="M3.5 4.5l4 3.5-4 3.5m5-7l4 3.5-4 3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />,
  box: <rect x="3" y="3" width="10" height="10" rx="2" fill="none" stroke="currentColor" strokeWidth="1.6" />,
  diamond: <path d="M8 2.5l5.5 5.5L8 13.5 2.5 8z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />,
} as const;

export type IconName = keyof typeof PATHS;

export function StatusIcon({ name, className = "h-3.5 w-3.5" }: { name: IconName; className?: string }) {
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false" className={`shrink-0 ${className}`}>
      {PATHS[name]}
    </svg>
  );
}
