// Marks sources whose documents must be regenerated; the documents stage drains the queue.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import type { SourceType } from "../documents/sources.js";

const enqueue = perConnection((db) =>
  db.prepare<[string, string, string]>(
    "INSERT INTO dirty_sources (source_type, source_id, queued_at) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET queued_at = excluded.queued_at",
  ),
);

export function markDirty(db: Db, sourceType: SourceType, sourceId: string | number): void {
  enqueue(db).run(sourceType, String(sourceId), new Date().toISOString());
}
