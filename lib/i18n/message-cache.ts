import { _createCache } from "next-intl";

/**
 * Compiled ICU messages, shared by every request of this process. next-intl keeps its
 * caches per request, so each page view compiled every message it showed again (the
 * largest share of translation time in a dashboard's profile, docs/performance.md). The
 * request config hands this cache to next-intl (`_cache`, which its server translators
 * pass on to `createTranslator`). Entries are keyed by the message text, the locale and the
 * formats (time zone included) and hold no request data: the cache grows with the
 * catalogues only.
 */
export const SHARED_MESSAGE_CACHE = _createCache();
