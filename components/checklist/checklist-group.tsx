"use client";

import { useState } from "react";
import { ChecklistItemRow, type ChecklistRowItem } from "./checklist-item-row";

export type ChecklistGroupRow = {
  item: ChecklistRowItem;
  canTick: boolean;
  overdue?: boolean;
  assignable?: boolean;
  assignOpen?: boolean;
  locked?: { reason: "archived" | "closed" | "owner" | "rights"; ownerName: string | null } | null;
};

/**
 * A list of checklist rows that keeps a row the person just changed on screen (with its undo)
 * when the server's fresh list no longer holds it — a ticked item under an "open" filter, or
 * a done item in a to-do list — until the next navigation, which mounts a new list.
 */
export function ChecklistGroup({ rows }: { rows: ChecklistGroupRow[] }) {
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());
  const [shown, setShown] = useState(rows);
  const [source, setSource] = useState(rows);
  if (source !== rows) {
    // Fresh rows from the server: take them, and keep the ones changed here where they stood.
    setSource(rows);
    const fresh = new Map(rows.map((r) => [r.item.id, r]));
    const merged: ChecklistGroupRow[] = [];
    for (const row of shown) {
      const next = fresh.get(row.item.id);
      if (next) merged.push(next);
      else if (changed.has(row.item.id)) merged.push(row);
    }
    const placed = new Set(merged.map((r) => r.item.id));
    for (const row of rows) if (!placed.has(row.item.id)) merged.push(row);
    setShown(merged);
  }
  const onChanged = (id: string) => setChanged((current) => (current.has(id) ? current : new Set(current).add(id)));
  return (
    <ul className="divide-y divide-slate-100">
      {shown.map((row) => (
        <ChecklistItemRow key={row.item.id} {...row} onChanged={onChanged} />
      ))}
    </ul>
  );
}
