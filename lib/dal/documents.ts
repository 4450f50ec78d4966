import "server-only";
import { assertCan, getMemberships } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import type { Role } from "../generated/prisma/enums";

/** A reading-list entry that names a document, with the actor's own read state. */
export type DocumentEntry = {
  id: string;
  role: Role;
  position: number;
  minutes: number;
  sectionHint: string | null;
  /** Whether the actor holds the entry's role, i.e. whether it is on their reading list. */
  mine: boolean;
  readAt: Date | null;
};

export type DocumentListItem = {
  id: string;
  key: string;
  title: string;
  path: string | null;
  url: string | null;
  entries: DocumentEntry[];
};

export type DocumentList = {
  rollout: { id: string; slug: string; name: string };
  roles: Role[];
  /** One page of the documents, by title. */
  documents: DocumentListItem[];
  /** How many documents the rollout has, the page shown (a page past the last is the last) and how many pages. */
  count: number;
  page: number;
  pages: number;
};

/** Documents per page of the documents list (each card lists the reading-list entries naming it). */
export const DOCUMENTS_PAGE_SIZE = 30;

export type DocumentPage = {
  rollout: { id: string; slug: string; name: string; archived: boolean };
  roles: Role[];
  document: {
    id: string;
    key: string;
    title: string;
    path: string | null;
    url: string | null;
    summary: string[];
    action: string | null;
    /** Markdown as stored: render it only through `renderMarkdown`. */
    body: string | null;
    updatedAt: Date;
  };
  entries: DocumentEntry[];
};

/** The rollout of `slug` if the actor may view it; NOT_FOUND for rollouts they do not belong to. */
async function viewableRollout(actor: Actor, slug: string) {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  const roles = await assertCan(actor, membership.rolloutId, "rollout.view");
  return { rollout: { id: membership.rolloutId, slug: membership.slug, name: membership.name, archived: membership.archived }, roles };
}

const ENTRY_SELECT = (userId: string) =>
  ({
    id: true,
    role: true,
    position: true,
    minutes: true,
    sectionHint: true,
    readStates: { where: { userId }, select: { readAt: true } },
  }) as const;

type EntryRow = {
  id: string;
  role: Role;
  position: number;
  minutes: number;
  sectionHint: string | null;
  readStates: { readAt: Date }[];
};

function toEntry(row: EntryRow, roles: Role[]): DocumentEntry {
  return {
    id: row.id,
    role: row.role,
    position: row.position,
    minutes: row.minutes,
    sectionHint: row.sectionHint,
    mine: roles.includes(row.role),
    readAt: row.readStates[0]?.readAt ?? null,
  };
}

/**
 * One page of the rollout's documents (by title), each with the reading-list entries that
 * name it (role, position, minutes, section hint) and whether the actor has read it. Two
 * queries in parallel after the membership lookup: how many there are, and the page.
 */
export async function listDocuments(actor: Actor, slug: string, page = 1): Promise<DocumentList> {
  const { rollout, roles } = await viewableRollout(actor, slug);
  const db = getDb();
  const count = await db.document.count({ where: { rolloutId: rollout.id } });
  const pages = Math.max(1, Math.ceil(count / DOCUMENTS_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.floor(page)), pages);
  const rows = await db.document.findMany({
    where: { rolloutId: rollout.id },
    select: {
      id: true,
      key: true,
      title: true,
      path: true,
      url: true,
      entries: { select: ENTRY_SELECT(actor.id), orderBy: [{ role: "asc" }, { position: "asc" }] },
    },
    orderBy: [{ title: "asc" }, { id: "asc" }],
    skip: (current - 1) * DOCUMENTS_PAGE_SIZE,
    take: DOCUMENTS_PAGE_SIZE,
  });
  return {
    rollout,
    roles,
    documents: rows.map(({ entries, ...document }) => ({ ...document, entries: entries.map((entry) => toEntry(entry, roles)) })),
    count,
    page: current,
    pages,
  };
}

/**
 * One document of the rollout, with the reading-list entries that name it. A document of
 * another rollout answers NOT_FOUND, even when the actor belongs to that other rollout:
 * the URL names the rollout.
 */
export async function getDocumentForPage(actor: Actor, slug: string, documentId: string): Promise<DocumentPage> {
  const { rollout, roles } = await viewableRollout(actor, slug);
  const row = await getDb().document.findFirst({
    where: { id: documentId, rolloutId: rollout.id },
    select: {
      id: true,
      key: true,
      title: true,
      path: true,
      url: true,
      summary: true,
      action: true,
      body: true,
      updatedAt: true,
      entries: { select: ENTRY_SELECT(actor.id), orderBy: [{ role: "asc" }, { position: "asc" }] },
    },
  });
  if (!row) throw new AppError("NOT_FOUND", { key: "errors.documents.noSuchDocument" });
  const { entries, ...document } = row;
  return { rollout, roles, document, entries: entries.map((entry) => toEntry(entry, roles)) };
}
