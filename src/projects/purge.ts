// Deleting one project's local data: its issues, MRs, threads, notes, events, links, files, labels,
// documents, embeddings and cursors. One statement does it: every table hangs off `projects` by a
// cascading foreign key (and documents, the search index and the vectors follow by triggers).

import type { Db } from "../db/open.js";
import { acquireSyncLock } from "../db/sync-lock.js";
import { refreshVectorIndex } from "../embedding/vector-index/write.js";

/**
 * Deletes the project's rows in one transaction, holding the sync lock so that no sync writes the
 * project meanwhile (SYNC_LOCKED while one runs). True when there was anything to delete.
 */
export function purgeProject(db: Db, projectId: number): boolean {
  const lock = acquireSyncLock(db, { owner: "project remove --purge" });
  try {
    const deleted = db.transaction(
      () => db.prepare("DELETE FROM projects WHERE id = ?").run(projectId).changes,
    );
    const purged = deleted.immediate() > 0;
    // Its vectors are gone: the index file is rebuilt without them (or dropped when small).
    if (purged) refreshVectorIndex(db);
    return purged;
  } finally {
    lock.release();
  }
}
