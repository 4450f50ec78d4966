// How many rows a page shows of a list before "showing the first N of M" and a link: the page
// renders them and its data function reads exactly as many, so both take the figure from here.

/** A phase card of the overview names this many of its gate's blockers. */
export const PHASE_CARD_BLOCKERS = 10;
