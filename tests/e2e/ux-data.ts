/** The rollout the "what users saw" spec changes (a copy of the sample plan; see ux-setup.ts). */
export const UX_SLUG = "ux-check";
export const UX_NAME = "UX check (sample copy)";
