import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ImportWizard } from "@/components/import/import-wizard";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/session";
import { mayImportNewRollout } from "@/lib/dal/import";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("import"))("title") };
}

/** Import a plan from Markdown as a new rollout: for those allowed to create rollouts. */
export default async function ImportPage() {
  const actor = await requirePageActor();
  const [allowed, t] = await Promise.all([mayImportNewRollout(actor), getTranslations("import")]);
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-slate-600">{t("intro")}</p>
      </div>
      {allowed ? (
        <ImportWizard target={null} today={new Date().toISOString().slice(0, 10)} />
      ) : (
        <Card>
          <p className="text-slate-600">{t("mayNotCreate")}</p>
        </Card>
      )}
    </div>
  );
}
