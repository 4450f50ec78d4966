import "server-only";
import { recordAudit } from "../audit/record";
import { assertCan, rolesIn } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import type { MarkReadInput } from "../validation/workflows";

/** Marks an entry of one of the actor's own reading lists as read or unread. */
export async function markRead(actor: Actor, input: MarkReadInput) {
  const db = getDb();
  const entry = await db.readingListEntry.findUnique({ where: { id: input.entryId }, include: { document: { select: { title: true } } } });
  if (!entry) throw new AppError("NOT_FOUND", { key: "errors.reading.noSuchEntry" });
  await assertCan(actor, entry.rolloutId, "reading.track");
  if (!(await rolesIn(actor, entry.rolloutId)).includes(entry.role)) {
    throw new AppError("FORBIDDEN", { key: "errors.reading.otherRole" });
  }
  return db.$transaction(async (tx) => {
    if (input.read) {
      const { count } = await tx.readState.createMany({ data: [{ entryId: entry.id, userId: actor.id }], skipDuplicates: true });
      if (count === 0) return { changed: false };
    } else {
      const { count } = await tx.readState.deleteMany({ where: { entryId: entry.id, userId: actor.id } });
      if (count === 0) return { changed: false };
    }
    await recordAudit(tx, {
      rolloutId: entry.rolloutId,
      actorId: actor.id,
      action: input.read ? "reading.read" : "reading.unread",
      targetType: "ReadingListEntry",
      targetId: entry.id,
      after: { document: entry.document.title, role: entry.role },
    });
    return { changed: true };
  });
}

/** A document of a rollout the actor belongs to, with the reading-list entries that name it. */
export async function getDocument(actor: Actor, documentId: string) {
  const db = getDb();
  const document = await db.document.findUnique({
    where: { id: documentId },
    include: { entries: { orderBy: [{ role: "asc" }, { position: "asc" }], include: { readStates: { where: { userId: actor.id } } } } },
  });
  if (!document) throw new AppError("NOT_FOUND", { key: "errors.documents.noSuchDocument" });
  const roles = await assertCan(actor, document.rolloutId, "rollout.view");
  return { document, roles };
}
