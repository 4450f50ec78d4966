const DAY_MS = 86_400_000;

/** A short date ("7 Dec", "7 de dez.") for a UTC day number, in the page's language. */
export function dayFormatter(locale: string): (day: number) => string {
  const format = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" });
  return (day) => format.format(new Date(day * DAY_MS));
}

/** A rough width of a line of text, for laying labels out without measuring the DOM. */
export function textWidth(text: string, fontSize: number): number {
  return Math.ceil([...text].length * fontSize * 0.6);
}
