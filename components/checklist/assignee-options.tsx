"use client";

import { createContext, useContext, useRef, type ReactNode } from "react";
import { listItemAssigneesAction } from "@/lib/actions/checklist";

export type Assignable = { id: string; name: string };

type Assignees = {
  /** The people given with the page, if any (a row opened server-side, or a page that still sends them). */
  people: readonly Assignable[] | null;
  /** The people an item may be assigned to, asked for once per list (the answer is shared by its rows). */
  load: (itemId: string) => Promise<readonly Assignable[]>;
};

/** Asks the server; a refusal or a lost connection leaves the picker with what it shows. */
async function ask(itemId: string): Promise<readonly Assignable[]> {
  const result = await listItemAssigneesAction({ itemId });
  if (!result.ok) throw new Error(result.message);
  return result.data ?? [];
}

const AssigneeContext = createContext<Assignees>({ people: null, load: ask });

/**
 * Where a page's checklist rows find the people they may be assigned to. Rows carry no
 * member list: a picker asks the server for it when it opens (once per page: the first
 * answer is shared), unless the page gave `people` (a row it renders open, without
 * JavaScript). `people` is optional; an empty list counts as not given.
 */
export function AssigneeOptions({ people, children }: { people?: readonly Assignable[]; children: ReactNode }) {
  const pending = useRef<Promise<readonly Assignable[]> | null>(null);
  const given = people && people.length > 0 ? people : null;
  const load = (itemId: string) => {
    if (given) return Promise.resolve(given);
    pending.current ??= ask(itemId).catch((error: unknown) => {
      // Asked again next time (by this row or another one).
      pending.current = null;
      throw error;
    });
    return pending.current;
  };
  return <AssigneeContext.Provider value={{ people: given, load }}>{children}</AssigneeContext.Provider>;
}

export function useAssignees(): Assignees {
  return useContext(AssigneeContext);
}
