"use client";

import { onDemand } from "@/components/ui/on-demand";

// The live stream renders nothing: its code arrives while the page hydrates, outside the first load.
export const LiveUpdatesOnDemand = onDemand(() => import("./live-updates").then((module) => module.LiveUpdates));
