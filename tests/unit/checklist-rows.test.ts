import { describe, expect, it } from "vitest";
import { compactRow } from "@/lib/view/checklist-rows";

// A row sent to the browser leaves out its empty fields (null, false): the row reads a
// missing field as empty. Whether the box can be ticked is always said.
describe("compactRow", () => {
  it("leaves out null and false fields of the item and of the row, and keeps the rest as they are", () => {
    const dueAt = new Date("2027-01-31T23:59:59Z");
    const row = compactRow({
      item: { id: "i1", text: "Back up the database", state: "OPEN", version: 3, optional: false, evidence: null, notApplicableReason: null, dueAt, ownerRole: "DBA", assigneeId: null, assigneeName: null, changedByName: null, stateChangedAt: null },
      canTick: true,
      overdue: false,
      assignable: true,
      assignOpen: false,
      locked: null,
    });
    expect(row).toEqual({ item: { id: "i1", text: "Back up the database", state: "OPEN", version: 3, dueAt, ownerRole: "DBA" }, canTick: true, assignable: true });
  });

  it("says that a box cannot be ticked, and why", () => {
    const row = compactRow({ item: { id: "i2", text: "Sign the budget", state: "DONE", version: 1, optional: true }, canTick: false, locked: { reason: "owner", ownerName: null } });
    expect(row).toEqual({ item: { id: "i2", text: "Sign the budget", state: "DONE", version: 1, optional: true }, canTick: false, locked: { reason: "owner", ownerName: null } });
  });
});
