// The message namespaces that client components translate with. Server components read
// the whole catalogue on the server; the browser gets, with each page, only the namespaces
// of the client components on that page (components/layout/client-messages.tsx).
// tests/unit/i18n.test.ts fails when a client component uses a namespace missing here, or
// a page's client components use one that no layout above them provides.
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

export type ClientNamespace = (typeof CLIENT_NAMESPACES)[number];

/**
 * What the root layout provides to every page: the header's client components (sign-out
 * button, bell, language switcher) and the error boundaries. A page whose own client
 * components translate with more gets them from a layout of its segment, which wraps the
 * page in a provider of its own (`<ClientMessages namespaces={[…]}>`).
 */
export const SHELL_NAMESPACES = ["boundary", "header"] as const satisfies readonly ClientNamespace[];
