// Marks sources whose documents must be regenerated; the documents stage drains the queue.

import type { Statement } from "better-sqlite3";
import type { Db } from "../db/open.js";

export type DirtySourceType = "issue" | "merge_request" | "discussion";

const cache = new WeakMap<Db, Statement<[string, string, string]>>();

export function markDirty(db: Db, sourceType: DirtySourceType, sourceId: string | number): void {
  let stmt = cache.get(db);
  if (!stmt) {
    stmt = db.prepare(
      "INSERT INTO dirty_sources (source_type, source_id, queued_at) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET queued_at = excluded.queued_at",
    );
    cache.set(db, stmt);
  }
  stmt.run(sourceType, String(sourceId), new Date().toISOString());
}
