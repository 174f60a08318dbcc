// Derives the cross-references of issues and merge requests stored before lore kept references,
// from the stored rows alone (no requests). Runs once, as the first step of the next incremental or
// full sync: in batches of one transaction each, resuming after the last entity done when it was
// interrupted, and marked finished at the end. Entities synced meanwhile are written with their
// references already; doing one again replaces its rows with the same set.

import { throwIfCancelled } from "../core/errors.js";
import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { refreshReferences } from "./reference-store.js";

const DEFAULT_BATCH = 500;

interface BackfillState {
  next_issue_id: number;
  next_merge_request_id: number;
  finished_at: string | null;
}

const statements = perConnection((db) => ({
  state: db.prepare<[], BackfillState>(
    "SELECT next_issue_id, next_merge_request_id, finished_at FROM entity_references_backfill WHERE id = 1",
  ),
  remaining: db.prepare<[number, number], { n: number }>(`
    SELECT (SELECT COUNT(*) FROM issues WHERE id > ?) + (SELECT COUNT(*) FROM merge_requests WHERE id > ?) AS n`),
  ids: {
    issue: db.prepare<[number, number], { id: number }>(
      "SELECT id FROM issues WHERE id > ? ORDER BY id LIMIT ?",
    ),
    merge_request: db.prepare<[number, number], { id: number }>(
      "SELECT id FROM merge_requests WHERE id > ? ORDER BY id LIMIT ?",
    ),
  },
  advance: {
    issue: db.prepare("UPDATE entity_references_backfill SET next_issue_id = ? WHERE id = 1"),
    merge_request: db.prepare("UPDATE entity_references_backfill SET next_merge_request_id = ? WHERE id = 1"),
  },
  finish: db.prepare("UPDATE entity_references_backfill SET finished_at = ? WHERE id = 1"),
}));

/** True until the references of entities stored before they existed have been derived. */
export function referencesBackfillPending(db: Db): boolean {
  const state = statements(db).state.get();
  return state !== undefined && state.finished_at === null;
}

export interface BackfillOptions {
  readonly signal: AbortSignal;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
  /** Entities per transaction. */
  readonly batchSize?: number | undefined;
}

export interface BackfillResult {
  readonly entities: number;
  readonly references: number;
}

/** Derives the references of every stored entity not done yet; cancellable between batches. */
export async function backfillReferences(db: Db, options: BackfillOptions): Promise<BackfillResult> {
  const s = statements(db);
  const start = s.state.get();
  if (!start || start.finished_at !== null) return { entities: 0, references: 0 };
  const total = s.remaining.get(start.next_issue_id, start.next_merge_request_id)?.n ?? 0;
  let entities = 0;
  let references = 0;
  options.onProgress?.(0, total);
  for (const type of ["issue", "merge_request"] as const) {
    let after = type === "issue" ? start.next_issue_id : start.next_merge_request_id;
    for (;;) {
      throwIfCancelled(options.signal);
      const ids = s.ids[type].all(after, options.batchSize ?? DEFAULT_BATCH).map((row) => row.id);
      if (ids.length === 0) break;
      db.transaction(() => {
        for (const id of ids) references += refreshReferences(db, { type, id });
        after = ids.at(-1) as number;
        s.advance[type].run(after);
      }).immediate();
      entities += ids.length;
      options.onProgress?.(entities, total);
      // Lets a signal (Ctrl-C) be seen between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  s.finish.run(new Date().toISOString());
  return { entities, references };
}
