// Small status icons, so status never depends on an emoji font being installed. Each is a
// CSS mask filled with the text colour (the shapes are in app/globals.css, `.icon-*`): an
// icon is one short element in the page's HTML and React payload, not an inline SVG.

export type IconName = "circle" | "half" | "clock" | "check" | "cross" | "stop" | "skip" | "box" | "diamond";

/** `className` sets another size (`h-5 w-5`); the default is 0.875rem. */
export function StatusIcon({ name, className }: { name: IconName; className?: string }) {
  return <span aria-hidden="true" className={`icon icon-${name}${className ? ` ${className}` : ""}`} />;
}
