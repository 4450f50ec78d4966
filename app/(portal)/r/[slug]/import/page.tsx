import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ImportWizard } from "@/components/import/import-wizard";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/session";
import { getImportTarget } from "@/lib/dal/import";
import { orNotFound } from "@/lib/server/page";
import { isLookupKey } from "@/lib/validation/input";
import { notFound } from "next/navigation";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("import"))("intoPageTitle") };
}

/** Import a plan into an existing rollout that has nothing recorded yet (`plan.import`). */
export default async function ImportIntoRolloutPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePageActor();
  if (!isLookupKey(slug)) notFound();
  const [target, t] = await Promise.all([orNotFound(getImportTarget(actor, slug)), getTranslations("import")]);
  const empty = Object.values(target.recorded).every((n) => n === 0);
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold">{t("intoPageTitle")}</h1>
        <p className="text-slate-600">{t("intoIntro", { rollout: target.name })}</p>
      </div>
      {empty ? (
        <ImportWizard
          target={{ rolloutId: target.rolloutId, slug: target.slug, name: target.name, startDate: target.startDate, customRoles: target.customRoles }}
          today={new Date().toISOString().slice(0, 10)}
        />
      ) : (
        <Card>
          <p className="text-slate-700">
            {t("notEmpty", { rollout: target.name, phases: target.recorded.phases, items: target.recorded.items, signOffs: target.recorded.signOffs })}
          </p>
          <Link href="/import" className="mt-2 inline-block font-medium text-green-800 underline">
            {t("importAsNew")}
          </Link>
        </Card>
      )}
    </div>
  );
}
