"use client";

import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";

export function SignOutButton() {
  const t = useTranslations("header");
  return (
    <button
      type="button"
      onClick={() => signOut({ callbackUrl: "/sign-in" })}
      className="rounded-md border border-slate-500 px-2 py-1 text-sm text-slate-100 hover:bg-slate-700"
    >
      {t("signOut")}
    </button>
  );
}
