// The incremental cursor per (project, resource): the last fully stored (updated_at, id).

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";

export type CursorResource = "issues" | "merge_requests";

export interface Cursor {
  readonly updatedAt: string;
  readonly lastId: number;
}

const statements = perConnection((db) => ({
  read: db.prepare<[number, CursorResource], { updated_at: string; last_id: number }>(
    "SELECT updated_at, last_id FROM sync_cursors WHERE project_id = ? AND resource = ?",
  ),
  // Moves forward only: an older position never replaces a newer one; synced_at always moves.
  advance: db.prepare<[number, CursorResource, string, number, string]>(`
    INSERT INTO sync_cursors (project_id, resource, updated_at, last_id, synced_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (project_id, resource) DO UPDATE SET
      updated_at = CASE WHEN (excluded.updated_at, excluded.last_id) > (sync_cursors.updated_at, sync_cursors.last_id)
        THEN excluded.updated_at ELSE sync_cursors.updated_at END,
      last_id = CASE WHEN (excluded.updated_at, excluded.last_id) > (sync_cursors.updated_at, sync_cursors.last_id)
        THEN excluded.last_id ELSE sync_cursors.last_id END,
      synced_at = excluded.synced_at`),
}));

export function readCursor(db: Db, projectId: number, resource: CursorResource): Cursor | undefined {
  const row = statements(db).read.get(projectId, resource);
  return row ? { updatedAt: row.updated_at, lastId: row.last_id } : undefined;
}

/** Call inside a transaction. */
export function advanceCursor(db: Db, projectId: number, resource: CursorResource, cursor: Cursor): void {
  statements(db).advance.run(projectId, resource, cursor.updatedAt, cursor.lastId, new Date().toISOString());
}

/** The `updated_after` to list from: the cursor minus the overlap window (clock skew, same-second edits). */
export function listFrom(cursor: Cursor | undefined, overlapSeconds: number): string | undefined {
  if (!cursor) return undefined;
  return new Date(Date.parse(cursor.updatedAt) - overlapSeconds * 1000).toISOString();
}
