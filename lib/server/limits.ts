// Request limits shared by next.config.ts (which cannot load the translations) and the
// request guard in proxy.ts.

/** The largest request body the portal reads (server actions and forms): 1 MB. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** The same, as the refusal says it. */
export const BODY_LIMIT_TEXT = "1 MB";

/**
 * The import pages' limit: a plan of up to 2 MB, sent with the person's corrections and
 * choices (the import page refuses a larger plan itself, with a message naming its size).
 */
export const IMPORT_BODY_LIMIT_BYTES = 5 * 1024 * 1024;
export const IMPORT_BODY_LIMIT_TEXT = "5 MB";
/** The largest body Next's server actions read (next.config's `serverActions.bodySizeLimit`): the import pages' one; the request guard holds every other page to BODY_LIMIT_BYTES. */
export const BODY_LIMIT = "5mb";

/** Whether a path is an import page (`/import`, `/r/<slug>/import`), whose actions carry a whole plan. */
export function isImportPath(pathname: string): boolean {
  return pathname === "/import" || /^\/r\/[^/]+\/import$/.test(pathname);
}
