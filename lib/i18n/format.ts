import { createTranslator, type MessageKeys, type NestedKeyOf } from "next-intl";
import { DEFAULT_LOCALE, type Locale } from "./config";
import en from "./messages/en.json";
import ptBR from "./messages/pt-BR.json";

// What the server says to people (refusals, validation messages, confirmations) travels as
// data: a key into the translations and its values. The data layer and the schemas speak in
// these; the edge of a request (an action, a route handler) formats them in the requester's
// language. English is the default and the fallback.

/** The catalogs' namespaces for what the server says; pages never use them. */
export const SERVER_NAMESPACES = ["errors", "validation", "messages"] as const;

type Catalog = typeof en;
// Typed as the English catalog: a key missing from the Portuguese one fails to compile.
const CATALOGS: Record<Locale, Catalog> = { en, "pt-BR": ptBR };

type Leaves<T> = MessageKeys<T, NestedKeyOf<T>>;

/** A refusal (AppError). */
export type ErrorKey = `errors.${Leaves<Catalog["errors"]>}`;
/** A zod issue. */
export type ValidationKey = `validation.${Leaves<Catalog["validation"]>}`;
/** A confirmation an action returns. */
export type NoticeKey = `messages.${Leaves<Catalog["messages"]>}`;
export type MessageKey = ErrorKey | ValidationKey | NoticeKey;

/** An ICU argument: plain text or a number, or a message (a list of them is joined with "; "), formatted in the same language. */
export type MessageValue = string | number | Message | readonly Message[];
export type MessageValues = Readonly<Record<string, MessageValue>>;

/** A message to say in the requester's language. */
export type Message<K extends MessageKey = MessageKey> = { readonly key: K; readonly values?: MessageValues };

// A message the catalog lacks, or cannot format, comes back as this marker (never as its key).
const MISSING = "\u0000missing";
type Translate = (key: MessageKey, values: Record<string, string | number>) => string;
function translatorFor(locale: Locale): Translate {
  const translate = createTranslator({ locale, messages: CATALOGS[locale], onError: () => {}, getMessageFallback: () => MISSING });
  return (key, values) => translate(key, values);
}
const translators: Record<Locale, Translate> = { en: translatorFor("en"), "pt-BR": translatorFor("pt-BR") };

function attempt(locale: Locale, message: Message): string | null {
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(message.values ?? {})) {
    values[name] =
      typeof value === "string" || typeof value === "number"
        ? value
        : isMessageList(value)
          ? value.map((item) => formatMessage(locale, item)).join("; ")
          : formatMessage(locale, value);
  }
  const text = translators[locale](message.key, values);
  return text === MISSING ? null : text;
}

function isMessageList(value: Message | readonly Message[]): value is readonly Message[] {
  return Array.isArray(value);
}

/**
 * The message in `locale`; a key that language lacks falls back to English, and one no
 * catalog has (only reachable by bypassing the types) to a generic sentence, never to the key.
 */
export function formatMessage(locale: Locale, message: Message): string {
  return attempt(locale, message) ?? attempt(DEFAULT_LOCALE, message) ?? attempt(locale, { key: "validation.invalid" }) ?? "Invalid input.";
}
