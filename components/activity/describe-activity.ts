import type { ActivityEvent } from "@/lib/dal/activity";

// One readable sentence per audit action, in the reader's language. Pure: it takes the
// translator of the request (root namespace), so it runs the same in pages and tests.

export type Translate = (key: string, values?: Record<string, string | number>) => string;

export type ActivityDescription = { sentence: string; details: string[] };

type DescribedEvent = Pick<ActivityEvent, "action" | "actor" | "target" | "targetType" | "before" | "after">;

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value : null);
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

const PHASE_SENTENCES: Record<string, string> = {
  "phase.start": "phaseStart",
  "phase.submit": "phaseSubmit",
  "phase.complete": "phaseComplete",
  "phase.block": "phaseBlock",
  "phase.unblock": "phaseUnblock",
  "phase.skip": "phaseSkip",
  "phase.reopen": "phaseReopen",
};

/** Actions told in a sentence that names only who acted. */
const PLAIN_SENTENCES: Record<string, string> = {
  "rollout.archived": "rolloutArchived",
  "rollout.unarchived": "rolloutUnarchived",
  "user.password.changed": "passwordChanged",
  "webhook.enabled": "webhookEnabled",
  "webhook.delivery.resent": "webhookResent",
  "service-account.token.revoked": "serviceAccountTokenRevoked",
};

