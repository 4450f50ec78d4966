"use client";

import { safeCallbackPath } from "@/lib/auth/redirect";
import { useTranslations } from "@/lib/i18n/client";
import { useState, type FormEvent } from "react";

// next-auth hands back the message the server's authorize threw (lib/auth/options.ts); each becomes a translated one here.
// next-auth's browser client (with its Babel helpers, ~14 kB gzip) is loaded when the form is sent, not with the page.
const signIn: typeof import("next-auth/react").signIn = async (...args) => (await import("next-auth/react")).signIn(...args);

const UNAVAILABLE = "Sign-in is unavailable right now. Try again in a moment.";
const THROTTLED = /^Too many failed sign-in attempts\. Try again in (\d+) (seconds|minutes?)\.$/;

export function SignInForm({ callbackUrl, ssoName }: { callbackUrl: string; ssoName: string | null }) {
  const t = useTranslations("signIn");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
      callbackUrl,
    });
    setPending(false);
    if (result?.ok && !result.error) {
      // A full navigation, so every server component renders with the new session.
      window.location.assign(safeCallbackPath(callbackUrl));
      return;
    }
    const throttled = THROTTLED.exec(result?.error ?? "");
    if (throttled) {
      const amount = Number(throttled[1]);
      setError(throttled[2] === "seconds" ? t("throttledSeconds", { count: amount }) : t("throttledMinutes", { count: amount }));
    } else if (result?.error === UNAVAILABLE) {
      setError(t("unavailable"));
    } else {
      setError(t("failed"));
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate={false}>
        <div className="flex flex-col gap-1">
          <label htmlFor="email" className="text-sm font-medium">{t("email")}</label>
          <input id="email" name="email" type="email" autoComplete="username" required className="rounded-md border border-slate-300 px-3 py-2" />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="password" className="text-sm font-medium">{t("password")}</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required className="rounded-md border border-slate-300 px-3 py-2" />
        </div>
        <p role="status" aria-live="assertive" className="min-h-5 text-sm text-red-700" data-testid="sign-in-error">
          {error}
        </p>
        <button type="submit" disabled={pending} className="rounded-md bg-green-700 px-4 py-2 font-semibold text-white hover:bg-green-800 disabled:opacity-60">
          {pending ? t("signingIn") : t("submit")}
        </button>
      </form>
      {ssoName ? (
        <button
          type="button"
          onClick={() => signIn("oidc", { callbackUrl })}
          className="rounded-md border border-slate-300 px-4 py-2 font-semibold text-slate-800 hover:bg-slate-50"
        >
          {t("sso", { name: ssoName })}
        </button>
      ) : null}
    </div>
  );
}
