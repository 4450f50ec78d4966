import { z } from "zod";
import { DEFAULT_LOCALE, type Locale } from "./config";
import { formatMessage, type MessageValues, type ValidationKey } from "./format";

// Zod messages in the language of the parse. A schema names each message by its key,
// `z.string().min(1, { error: invalid("validation.missingId") })`; zod asks for the text
// when it builds the error. `safeParseIn` sets the language for exactly one synchronous
// parse and builds the error before it returns (zod's safeParse refuses async checks, so
// nothing else runs in between). Outside it, in scripts and unit tests, the messages are
// English.

let parseLocale: Locale = DEFAULT_LOCALE;

/** A validation message for a zod `error` option, in the language of the current parse. */
export function invalid(key: ValidationKey, values?: MessageValues): () => string {
  return () => invalidText(key, values);
}

/** The same message as text, for `ctx.addIssue` inside a transform. */
export function invalidText(key: ValidationKey, values?: MessageValues): string {
  return formatMessage(parseLocale, { key, values });
}

// zod's own messages, for the few checks a schema leaves without one.
const zodMessages: Record<Locale, z.core.$ZodErrorMap> = { en: z.locales.en().localeError, "pt-BR": z.locales.ptBR().localeError };

/** `schema.safeParse(input)` with every message in `locale`. */
export function safeParseIn<S extends z.ZodType>(locale: Locale, schema: S, input: unknown): z.ZodSafeParseResult<z.output<S>> {
  const outer = parseLocale;
  parseLocale = locale;
  try {
    const result = schema.safeParse(input, { error: zodMessages[locale] });
    // zod builds the error (and asks for its messages) on the first read of `error`: read it here.
    return result.success ? result : { success: false, error: result.error };
  } finally {
    parseLocale = outer;
  }
}
