"use client";

import { useTranslations } from "@/lib/i18n/client";

// next-auth's browser client (with its Babel helpers, ~14 kB gzip) is loaded on the click that
// needs it, not with every page.
const signOut = async () => (await import("next-auth/react")).signOut({ callbackUrl: "/sign-in" });

export function SignOutButton() {
  const t = useTranslations("header");
  return (
    <button
      type="button"
      onClick={() => void signOut()}
      className="rounded-md border border-slate-500 px-2 py-1 text-sm text-slate-100 hover:bg-slate-700"
    >
      {t("signOut")}
    </button>
  );
}
