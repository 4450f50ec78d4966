"use client";

import { createContext, useContext, type ReactNode } from "react";

export type Assignable = { id: string; name: string };

const AssigneeContext = createContext<readonly Assignable[]>([]);

/**
 * The people a page's checklist rows may be assigned to, sent to the browser once per page
 * (not once per row): each row only says whether it may be assigned, and fills its picker
 * from here when it is opened.
 */
export function AssigneeOptions({ people, children }: { people: readonly Assignable[]; children: ReactNode }) {
  return <AssigneeContext.Provider value={people}>{children}</AssigneeContext.Provider>;
}

export function useAssignees(): readonly Assignable[] {
  return useContext(AssigneeContext);
}
