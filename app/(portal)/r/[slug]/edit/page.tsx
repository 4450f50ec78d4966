import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Section } from "@/components/dashboard/section";
import { EditForm } from "@/components/plan-editor/edit-form";
import { Checkbox, Fieldset, grid, Select, TextArea, TextField, ymd } from "@/components/plan-editor/fields";
import * as plan from "@/lib/actions/plan";
import { transitionPhaseAction } from "@/lib/actions/workflows";
import { can } from "@/lib/auth/permissions";
import { loadPlanForEditing } from "@/lib/dal/plan-edit";
import { listRoleChoices } from "@/lib/dal/roles";
import { ALL_ROLES } from "@/lib/domain/roles";
import { isClosed } from "@/lib/domain/phase";
import { orNotFound, rolloutMembership } from "@/lib/server/page";

const KINDS = ["PHASE_GATE", "PRODUCTION_DEPLOYMENT", "DEPLOYMENT_DATE", "BUDGET", "SECURITY_POLICY", "ACCESS_CONTROL", "COMPLIANCE", "GO_NO_GO"] as const;
const LISTS = ["PHASE", "IMMEDIATE", "NEXT_24H"] as const;

/** The plan editor: every part of the plan, one section per kind of thing, each change a form of its own. */
export default async function EditPlanPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, membership } = await rolloutMembership(slug);
  if (membership.archived) {
    // Read-only: the data layer refuses every edit of an archived rollout; say so instead of offering forms.
    const t = await getTranslations();
    return (
      <div className="flex flex-col gap-2">
        <p className="text-sm font-medium text-slate-500">{membership.name}</p>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("planEditor.heading")}</h1>
        <p className="text-slate-700">{t("planEditor.archived")}</p>
      </div>
    );
  }
  const [data, choices, t, format] = await Promise.all([
    orNotFound(loadPlanForEditing(actor, membership.rolloutId)),
    orNotFound(listRoleChoices(actor, membership.rolloutId)),
    getTranslations(),
    getFormatter(),
  ]);
  const rolloutId = data.rollout.id;
  const roleName = (c: { name: string | null; role: (typeof ALL_ROLES)[number] }) => c.name ?? t(`roles.${c.role}`);
  const roleOptions = choices.map((c) => ({ value: c.key, label: roleName(c) }));
  const deciders = choices.filter((c) => can([c.role], "signoff.decide"));
  const keyOf = (role: string | null, custom: string | null) => custom ?? role ?? "";
  const phaseOptions = [{ value: "", label: t("planEditor.noPhase") }, ...data.phases.map((p) => ({ value: p.id, label: `${p.position}. ${p.name}` }))];
  const listOptions = LISTS.map((l) => ({ value: l, label: t(`planEditor.list.${l}`) }));
  const peopleOptions = [{ value: "", label: t("planEditor.nobody") }, ...data.people.map((p) => ({ value: p.id, label: p.name }))];
  const signOffOptions = [{ value: "", label: t("planEditor.noSignOff") }, ...data.signOffs.map((s) => ({ value: s.id, label: s.title }))];
  const kindOptions = KINDS.map((k) => ({ value: k, label: t(`planEditor.kind.${k}`) }));
  const closedPhase = new Set(data.phases.filter((p) => isClosed(p.status)).map((p) => p.id));
  const closedNote = <p className="text-sm text-amber-800">{t("planEditor.closedNote")}</p>;
  const moveButtons = (action: typeof plan.movePhaseAction, id: string, version: number) => (
    <div className="flex gap-2">
      <EditForm action={action} hidden={{ id, version, direction: "up" }} submitLabel={t("planEditor.moveUp")} tone="secondary" className="flex items-center gap-2" />
      <EditForm action={action} hidden={{ id, version, direction: "down" }} submitLabel={t("planEditor.moveDown")} tone="secondary" className="flex items-center gap-2" />
    </div>
  );
  const remove = (action: typeof plan.deletePhaseAction, id: string, version: number) => (
    <EditForm action={action} hidden={{ id, version }} submitLabel={t("planEditor.remove")} tone="danger" className="flex items-center gap-2" />
  );

  const itemFields = (prefix: string, item?: (typeof data.items)[number], phaseId?: string | null) => (
    <div className={grid}>
      <div className="sm:col-span-2 lg:col-span-3">
        <TextField id={`${prefix}-text`} name="text" label={t("planEditor.text")} value={item?.text} required maxLength={2000} />
      </div>
      <Select id={`${prefix}-list`} name="list" label={t("planEditor.listLabel")} value={item?.list ?? (phaseId ? "PHASE" : "IMMEDIATE")} options={listOptions} />
      <Select id={`${prefix}-phase`} name="phaseId" label={t("planEditor.phase")} value={item ? item.phaseId : phaseId} options={phaseOptions} />
      <Select id={`${prefix}-owner`} name="ownerRole" label={t("planEditor.owner")} value={item ? keyOf(item.ownerRole, item.ownerCustomRoleId) : ""} options={[{ value: "", label: t("planEditor.noOwner") }, ...roleOptions]} />
      <Select id={`${prefix}-assignee`} name="assigneeId" label={t("planEditor.assignee")} value={item?.assigneeId} options={peopleOptions} />
      <TextField id={`${prefix}-due`} name="dueAt" type="date" label={t("planEditor.due")} value={ymd(item?.dueAt)} />
      <Select id={`${prefix}-signoff`} name="signOffId" label={t("planEditor.completedBy")} value={item?.signOffId} options={signOffOptions} />
      <Checkbox id={`${prefix}-optional`} name="optional" label={t("planEditor.optionalItem")} checked={item?.optional} />
    </div>
  );

  const signOffFields = (prefix: string, s?: (typeof data.signOffs)[number]) => {
    const approvers = new Set(s ? [...s.requiredRoles, ...s.requiredCustomRoleIds] : []);
    return (
      <div className="flex flex-col gap-2">
        <div className={grid}>
          <TextField id={`${prefix}-title`} name="title" label={t("planEditor.title")} value={s?.title} required maxLength={200} />
          <Select id={`${prefix}-kind`} name="kind" label={t("planEditor.kindLabel")} value={s?.kind ?? "PHASE_GATE"} options={kindOptions} />
          <Select id={`${prefix}-phase`} name="phaseId" label={t("planEditor.phase")} value={s?.phaseId} options={phaseOptions} />
          <TextField id={`${prefix}-due`} name="dueAt" type="date" label={t("planEditor.due")} value={ymd(s?.dueAt)} />
          <TextField id={`${prefix}-amount`} name="amount" label={t("planEditor.amount")} value={s?.amountCents != null ? (Number(s.amountCents) / 100).toString() : ""} />
          <TextField id={`${prefix}-currency`} name="currency" label={t("planEditor.currency")} value={s?.currency} maxLength={3} />
        </div>
        <Fieldset legend={t("planEditor.approvers")}>
          {deciders.map((c) => (
            <Checkbox key={c.key} id={`${prefix}-approver-${c.key}`} name="approvers" value={c.key} label={roleName(c)} checked={approvers.has(c.key)} />
          ))}
        </Fieldset>
        <div className={grid}>
          <Select
            id={`${prefix}-rule`}
            name="rule"
            label={t("planEditor.rule")}
            value={s?.everyRole ? "every" : "count"}
            options={[
              { value: "count", label: t("planEditor.ruleCount") },
              { value: "every", label: t("planEditor.ruleEvery") },
            ]}
          />
          <TextField id={`${prefix}-needed`} name="approvalsNeeded" type="number" label={t("planEditor.approvalsNeeded")} value={s?.approvalsNeeded ?? 1} />
          <Checkbox id={`${prefix}-gate`} name="requiredForGate" label={t("planEditor.requiredForGate")} checked={s ? s.requiredForGate : true} />
        </div>
        <TextArea id={`${prefix}-description`} name="description" label={t("planEditor.description")} value={s?.description} rows={2} />
      </div>
    );
  };

  const groups = [
    ...data.phases.map((p) => ({ key: p.id, title: t("planEditor.phaseItems", { name: `${p.position}. ${p.name}` }), list: "PHASE" as const, phaseId: p.id as string | null, closed: closedPhase.has(p.id) })),
    { key: "IMMEDIATE", title: t("planEditor.list.IMMEDIATE"), list: "IMMEDIATE" as const, phaseId: null, closed: false },
    { key: "NEXT_24H", title: t("planEditor.list.NEXT_24H"), list: "NEXT_24H" as const, phaseId: null, closed: false },
  ];
  const readingGroups = [...new Set(data.reading.map((e) => e.roleKey))].map((key) => ({
    key,
    title: roleName(choices.find((c) => c.key === key) ?? { name: key, role: "VIEWER" }),
    entries: data.reading.filter((e) => e.roleKey === key),
  }));

  const groupOptions = data.criterionGroups.map((g) => ({ value: g.id, label: g.name }));
  const roleLabelOf = (role: string, custom: string | null) => {
    const choice = choices.find((c) => c.key === (custom ?? role));
    return choice ? roleName(choice) : role;
  };
  const contactFields = (prefix: string, c?: (typeof data.contacts)[number]) => (
    <div className={grid}>
      <TextField id={`${prefix}-topic`} name="topic" label={t("planEditor.topic")} value={c?.topic} required maxLength={200} />
      <Select id={`${prefix}-role`} name="role" label={t("planEditor.role")} value={c ? keyOf(c.role, c.customRoleId) : ""} options={[{ value: "", label: t("planEditor.chooseRole") }, ...roleOptions]} required />
      <TextField id={`${prefix}-label`} name="roleLabel" label={t("planEditor.roleLabel")} value={c?.roleLabel} maxLength={120} />
      <div className="sm:col-span-2 lg:col-span-3">
        <TextArea id={`${prefix}-notes`} name="notes" label={t("planEditor.notes")} value={c?.notes} rows={2} />
      </div>
    </div>
  );
  const milestoneFields = (prefix: string, m?: (typeof data.milestones)[number]) => (
    <div className={grid}>
      <TextField id={`${prefix}-label`} name="label" label={t("planEditor.label")} value={m?.label} required maxLength={200} />
      <TextField id={`${prefix}-starts`} name="startsAt" type="date" label={t("planEditor.startsAt")} value={ymd(m?.startsAt)} required />
      <TextField id={`${prefix}-ends`} name="endsAt" type="date" label={t("planEditor.endsAt")} value={ymd(m?.endsAt)} />
      <Select id={`${prefix}-phase`} name="phaseId" label={t("planEditor.phase")} value={m?.phaseId} options={phaseOptions} />
      <div className="sm:col-span-2">
        <TextArea id={`${prefix}-details`} name="details" label={t("planEditor.details")} value={m?.details.join("\n")} rows={2} />
      </div>
    </div>
  );

  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm font-medium text-slate-600">{data.rollout.name}</p>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("planEditor.heading")}</h1>
        <p className="text-slate-600">{t("planEditor.intro")}</p>
        {data.phases.length === 0 ? (
          // Display only: the import checks `plan.import` and that nothing is recorded yet.
          <p className="mt-2 text-slate-600">
            {t("import.overviewEmpty")}{" "}
            <Link href={`/r/${slug}/import`} className="font-medium text-green-800 underline">
              {t("import.importIntoLink")}
            </Link>
          </p>
        ) : null}
      </div>

      <Section id="edit-roles" title={t("planEditor.roles")}>
        <p className="text-sm text-slate-600">{t("planEditor.rolesIntro")}</p>
        <ul className="flex flex-col gap-3">
          {choices.filter((c) => !c.builtIn).map((c) => (
            <li key={`${c.key}-${c.version}`} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3">
              <p className="text-sm text-slate-600">{t("planEditor.roleSummary", { slug: c.slug, base: t(`roles.${c.role}`) })}</p>
              <EditForm action={plan.renameCustomRoleAction} hidden={{ roleId: c.key, version: c.version ?? 1 }} submitLabel={t("planEditor.save")}>
                <TextField id={`role-${c.key}-name`} name="name" label={t("planEditor.name")} value={c.name} required maxLength={80} />
              </EditForm>
              {remove(plan.deleteCustomRoleAction, c.key, c.version ?? 1)}
            </li>
          ))}
        </ul>
        <details className="rounded-md border border-slate-200 p-3">
          <summary className="cursor-pointer font-medium">{t("planEditor.addRole")}</summary>
          <EditForm action={plan.createCustomRoleAction} hidden={{ rolloutId }} submitLabel={t("planEditor.add")} className="mt-2 flex flex-col gap-2">
            <div className={grid}>
              <TextField id="new-role-name" name="name" label={t("planEditor.name")} required maxLength={80} placeholder={t("planEditor.roleNameExample")} />
              <TextField id="new-role-slug" name="slug" label={t("planEditor.slug")} required maxLength={40} placeholder="qa-lead" />
              <Select id="new-role-base" name="baseRole" label={t("planEditor.baseRole")} value="DEVOPS" options={ALL_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
            </div>
          </EditForm>
        </details>
      </Section>

      <Section id="edit-phases" title={t("planEditor.phases")}>
        <ol className="flex flex-col gap-3">
          {data.phases.map((p) => (
            <li key={`${p.id}-${p.version}`} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3">
              <h3 className="font-semibold">{t("planEditor.phaseNumber", { number: p.position, name: p.name })}</h3>
              {closedPhase.has(p.id) ? (
                <>
                  {closedNote}
                  <EditForm action={transitionPhaseAction} hidden={{ phaseId: p.id, version: p.version, transition: "reopen" }} submitLabel={t("planEditor.reopen")} tone="secondary">
                    <TextField id={`phase-${p.id}-reason`} name="reason" label={t("planEditor.reopenReason")} required maxLength={1000} />
                  </EditForm>
                </>
              ) : (
                <>
                  <EditForm action={plan.updatePhaseAction} hidden={{ id: p.id, version: p.version }} submitLabel={t("planEditor.save")}>
                    <div className={grid}>
                      <TextField id={`phase-${p.id}-name`} name="name" label={t("planEditor.name")} value={p.name} required maxLength={200} />
                      <TextField id={`phase-${p.id}-window`} name="window" label={t("planEditor.window")} value={p.window} maxLength={100} />
                      <TextField id={`phase-${p.id}-start`} name="plannedStart" type="date" label={t("planEditor.plannedStart")} value={ymd(p.plannedStart)} />
                      <TextField id={`phase-${p.id}-end`} name="plannedEnd" type="date" label={t("planEditor.plannedEnd")} value={ymd(p.plannedEnd)} />
                    </div>
                    <TextArea id={`phase-${p.id}-goal`} name="goal" label={t("planEditor.goal")} value={p.goal} rows={2} />
                    <Checkbox id={`phase-${p.id}-optional`} name="optional" label={t("planEditor.optionalPhase")} checked={p.optional} />
                  </EditForm>
                  <div className="flex flex-wrap items-start gap-2">
                    {moveButtons(plan.movePhaseAction, p.id, p.version)}
                    {remove(plan.deletePhaseAction, p.id, p.version)}
                  </div>
                </>
              )}
            </li>
          ))}
        </ol>
        <details className="rounded-md border border-slate-200 p-3" open={data.phases.length === 0}>
          <summary className="cursor-pointer font-medium">{t("planEditor.addPhase")}</summary>
          <EditForm action={plan.createPhaseAction} hidden={{ rolloutId }} submitLabel={t("planEditor.add")} className="mt-2 flex flex-col gap-2">
            <div className={grid}>
              <TextField id="new-phase-name" name="name" label={t("planEditor.name")} required maxLength={200} />
              <TextField id="new-phase-window" name="window" label={t("planEditor.window")} maxLength={100} />
              <TextField id="new-phase-start" name="plannedStart" type="date" label={t("planEditor.plannedStart")} />
              <TextField id="new-phase-end" name="plannedEnd" type="date" label={t("planEditor.plannedEnd")} />
            </div>
            <TextArea id="new-phase-goal" name="goal" label={t("planEditor.goal")} rows={2} />
            <Checkbox id="new-phase-optional" name="optional" label={t("planEditor.optionalPhase")} />
          </EditForm>
        </details>
      </Section>

      <Section id="edit-items" title={t("planEditor.items")}>
        {groups.map((g) => {
          const items = data.items.filter((i) => i.list === g.list && i.phaseId === g.phaseId);
          return (
            <div key={g.key} className="flex flex-col gap-2">
              <h3 className="font-semibold">{g.title}</h3>
              {g.closed ? closedNote : null}
              <ul className="flex flex-col gap-2">
                {items.map((i) => (
                  <li key={`${i.id}-${i.version}`} className="rounded-md border border-slate-200 p-2">
                    <details>
                      <summary className="cursor-pointer text-sm">
                        {i.text}
                        {i.state !== "OPEN" ? <span className="ml-2 text-xs text-slate-600">({t(`itemState.${i.state}`)})</span> : null}
                      </summary>
                      {g.closed ? null : (
                        <div className="mt-2 flex flex-col gap-2">
                          <EditForm action={plan.updateItemAction} hidden={{ id: i.id, version: i.version }} submitLabel={t("planEditor.save")}>
                            {itemFields(`item-${i.id}`, i)}
                          </EditForm>
                          <div className="flex flex-wrap items-start gap-2">
                            {moveButtons(plan.moveItemAction, i.id, i.version)}
                            {remove(plan.deleteItemAction, i.id, i.version)}
                          </div>
                        </div>
                      )}
                    </details>
                  </li>
                ))}
              </ul>
              {g.closed ? null : (
                <details className="rounded-md border border-dashed border-slate-300 p-2">
                  <summary className="cursor-pointer text-sm font-medium">{t("planEditor.addItem")}</summary>
                  <EditForm action={plan.createItemAction} hidden={{ rolloutId }} submitLabel={t("planEditor.add")} className="mt-2 flex flex-col gap-2">
                    {itemFields(`new-item-${g.key}`, undefined, g.phaseId)}
                  </EditForm>
                </details>
              )}
            </div>
          );
        })}
      </Section>

      <Section id="edit-sign-offs" title={t("planEditor.signOffs")}>
        <ul className="flex flex-col gap-2">
          {data.signOffs.map((s) => {
            const closed = s.phaseId !== null && closedPhase.has(s.phaseId);
            return (
              <li key={`${s.id}-${s.version}`} className="rounded-md border border-slate-200 p-2">
                <details>
                  <summary className="cursor-pointer text-sm">
                    {s.title} <span className="text-xs text-slate-600">({t(`signOffStatus.${s.status}`)})</span>
                  </summary>
                  {closed ? closedNote : (
                    <div className="mt-2 flex flex-col gap-2">
                      <EditForm action={plan.updateSignOffAction} hidden={{ id: s.id, version: s.version }} submitLabel={t("planEditor.save")}>
                        {signOffFields(`signoff-${s.id}`, s)}
                      </EditForm>
                      {s._count.decisions === 0 ? remove(plan.deleteSignOffAction, s.id, s.version) : <p className="text-xs text-slate-600">{t("planEditor.decidedCannotRemove")}</p>}
                    </div>
                  )}
                </details>
              </li>
            );
          })}
        </ul>
        <details className="rounded-md border border-dashed border-slate-300 p-2">
          <summary className="cursor-pointer text-sm font-medium">{t("planEditor.addSignOff")}</summary>
          <EditForm action={plan.createSignOffAction} hidden={{ rolloutId }} submitLabel={t("planEditor.add")} className="mt-2 flex flex-col gap-2">
            {signOffFields("new-signoff")}
          </EditForm>
        </details>
      </Section>

      <Section id="edit-documents" title={t("planEditor.documents")}>
        <ul className="flex flex-col gap-2">
          {data.documents.map((d) => (
            <li key={`${d.id}-${d.version}`} className="rounded-md border border-slate-200 p-2">
              <details>
                <summary className="cursor-pointer text-sm">{d.title}</summary>
                <div className="mt-2 flex flex-col gap-2">
                  <EditForm action={plan.updateDocumentAction} hidden={{ id: d.id, version: d.version }} submitLabel={t("planEditor.save")}>
                    <div className={grid}>
                      <TextField id={`doc-${d.id}-title`} name="title" label={t("planEditor.title")} value={d.title} required maxLength={200} />
                      <TextField id={`doc-${d.id}-path`} name="path" label={t("planEditor.pathOrLink")} value={d.url ?? d.path} maxLength={500} />
                    </div>
                    <TextArea id={`doc-${d.id}-body`} name="body" label={t("planEditor.body")} value={d.body} rows={4} />
                  </EditForm>
                  {remove(plan.deleteDocumentAction, d.id, d.version)}
                </div>
              </details>
            </li>
          ))}
        </ul>
        <details className="rounded-md border border-dashed border-slate-300 p-2">
          <summary className="cursor-pointer text-sm font-medium">{t("planEditor.addDocument")}</summary>
          <EditForm action={plan.createDocumentAction} hidden={{ rolloutId }} submitLabel={t("planEditor.add")} className="mt-2 flex flex-col gap-2">
            <div className={grid}>
              <TextField id="new-doc-title" name="title" label={t("planEditor.title")} required maxLength={200} />
              <TextField id="new-doc-path" name="path" label={t("planEditor.pathOrLink")} maxLength={500} placeholder="docs/runbook.md" />
            </div>
            <TextArea id="new-doc-body" name="body" label={t("planEditor.body")} rows={4} />
          </EditForm>
        </details>
      </Section>

      <Section id="edit-reading" title={t("planEditor.reading")}>
        {readingGroups.map((g) => (
          <div key={g.key} className="flex flex-col gap-2">
            <h3 className="font-semibold">{g.title}</h3>
            <ol className="flex flex-col gap-2">
              {g.entries.map((e) => (
                <li key={`${e.id}-${e.version}`} className="flex flex-col gap-2 rounded-md border border-slate-200 p-2">
                  <p className="text-sm">{e.position + 1}. {e.document.title}</p>
                  <EditForm action={plan.updateReadingEntryAction} hidden={{ id: e.id, version: e.version }} submitLabel={t("planEditor.save")}>
                    <div className={grid}>
                      <TextField id={`reading-${e.id}-minutes`} name="minutes" type="number" label={t("planEditor.minutes")} value={e.minutes} required />
                      <TextField id={`reading-${e.id}-hint`} name="sectionHint" label={t("planEditor.sectionHint")} value={e.sectionHint} maxLength={200} />
                    </div>
                  </EditForm>
                  <div className="flex flex-wrap items-start gap-2">
                    {moveButtons(plan.moveReadingEntryAction, e.id, e.version)}
                    {remove(plan.deleteReadingEntryAction, e.id, e.version)}
                  </div>
                </li>
              ))}
            </ol>
          </div>
        ))}
        {data.documents.length === 0 ? (
          <p className="text-sm text-slate-600">{t("planEditor.readingNeedsDocument")}</p>
        ) : (
          <details className="rounded-md border border-dashed border-slate-300 p-2">
            <summary className="cursor-pointer text-sm font-medium">{t("planEditor.addReading")}</summary>
            <EditForm action={plan.createReadingEntryAction} hidden={{ rolloutId }} submitLabel={t("planEditor.add")} className="mt-2 flex flex-col gap-2">
              <div className={grid}>
                <Select id="new-reading-role" name="role" label={t("planEditor.role")} options={roleOptions} required />
                <Select id="new-reading-document" name="documentId" label={t("planEditor.document")} options={data.documents.map((d) => ({ value: d.id, label: d.title }))} required />
                <TextField id="new-reading-minutes" name="minutes" type="number" label={t("planEditor.minutes")} value={15} required />
                <TextField id="new-reading-hint" name="sectionHint" label={t("planEditor.sectionHint")} maxLength={200} />
              </div>
            </EditForm>
          </details>
        )}
      </Section>

      <Section id="edit-criteria" title={t("planEditor.criteria")}>
        <p className="text-sm text-slate-600">{t("planEditor.criteriaIntro")}</p>
        {data.criterionGroups.map((g) => {
          const verified = g.criteria.some((c) => c.verifiedAt !== null);
          return (
            <div key={`${g.id}-${g.version}`} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3">
              <h3 className="font-semibold">{g.name}</h3>
              <EditForm action={plan.renameCriterionGroupAction} hidden={{ id: g.id, version: g.version }} submitLabel={t("planEditor.save")}>
                <TextField id={`group-${g.id}-name`} name="name" label={t("planEditor.groupName")} value={g.name} required maxLength={200} />
              </EditForm>
              <div className="flex flex-wrap items-start gap-2">
                {moveButtons(plan.moveCriterionGroupAction, g.id, g.version)}
                {verified ? <p className="text-xs text-slate-500">{t("planEditor.groupVerifiedCannotRemove")}</p> : remove(plan.deleteCriterionGroupAction, g.id, g.version)}
              </div>
              <ul className="flex flex-col gap-2">
                {g.criteria.map((c) => (
                  <li key={`${c.id}-${c.version}`} className="rounded-md border border-slate-200 p-2">
                    <details>
                      <summary className="cursor-pointer text-sm">
                        {c.text}
                        {c.verifiedAt ? <span className="ml-2 text-xs text-slate-500">({t("planEditor.verified")})</span> : null}
                      </summary>
                      <div className="mt-2 flex flex-col gap-2">
                        <EditForm action={plan.updateCriterionAction} hidden={{ id: c.id, version: c.version }} submitLabel={t("planEditor.save")}>
                          <div className={grid}>
                            <div className="sm:col-span-2">
                              <TextField id={`criterion-${c.id}-text`} name="text" label={t("planEditor.text")} value={c.text} required maxLength={2000} />
                            </div>
                            <Select id={`criterion-${c.id}-group`} name="groupId" label={t("planEditor.group")} value={g.id} options={groupOptions} />
                          </div>
                        </EditForm>
                        <div className="flex flex-wrap items-start gap-2">
                          {moveButtons(plan.moveCriterionAction, c.id, c.version)}
                          {c.verifiedAt ? <p className="text-xs text-slate-500">{t("planEditor.verifiedCannotRemove")}</p> : remove(plan.deleteCriterionAction, c.id, c.version)}
                        </div>
                      </div>
                    </details>
                  </li>
                ))}
              </ul>
              <details className="rounded-md border border-dashed border-slate-300 p-2">
                <summary className="cursor-pointer text-sm font-medium">{t("planEditor.addCriterion")}</summary>
                <EditForm action={plan.createCriterionAction} hidden={{ rolloutId, groupId: g.id }} submitLabel={t("planEditor.add")} className="mt-2 flex flex-col gap-2">
                  <TextField id={`new-criterion-${g.id}-text`} name="text" label={t("planEditor.text")} required maxLength={2000} />
                </EditForm>
              </details>
            </div>
          );
        })}
        {data.criterionGroups.length === 0 ? <p className="text-sm text-slate-600">{t("planEditor.criteriaNeedGroup")}</p> : null}
        <details className="rounded-md border border-dashed border-slate-300 p-2">
          <summary className="cursor-pointer text-sm font-medium">{t("planEditor.addGroup")}</summary>
          <EditForm action={plan.createCriterionGroupAction} hidden={{ rolloutId }} submitLabel={t("planEditor.add")} className="mt-2 flex flex-col gap-2">
            <TextField id="new-group-name" name="name" label={t("planEditor.groupName")} required maxLength={200} />
          </EditForm>
        </details>
      </Section>

      <Section id="edit-contacts" title={t("planEditor.contacts")}>
        <p className="text-sm text-slate-600">{t("planEditor.contactsIntro")}</p>
        <ol className="flex flex-col gap-2">
          {data.contacts.map((c) => (
            <li key={`${c.id}-${c.version}`} className="rounded-md border border-slate-200 p-2">
              <details>
                <summary className="cursor-pointer text-sm">
                  {c.topic} <span className="text-xs text-slate-500">({roleLabelOf(c.role, c.customRoleId)})</span>
                </summary>
                <div className="mt-2 flex flex-col gap-2">
                  <EditForm action={plan.updateContactAction} hidden={{ id: c.id, version: c.version }} submitLabel={t("planEditor.save")}>
                    {contactFields(`contact-${c.id}`, c)}
                  </EditForm>
                  <div className="flex flex-wrap items-start gap-2">
                    {moveButtons(plan.moveContactAction, c.id, c.version)}
                    {remove(plan.deleteContactAction, c.id, c.version)}
                  </div>
                </div>
              </details>
            </li>
          ))}
        </ol>
        <details className="rounded-md border border-dashed border-slate-300 p-2">
          <summary className="cursor-pointer text-sm font-medium">{t("planEditor.addContact")}</summary>
          <EditForm action={plan.createContactAction} hidden={{ rolloutId }} submitLabel={t("planEditor.add")} className="mt-2 flex flex-col gap-2">
            {contactFields("new-contact")}
          </EditForm>
        </details>
      </Section>

      <Section id="edit-milestones" title={t("planEditor.milestones")}>
        <p className="text-sm text-slate-600">{t("planEditor.milestonesIntro")}</p>
        <ul className="flex flex-col gap-2">
          {data.milestones.map((m) => (
            <li key={`${m.id}-${m.version}`} className="rounded-md border border-slate-200 p-2">
              <details>
                <summary className="cursor-pointer text-sm">{t("planEditor.milestoneSummary", { date: format.dateTime(m.startsAt, { dateStyle: "medium", timeZone: "UTC" }), label: m.label })}</summary>
                <div className="mt-2 flex flex-col gap-2">
                  <EditForm action={plan.updateMilestoneAction} hidden={{ id: m.id, version: m.version }} submitLabel={t("planEditor.save")}>
                    {milestoneFields(`milestone-${m.id}`, m)}
                  </EditForm>
                  {remove(plan.deleteMilestoneAction, m.id, m.version)}
                </div>
              </details>
            </li>
          ))}
        </ul>
        <details className="rounded-md border border-dashed border-slate-300 p-2">
          <summary className="cursor-pointer text-sm font-medium">{t("planEditor.addMilestone")}</summary>
          <EditForm action={plan.createMilestoneAction} hidden={{ rolloutId }} submitLabel={t("planEditor.add")} className="mt-2 flex flex-col gap-2">
            {milestoneFields("new-milestone")}
          </EditForm>
        </details>
      </Section>
    </div>
  );
}
