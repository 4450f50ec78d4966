// How many rows a page shows of a list before "showing the first N of M" and a link: the page
// renders them and its data function reads exactly as many, so both take the figure from here.

/** A phase card of the overview names this many of its gate's blockers. */
export const PHASE_CARD_BLOCKERS = 10;
/**
 * ... and a phase not started yet only this many: until it starts, its blockers are most of
 * its work, and the list says little more than its counts (a plan of twelve phases would
 * otherwise name a hundred items on its overview).
 */
export const PHASE_CARD_BLOCKERS_AHEAD = 3;

/**
 * A role dashboard's long lists (its to-dos, its checklist, the phase under way's items, the
 * success criteria) show their first rows with the count and a link: a checklist row with its
 * forms is about 3 kB of HTML and as much again in the page's React payload.
 */
export const DASHBOARD_FIRST_N = 8;
/**
 * The executive's dashboard also carries every phase with its gate, the charts, the risks
 * and the team's reading: its own item lists (next 24 hours, my checklist) show their first 5.
 */
export const EXECUTIVE_FIRST_N = 5;
/** Sign-off cards are larger (decisions, who is awaited, a decision form): fewer of them. */
export const DASHBOARD_FIRST_CARDS = 6;
/** The reading list's first entries (with the progress over all of them); the documents page lists every one. */
export const DASHBOARD_FIRST_READING = 3;
/** The executive dashboard's risk section names the first overdue items and rejected sign-offs. */
export const DASHBOARD_FIRST_RISKS = 5;
/**
 * The executive dashboard's phases under way (in progress, blocked, awaiting sign-off) name
 * this many of their gate's blockers (GateSummary `shown`); the other phases take one line
 * each: status, progress and the gate's counts.
 */
export const DASHBOARD_GATE_BLOCKERS = 3;
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
