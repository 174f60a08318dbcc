// Stores the state, label and milestone events of an issue or MR as the complete current set.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import type { GitLabResourceEvent } from "../gitlab/schemas.js";
import type { ParentRef } from "./discussions.js";
import { requiredIsoTime } from "./values.js";

export type EventKind = "state" | "label" | "milestone";

function eventRow(kind: EventKind, event: GitLabResourceEvent, parent: ParentRef, now: string) {
  return {
    kind,
    id: event.id,
    issue_id: parent.type === "issue" ? parent.id : null,
    merge_request_id: parent.type === "merge_request" ? parent.id : null,
    user_username: event.user?.username ?? null,
    created_at: requiredIsoTime(event.created_at, now),
    action: event.action ?? null,
    state: event.state ?? null,
    label_name: event.label?.name ?? null,
    milestone_title: event.milestone?.title ?? null,
    source_commit: event.source_commit ?? null,
    source_merge_request_id: event.source_merge_request_id ?? null,
    raw_json: JSON.stringify(event),
  };
}

/** Replaces one kind of events of the parent with `events`. Call inside a transaction. */
export function replaceResourceEvents(
  db: Db,
  parent: ParentRef,
  kind: EventKind,
  events: readonly GitLabResourceEvent[],
  now: string,
): number {
  const s = statements(db);
  const keep = new Set(events.map((e) => e.id));
  for (const { id } of s.existing[parent.type].all(kind, parent.id))
    if (!keep.has(id)) s.remove.run(kind, id);
  for (const event of events) s.upsert.run(eventRow(kind, event, parent, now));
  return events.length;
}

const statements = perConnection((db) => ({
  existing: {
    issue: db.prepare<[string, number], { id: number }>(
      "SELECT id FROM resource_events WHERE kind = ? AND issue_id = ?",
    ),
    merge_request: db.prepare<[string, number], { id: number }>(
      "SELECT id FROM resource_events WHERE kind = ? AND merge_request_id = ?",
    ),
  },
  remove: db.prepare("DELETE FROM resource_events WHERE kind = ? AND id = ?"),
  upsert: db.prepare(`
    INSERT INTO resource_events (kind, id, issue_id, merge_request_id, user_username, created_at, action, state,
      label_name, milestone_title, source_commit, source_merge_request_id, raw_json)
    VALUES (@kind, @id, @issue_id, @merge_request_id, @user_username, @created_at, @action, @state,
      @label_name, @milestone_title, @source_commit, @source_merge_request_id, @raw_json)
    ON CONFLICT (kind, id) DO UPDATE SET
      issue_id = excluded.issue_id, merge_request_id = excluded.merge_request_id, user_username = excluded.user_username,
      created_at = excluded.created_at, action = excluded.action, state = excluded.state, label_name = excluded.label_name,
      milestone_title = excluded.milestone_title, source_commit = excluded.source_commit,
      source_merge_request_id = excluded.source_merge_request_id, raw_json = excluded.raw_json
    WHERE resource_events.raw_json IS NOT excluded.raw_json`),
}));
