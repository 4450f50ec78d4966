type ProgressBarProps = { percent: number; label: string; valueText: string };

/** A labelled progress bar; the value is also given as text, never by colour alone. */
export function ProgressBar({ percent, label, valueText }: ProgressBarProps) {
  const clamped = Math.max(0, Math.min(100, percent));
  return (
    <div>
      <div className="progress-head">
        <span className="font-medium text-slate-700">{label}</span>
        <span className="text-slate-600">{valueText}</span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={clamped}
        aria-valuetext={valueText}
        className="progress-track"
      >
        <div className="progress-fill" style={{ width: `${clamped}%` }} />
      </div>
    </div>
  );
}
