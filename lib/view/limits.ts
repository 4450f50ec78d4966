// How many rows a page shows of a list before "showing the first N of M" and a link: the page
// renders them and its data function reads exactly as many, so both take the figure from here.

/** A phase card of the overview names this many of its gate's blockers. */
export const PHASE_CARD_BLOCKERS = 10;

/** A phase's page lists this many of its items (the rest: the checklist, filtered to the phase). */
export const PHASE_PAGE_ITEMS = 20;
/** A phase's page names this many of its gate's blockers (all are counted). */
export const PHASE_PAGE_BLOCKERS = 20;
/**
 * A phase's page shows this many sign-off cards, those awaiting a decision first (the rest:
 * the phase's certificate). The sample's busiest phase holds 29, the large plan's 16 to 30.
 */
export const PHASE_PAGE_SIGN_OFFS = 30;
/** Go/no-go names this many of each gate's blockers. */
export const GO_NO_GO_BLOCKERS = 5;
/** Go/no-go lists this many success criteria (the rest: the criteria page); all are counted. */
export const GO_NO_GO_CRITERIA = 20;
/** Go/no-go shows this many decisions (a plan holds one per phase that ends in one, at most). */
export const GO_NO_GO_DECISIONS = 12;
