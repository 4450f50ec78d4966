import { formatMessage, type ErrorKey, type Message } from "./i18n/format";

// Typed errors the data layer throws; actions and route handlers turn them into one
// user-facing message, in the requester's language.
export const ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "INVALID_INPUT",
  "CONFLICT",
  "STALE",
  "RATE_LIMITED",
  "BAD_ORIGIN",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * `new AppError("STALE", { key: "errors.items.stale" }, { fresh })`: the code says what
 * kind of refusal it is, the message (a key into the translations and its values) what
 * to tell the person, the details what the caller may need (such as the fresh state).
 * `error.message` is the English text, for logs and tests.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly i18n: Message<ErrorKey>,
    readonly details?: Record<string, unknown>,
  ) {
    super(formatMessage("en", i18n));
    this.name = "AppError";
  }
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
