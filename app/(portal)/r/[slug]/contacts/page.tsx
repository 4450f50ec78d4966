import { getTranslations } from "next-intl/server";
import { ContactsTable } from "@/components/contacts/contacts-table";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/session";
import { orNotFound } from "@/lib/server/page";
import { listContacts } from "@/lib/dal/contacts";

export default async function ContactsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePageActor();
  const [list, t] = await Promise.all([
    orNotFound(listContacts(actor, slug)),
    getTranslations("contacts"),
  ]);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm font-medium text-slate-600">{list.rollout.name}</p>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("title")}</h1>
        <p className="mt-1 text-slate-600">{t("intro")}</p>
      </div>
      <Card>{list.contacts.length === 0 ? <p className="text-slate-600">{t("empty")}</p> : <ContactsTable contacts={list.contacts} />}</Card>
    </div>
  );
}
