"use client";

import { NotificationBell } from "@/components/notifications/bell";
import { LanguageSwitcher } from "./language-switcher";
import { SignOutButton } from "./sign-out-button";

/** The header's interactive end: the bell, the language form and sign-out. */
export function HeaderTools() {
  return (
    <>
      <NotificationBell />
      <LanguageSwitcher />
      <SignOutButton />
    </>
  );
}
