"use client";

import { onDemand } from "@/components/ui/on-demand";

// The error boundaries (error.tsx) are in every page's first load, each with its own copy
// of what it renders; what they show is fetched when an error happens instead (one chunk,
// shared by all of them). The server renders it in full when the error happens there.
export const SectionErrorOnDemand = onDemand(() => import("./section-error").then((module) => module.SectionError));
