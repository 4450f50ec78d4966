import { useTranslations } from "next-intl";
import { PlanText } from "@/components/ui/plan-text";
import type { ContactView } from "@/lib/dal/contacts";

/** The plan's "who to contact": topic → role → the people holding it, with mail links. */
export function ContactsTable({ contacts }: { contacts: ContactView[] }) {
  const t = useTranslations();
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[36rem] border-collapse text-left text-sm">
        <thead>
          <tr className="border-b border-slate-200 text-slate-600">
            <th scope="col" className="py-2 pr-4 font-semibold">{t("contacts.topic")}</th>
            <th scope="col" className="py-2 pr-4 font-semibold">{t("contacts.role")}</th>
            <th scope="col" className="py-2 font-semibold">{t("contacts.people")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {contacts.map((contact) => (
            <tr key={contact.id}>
              <th scope="row" className="py-3 pr-4 font-medium text-slate-900">
                <PlanText text={contact.topic} />
                {contact.notes ? <span className="mt-0.5 block text-xs font-normal text-slate-600">{contact.notes}</span> : null}
              </th>
              <td className="py-3 pr-4 text-slate-700">
                <span className="block">{contact.roleLabel ? <PlanText text={contact.roleLabel} /> : contact.customRole ? contact.customRole.name : t(`roles.${contact.role}`)}</span>
                {contact.roleLabel && contact.roleLabel !== (contact.customRole ? contact.customRole.name : t(`roles.${contact.role}`)) ? (
                  <span className="mt-0.5 block text-xs text-slate-600">
                    {t("contacts.portalRole", { role: contact.customRole ? contact.customRole.name : t(`roles.${contact.role}`) })}
                  </span>
                ) : null}
              </td>
              <td className="py-3">
                {contact.people.length === 0 ? (
                  <span className="text-slate-600">{t("contacts.nobody")}</span>
                ) : (
                  <ul className="space-y-1">
                    {contact.people.map((person) => (
                      <li key={person.id}>
                        <span className="font-medium text-slate-900">{person.name}</span>{" "}
                        <a
                          href={`mailto:${person.email}`}
                          className="break-all font-mono text-xs text-brand-700 underline hover:text-brand-800"
                        >
                          {person.email}
                        </a>
                      </li>
                    ))}
                    {contact.peopleCount > contact.people.length ? (
                      <li className="text-slate-600">{t("contacts.morePeople", { count: contact.peopleCount - contact.people.length })}</li>
                    ) : null}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
