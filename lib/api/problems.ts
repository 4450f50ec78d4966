// The stable `type` of each API problem (RFC 9457): a URN per refusal code, listed in docs/api.md.
export function problemType(code: string): string {
  return `urn:greenlight:problem:${code.toLowerCase().replace(/_/g, "-")}`;
}