export function describeActivity(event: DescribedEvent, t: Translate): ActivityDescription {
  const after = event.after ?? {};
  // The worker disables a failing webhook (with the failure as its reason); an admin may do so by hand.
  const failedWebhook = event.action === "webhook.disabled" && text(after.reason) !== null;
  const bySystem = event.action === "rollout.seeded" || event.action === "plan.imported" || failedWebhook;
  const actor = event.actor?.name ?? (bySystem ? t("activity.system") : t("activity.unknownPerson"));
  const target = event.target ?? t("activity.unknownTarget");
  const details: string[] = [];
  const detail = (key: "reason" | "comment" | "note" | "evidence", value: unknown) => {
    const v = text(value);
    if (v) details.push(t(`activity.detail.${key}`, { [key]: v }));
  };
  const roles = (value: unknown) =>
    list(value)
      .map((role) => (role.startsWith("custom:") ? t("activity.customRole") : t(`roles.${role}`)))
      .join(", ");
  const say = (key: string, values: Record<string, string | number> = {}) => t(`activity.sentence.${key}`, { actor, ...values });

  let sentence: string;
  switch (event.action) {
    case "item.state.changed":
      sentence = say("itemState", { item: target, state: text(after.state) ?? "OPEN" });
      if (after.state === "NOT_APPLICABLE") detail("reason", after.notApplicableReason);
      if (text(after.evidence) !== text(event.before?.evidence)) detail("evidence", after.evidence);
      break;
    case "item.evidence":
      sentence = text(after.evidence) ? say("itemEvidence", { item: target }) : say("itemEvidenceCleared", { item: target });
      detail("evidence", after.evidence);
      break;
    case "item.details.changed":
      sentence = say("itemDetails", { item: target });
      break;
    case "signoff.approved":
      sentence = say("signoffApproved", { title: target });
      detail("comment", after.comment);
      break;
    case "signoff.rejected":
      sentence = say("signoffRejected", { title: target });
      detail("comment", after.comment);
      break;
    case "signoff.decision.withdrawn":
      // A rollout admin withdrew someone else's decision: the event names its author and why.
      if (text(after.authorName) && after.authorId !== after.withdrawnById) {
        sentence = say("signoffWithdrawnByAdmin", { title: target, author: text(after.authorName)! });
        detail("reason", after.reason);
      } else {
        sentence = say("signoffWithdrawn", { title: target });
      }
      break;
    case "phase.gate.overridden": {
      sentence = say("gateOverridden", { phase: target });
      detail("reason", after.reason);
      const blockers = list(after.blockers);
      if (blockers.length > 0) details.push(t("activity.detail.blockers", { blockers: blockers.map((b) => `“${b}”`).join(", ") }));
      break;
    }
    case "member.roles.changed": {
      const wanted = list(after.roles);
      sentence = wanted.length > 0 ? say("rolesChanged", { user: target, roles: roles(wanted) }) : say("rolesRemoved", { user: target });
      break;
    }
    case "member.added":
      sentence = say("memberAdded", { user: target, roles: roles(after.roles) });
      break;
    case "member.removed":
      sentence = say("rolesRemoved", { user: target });
      break;
    case "rollout.created":
      sentence = say("rolloutCreated", { rollout: text(after.name) ?? target });
      break;
    case "rollout.template.created":
      sentence = say("templateCreated", { rollout: text(after.name) ?? target });
      break;
    case "user.created":
      sentence = say("userCreated", { user: target, roles: roles(after.roles) });
      break;
    case "user.deactivated":
      sentence = say("userDeactivated", { user: target });
      break;
    case "user.reactivated":
      sentence = say("userReactivated", { user: target });
      break;
    case "reading.read":
      sentence = say("readingRead", { document: target });
      break;
    case "reading.unread":
      sentence = say("readingUnread", { document: target });
      break;
    case "criterion.verified":
      sentence = say("criterionVerified", { criterion: target });
      detail("note", after.note);
      break;
    case "criterion.unverified":
      sentence = say("criterionUnverified", { criterion: target });
      detail("note", after.note);
      break;
    case "rollout.seeded":
      sentence = say("rolloutSeeded", { rollout: target });
      break;
    case "plan.imported": {
      sentence = say("planImported", { rollout: target });
      const counts = (after.counts ?? {}) as Record<string, unknown>;
      details.push(t("activity.detail.imported", { phases: Number(counts.phases ?? 0), items: Number(counts.items ?? 0), signOffs: Number(counts.signOffs ?? 0) }));
      const sha = text(after.sha256);
      if (sha) details.push(t("activity.detail.sha256", { sha256: sha }));
      break;
    }
    case "webhook.created":
      sentence = say("webhookCreated", { origin: text(after.origin) ?? target });
      if (list(after.events).length > 0) details.push(t("activity.detail.events", { events: list(after.events).join(", ") }));
      break;
    case "webhook.deleted":
      sentence = say("webhookDeleted", { origin: text(event.before?.origin) ?? target });
      break;
    case "webhook.disabled":
      if (failedWebhook) {
        sentence = say("webhookDisabled");
        detail("reason", after.reason);
      } else {
        sentence = say("webhookDisabledByHand", { origin: text(after.origin) ?? target });
      }
      break;
    case "service-account.created":
      sentence = say("serviceAccountCreated", { name: text(after.name) ?? target, roles: roles(after.roles) });
      if (list(after.scopes).length > 0) details.push(t("activity.detail.scopes", { scopes: list(after.scopes).join(", ") }));
      break;
    default:
      if (event.action.startsWith("plan.")) {
        // plan.<entity>.<created|updated|moved|deleted>, with what changed, before and after.
        const [, entity = "other", verb = "updated"] = event.action.split(".");
        sentence = say("planEdit", { verb, entity, target });
        const before = event.before ?? {};
        if (verb === "updated") {
          for (const field of Object.keys(after)) {
            const was = JSON.stringify(before[field] ?? null);
            const now = JSON.stringify(after[field] ?? null);
            if (was !== now) details.push(t("activity.detail.change", { field, before: was, after: now }));
          }
        }
      } else if (PLAIN_SENTENCES[event.action]) {
        sentence = say(PLAIN_SENTENCES[event.action]);
      } else if (PHASE_SENTENCES[event.action]) {
        sentence = say(PHASE_SENTENCES[event.action], { phase: target });
        detail("reason", after.reason);
      } else {
        sentence = say("unknown", { action: event.action });
      }
  }
  return { sentence, details };
}
