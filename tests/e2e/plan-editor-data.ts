/** The plan editor spec's own rollout and account (made by plan-editor-setup.ts). */
export const EDITOR_SLUG = "editor-journey";
export const EDITOR_EMAIL = "plan-editor@e2e.example";
