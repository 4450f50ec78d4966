"use client";

import { onDemand } from "@/components/ui/on-demand";

// Rendered by the server at first paint; its code (the bell's count, the language form's
// state, sign-out) arrives while the page hydrates, outside the first load.
export const HeaderToolsOnDemand = onDemand(() => import("./header-tools").then((module) => module.HeaderTools));
