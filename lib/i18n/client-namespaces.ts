// The message namespaces that client components translate with. Only these travel to
// the browser with every page; server components read the whole catalogue on the server.
// tests/unit/i18n.test.ts fails when a client component uses a namespace missing here.
export const CLIENT_NAMESPACES = [
  "account",
  "admin",
  "apiTokens",
  "boundary",
  "calendar",
  "checklist",
  "criteria",
  "header",
  "import",
  "itemState",
  "ledger",
  "notifications",
  "phase",
  "reading",
  "roles",
  "rollouts",
  "signIn",
  "signOffStatus",
  "signOffs",
  "webhooks",
] as const;
