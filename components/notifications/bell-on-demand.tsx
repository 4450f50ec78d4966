"use client";

import { onDemand } from "@/lib/i18n/client";

// The server renders the bell in place; its code (the unread count's fetching) arrives while the page hydrates.
export const NotificationBellOnDemand = onDemand(() => import("./bell").then((module) => module.NotificationBell));
