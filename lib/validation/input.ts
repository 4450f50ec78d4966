import { z } from "zod";
import { invalid } from "../i18n/zod";

// The bounds every input shares, so that bad input is refused here, with a message that
// says what is wrong, instead of reaching Postgres and failing there as a 500:
// - text: Postgres cannot store the NUL character (error 22021), so no string may hold one;
// - whole numbers: the columns are int4, so a version of 2147483648 overflows (22003);
// - dates: JavaScript accepts years 0 to 275760 and Postgres refuses some of them, and no
//   rollout plans for year 0 anyway.

/** The largest value of a Postgres `integer` (int4) column. */
export const INT4_MAX = 2_147_483_647;

/** The earliest and latest dates a person may enter (a due date, a window). */
export const DATE_MIN = new Date("2000-01-01T00:00:00Z");
export const DATE_MAX = new Date("2999-12-31T23:59:59Z");

/** The longest identifier (cuid, slug) accepted anywhere. */
export const ID_MAX = 64;

const NUL = "\u0000";

/** Whether text holds a character Postgres cannot store. */
export function hasNul(value: string): boolean {
  return value.includes(NUL);
}

/**
 * `z.string()` that refuses the NUL character first (and stops there). Chain the usual
 * checks after it: `text().trim().min(1).max(200)`.
 */
export function text(params?: Parameters<typeof z.string>[0]) {
  return z.string(params).refine((value) => !hasNul(value), { error: invalid("validation.input.nul"), abort: true });
}

/** An identifier: non-empty, at most 64 characters, no NUL. */
export function id() {
  return text({ error: invalid("validation.missingId") })
    .trim()
    .min(1, { error: invalid("validation.missingId") })
    .max(ID_MAX, { error: invalid("validation.input.idTooLong", { max: ID_MAX }) });
}

/** A row's version from a form ("3"): a whole number that fits the int4 column. */
export function version() {
  // Not a finite number at all ("abc", "1e400") is out of range too; "" and 0 are missing.
  return z.coerce
    .number({ error: invalid("validation.input.versionRange", { max: INT4_MAX }) })
    .int({ error: invalid("validation.input.versionRange", { max: INT4_MAX }) })
    .min(1, { error: invalid("validation.missingVersion") })
    .max(INT4_MAX, { error: invalid("validation.input.versionRange", { max: INT4_MAX }) });
}

/** Whether a date lies within the range people may enter. */
export function dateInRange(date: Date): boolean {
  return !Number.isNaN(date.getTime()) && date >= DATE_MIN && date <= DATE_MAX;
}

/** The range as the messages show it. */
export const DATE_RANGE = { min: "2000-01-01", max: "2999-12-31" } as const;

/** Whether a value is one route segment or query value that may be looked up at all. */
export function isLookupKey(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 200 && !hasNul(value);
}
