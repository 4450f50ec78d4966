import pino, { type DestinationStream, type Logger } from "pino";

// The server's structured log: one JSON line per event on stdout (pino), for a log
// collector to ship. One logger per process, on globalThis (Next bundles the proxy, the
// routes and the actions apart). What must never be written — passwords, tokens,
// cookies, secrets — is removed by key wherever it sits (up to three levels deep), and
// credentials inside URLs in error messages are masked.

const SECRET_KEYS = [
  "password",
  "newPassword",
  "currentPassword",
  "confirmPassword",
  "passwordHash",
  "token",
  "accessToken",
  "refreshToken",
  "idToken",
  "sessionToken",
  "csrfToken",
  "secret",
  "clientSecret",
  "client_secret",
  "apiKey",
  "cookie",
  "cookies",
  "set-cookie",
  "authorization",
  "x-api-key",
];

const quote = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`);
const join = (prefix: string, key: string) => (key.startsWith("[") ? `${prefix}${key}` : `${prefix}.${key}`);

/** The redaction paths: every secret key at the top and one or two levels down. */
export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const k = quote(key);
  return [k, join("*", k), join("*.*", k)];
});

/** Masks the password of credentials written into a URL (postgresql://user:password@host). */
export function maskUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:@/\s]+:)[^@\s]+@/gi, "$1[redacted]@");
}

function serializeError(error: unknown): unknown {
  const plain = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  for (const field of ["message", "stack"]) {
    if (typeof plain[field] === "string") plain[field] = maskUrlCredentials(plain[field] as string);
  }
  return plain;
}

const KEY = Symbol.for("greenlight.logger");
type Holder = { [KEY]?: Logger };

function createLogger(destination?: DestinationStream): Logger {
  const options = {
    level: process.env.LOG_LEVEL?.trim() || (process.env.NODE_ENV === "test" ? "warn" : "info"),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    serializers: { err: serializeError, error: serializeError },
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
}

export function logger(): Logger {
  const holder = globalThis as Holder;
  holder[KEY] ??= createLogger();
  return holder[KEY];
}

/** Sends the log somewhere else (tests capture it); `undefined` goes back to stdout. */
export function setLogDestination(destination: DestinationStream | undefined, level?: string): void {
  const created = createLogger(destination);
  if (level) created.level = level;
  (globalThis as Holder)[KEY] = created;
}
