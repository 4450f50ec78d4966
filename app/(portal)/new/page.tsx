import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { CreateRolloutForm } from "@/components/rollouts/create-rollout-form";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/session";
import { getCreateOptions } from "@/lib/dal/rollouts";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("rollouts"))("createTitle") };
}

/** Create a rollout: blank, from a saved template, or as a copy of a rollout the person can see. */
export default async function NewRolloutPage({ searchParams }: { searchParams: Promise<{ from?: string }> }) {
  const actor = await requirePageActor();
  const [options, t, tImport, format, { from }] = await Promise.all([getCreateOptions(actor), getTranslations("rollouts"), getTranslations("import"), getFormatter(), searchParams]);
  if (!options.canCreate) {
    return (
      <Card>
        <h1 className="text-xl font-semibold">{t("createTitle")}</h1>
        <p className="mt-2 text-slate-600">{t("mayNotCreate")}</p>
      </Card>
    );
  }
  const date = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeZone: "UTC" });
  const sources = [...options.templates, ...options.rollouts].map((s) => ({ id: s.id, name: s.name, startDate: date(s.startDate), isTemplate: s.isTemplate }));
  const initial = [...options.templates, ...options.rollouts].find((s) => s.slug === from)?.id ?? "";
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-bold">{t("createTitle")}</h1>
        <Link href="/import" className="text-sm font-medium text-green-800 underline">
          {tImport("importLink")}
        </Link>
      </div>
      <Card>
        <CreateRolloutForm key={initial} sources={sources} initialSourceId={initial} today={new Date().toISOString().slice(0, 10)} />
      </Card>
      <Card>
        <h2 className="text-lg font-semibold">{t("templates")}</h2>
        {options.templates.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t("noTemplates")}</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100" aria-label={t("templates")}>
            {options.templates.map((template) => (
              <li key={template.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2">
                <span className="font-medium">{template.name}</span>
                <span className="flex flex-wrap items-baseline gap-3 text-sm text-slate-600">
                  {t("templateStarts", { date: date(template.startDate) })}
                  <Link href={`/new?from=${encodeURIComponent(template.slug)}`} className="font-medium text-green-800 underline">
                    {t("useThisTemplate")}
                  </Link>
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
