"use client";

import { onDemand } from "@/lib/i18n/client";

// The live stream renders nothing: its code arrives while the page hydrates, outside the first load.
export const LiveUpdatesOnDemand = onDemand(() => import("./live-updates").then((module) => module.LiveUpdates));
