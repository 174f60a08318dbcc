// Marks sources whose documents must be regenerated; the documents stage drains the queue.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import type { SourceType } from "../documents/sources.js";

const statements = perConnection((db) => ({
  enqueue: db.prepare<[string, string, string]>(
    "INSERT INTO dirty_sources (source_type, source_id, queued_at) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET queued_at = excluded.queued_at",
  ),
  // A thread's document copies its parent's fields (title, state, project, URL), so it is derived
  // from the parent's row as much as from its own notes.
  enqueueThreads: {
    issue: db.prepare<[string, number]>(
      `INSERT INTO dirty_sources (source_type, source_id, queued_at)
       SELECT 'discussion', id, ? FROM discussions WHERE issue_id = ?
       ON CONFLICT DO UPDATE SET queued_at = excluded.queued_at`,
    ),
    merge_request: db.prepare<[string, number]>(
      `INSERT INTO dirty_sources (source_type, source_id, queued_at)
       SELECT 'discussion', id, ? FROM discussions WHERE merge_request_id = ?
       ON CONFLICT DO UPDATE SET queued_at = excluded.queued_at`,
    ),
  },
}));

export function markDirty(db: Db, sourceType: SourceType, sourceId: string | number): void {
  statements(db).enqueue.run(sourceType, String(sourceId), new Date().toISOString());
}

/**
 * Queues every document derived from an issue's or MR's row: its own and its threads'. Called
 * whenever the row changes, so no copy of the row's fields (whichever a renderer uses) outlives it.
 */
export function markEntityDirty(db: Db, type: "issue" | "merge_request", id: number): void {
  const now = new Date().toISOString();
  const s = statements(db);
  s.enqueue.run(type, String(id), now);
  s.enqueueThreads[type].run(now, id);
}
