import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Card } from "@/components/ui/card";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { getActor } from "@/lib/auth/session";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/lib/domain/demo";
import { serverEnv } from "@/lib/env";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("signIn"))("title") };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  // Only a path on the portal itself is followed after sign-in (lib/auth/redirect.ts).
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await getActor()) redirect(callbackUrl);
  const env = serverEnv();
  const t = await getTranslations();
  // next-auth sends its error code back in the URL; show a fixed message for it, never the value.
  const errorCode = Array.isArray(params.error) ? params.error[0] : params.error;
  const ssoError = errorCode ? (errorCode === "AccessDenied" ? t("signIn.ssoRefused") : t("signIn.ssoFailed")) : null;
  const sso = env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET ? (env.OIDC_NAME ?? "Company SSO") : null;
  return (
    <div className="flex flex-col gap-6">
      <div className="text-center">
        <p className="flex items-center justify-center gap-2 text-2xl font-bold">
          <span aria-hidden="true" className="inline-block h-3 w-3 rounded-full bg-green-500" />
          {t("app.name")}
        </p>
        <p className="text-slate-600">{t("app.tagline")}</p>
      </div>
      <Card>
        <h1 className="mb-4 text-xl font-semibold">{t("signIn.title")}</h1>
        {ssoError ? (
          <p role="alert" className="mb-3 rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-800" data-testid="sign-in-page-error">
            {ssoError}
          </p>
        ) : null}
        <SignInForm callbackUrl={callbackUrl} ssoName={sso} />
      </Card>
      {env.GREENLIGHT_DEMO ? (
        <Card>
          <h2 className="font-semibold">{t("signIn.demoTitle")}</h2>
          <p className="mt-1 text-sm text-slate-600">{t("signIn.demoHint", { password: DEMO_PASSWORD })}</p>
          <table className="mt-3 w-full text-left text-sm">
            <thead>
              <tr className="text-slate-600">
                <th scope="col" className="py-1 font-medium">{t("signIn.demoRole")}</th>
                <th scope="col" className="py-1 font-medium">{t("signIn.email")}</th>
              </tr>
            </thead>
            <tbody>
              {DEMO_ACCOUNTS.map((account) => (
                <tr key={account.email} className="border-t border-slate-100">
                  <td className="py-1 pr-2">{account.roles.map((role) => t(`roles.${role}`)).join(", ")}</td>
                  <td className="py-1 font-mono text-xs">{account.email}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      ) : null}
    </div>
  );
}
