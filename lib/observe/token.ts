import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether `Authorization: Bearer <token>` carries `expected`, compared in constant time
 * (both sides hashed first, so neither the content nor the length leaks through timing).
 */
export function bearerMatches(authorization: string | null, expected: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
  const given = match?.[1] ?? "";
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b) && given.length > 0;
}
