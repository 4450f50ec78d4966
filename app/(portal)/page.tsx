import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { getMemberships } from "@/lib/auth/access";
import { requirePageActor } from "@/lib/auth/session";

/** The overview of the newest rollout the person belongs to. */
export default async function RootPage() {
  const actor = await requirePageActor();
  const [first] = await getMemberships(actor.id);
  if (first) redirect(`/r/${first.slug}`);
  const t = await getTranslations("overview");
  return (
    <Card>
      <h1 className="text-xl font-semibold">{t("title")}</h1>
      <p className="mt-2 text-slate-600">{t("noRollout")}</p>
    </Card>
  );
}
