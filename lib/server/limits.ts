// Request limits shared by next.config.ts (which cannot load the translations) and the
// request guard in proxy.ts.

/** The largest request body the portal reads (server actions and forms): 1 MB. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** The same, in the notation of next.config's `serverActions.bodySizeLimit`. */
export const BODY_LIMIT = "1mb";
/** The same, as the refusal says it. */
export const BODY_LIMIT_TEXT = "1 MB";
