"use client";

import { useState } from "react";
import { listAssignedPeopleAction } from "@/lib/actions/checklist";

type Person = { id: string; name: string };

/**
 * The checklist's assignee filter. The page does not carry everyone items are assigned to
 * (a hundred names on a large plan, twice: HTML and payload): the select offers "any", "me"
 * and the chosen person, and asks the server for the rest when it is focused. Without
 * JavaScript, a link asks for the page with every name listed (`people`).
 */
export function AssigneeFilter({
  slug,
  value,
  selected,
  people: given,
  everyoneHref,
  labels,
}: {
  slug: string;
  /** The filter's value now: "", "me" or a person's id. */
  value: string;
  /** The chosen person, when the filter names one. */
  selected: Person | null;
  /** Everyone, when the page was asked for them (the link for browsers without JavaScript). */
  people?: readonly Person[];
  everyoneHref: string;
  labels: { label: string; any: string; me: string; everyone: string; unavailable: string };
}) {
  const [people, setPeople] = useState<readonly Person[] | null>(given ?? null);
  const [asked, setAsked] = useState(false);
  const [failed, setFailed] = useState(false);
  function load() {
    if (people || asked) return;
    setAsked(true);
    listAssignedPeopleAction({ slug }).then(
      (result) => {
        if (result.ok) setPeople(result.data ?? []);
        else {
          setFailed(true);
          setAsked(false);
        }
      },
      () => {
        setFailed(true);
        setAsked(false);
      },
    );
  }
  const shown = people ?? (selected ? [selected] : []);
  return (
    <label className="flex flex-col gap-1 text-sm">
      {labels.label}
      <select name="assignee" defaultValue={value} onFocus={load} onPointerDown={load} aria-busy={asked && !people} className="rounded border border-slate-300 px-2 py-1 text-sm">
        <option value="">{labels.any}</option>
        <option value="me">{labels.me}</option>
        {shown.map((person) => (
          <option key={person.id} value={person.id}>{person.name}</option>
        ))}
      </select>
      {people ? null : (
        <noscript>
          <a href={everyoneHref} className="text-xs text-green-800 underline">{labels.everyone}</a>
        </noscript>
      )}
      {failed ? <span role="alert" className="text-xs text-red-700">{labels.unavailable}</span> : null}
    </label>
  );
}
