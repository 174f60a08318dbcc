// Stores an issue's or MR's discussions as the complete current set: threads and notes missing
// from the fetched set were deleted on GitLab and are deleted here. Unchanged threads are left
// untouched so their documents and embeddings are not regenerated.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import type { GitLabDiscussion, GitLabNote } from "../gitlab/schemas.js";
import { markDirty } from "./dirty-queue.js";
import { bool, nullableBool, requiredIsoTime } from "./values.js";

export interface ParentRef {
  readonly type: "issue" | "merge_request";
  readonly id: number;
  readonly projectId: number;
}

export interface DiscussionCounters {
  discussions: number;
  notesUpserted: number;
  notesDeleted: number;
  discussionsChanged: number;
}

const statements = perConnection((db) => ({
  existingDiscussions: {
    issue: db.prepare<[number], { id: string }>("SELECT id FROM discussions WHERE issue_id = ?"),
    merge_request: db.prepare<[number], { id: string }>(
      "SELECT id FROM discussions WHERE merge_request_id = ?",
    ),
  },
  deleteDiscussion: db.prepare("DELETE FROM discussions WHERE id = ?"),
  upsertDiscussion: db.prepare(`
        INSERT INTO discussions (id, project_id, issue_id, merge_request_id, individual_note, position, first_note_at, last_note_at)
        VALUES (@id, @project_id, @issue_id, @merge_request_id, @individual_note, @position, @first_note_at, @last_note_at)
        ON CONFLICT (id) DO UPDATE SET
          project_id = excluded.project_id, issue_id = excluded.issue_id, merge_request_id = excluded.merge_request_id,
          individual_note = excluded.individual_note, position = excluded.position,
          first_note_at = excluded.first_note_at, last_note_at = excluded.last_note_at
        WHERE (discussions.project_id, discussions.issue_id, discussions.merge_request_id, discussions.individual_note,
               discussions.position, discussions.first_note_at, discussions.last_note_at)
          IS NOT (excluded.project_id, excluded.issue_id, excluded.merge_request_id, excluded.individual_note,
               excluded.position, excluded.first_note_at, excluded.last_note_at)`),
  noteIds: db.prepare<[string], { id: number }>("SELECT id FROM notes WHERE discussion_id = ?"),
  upsertNote: db.prepare(`
        INSERT INTO notes (id, discussion_id, position, type, body, author_username, author_name, system, internal,
          resolvable, resolved, resolved_by_username, position_json, created_at, updated_at, raw_json)
        VALUES (@id, @discussion_id, @position, @type, @body, @author_username, @author_name, @system, @internal,
          @resolvable, @resolved, @resolved_by_username, @position_json, @created_at, @updated_at, @raw_json)
        ON CONFLICT (id) DO UPDATE SET
          discussion_id = excluded.discussion_id, position = excluded.position, type = excluded.type, body = excluded.body,
          author_username = excluded.author_username, author_name = excluded.author_name, system = excluded.system,
          internal = excluded.internal, resolvable = excluded.resolvable, resolved = excluded.resolved,
          resolved_by_username = excluded.resolved_by_username, position_json = excluded.position_json,
          created_at = excluded.created_at, updated_at = excluded.updated_at, raw_json = excluded.raw_json
        WHERE notes.raw_json IS NOT excluded.raw_json OR notes.position IS NOT excluded.position
          OR notes.discussion_id IS NOT excluded.discussion_id`),
  deleteNote: db.prepare("DELETE FROM notes WHERE id = ?"),
}));

function noteRow(note: GitLabNote, discussionId: string, position: number, fallbackTime: string) {
  const createdAt = requiredIsoTime(note.created_at, fallbackTime);
  return {
    id: note.id,
    discussion_id: discussionId,
    position,
    type: note.type ?? null,
    body: note.body ?? "",
    author_username: note.author?.username ?? null,
    author_name: note.author?.name ?? null,
    system: bool(note.system),
    internal: bool(note.internal ?? note.confidential),
    resolvable: bool(note.resolvable),
    resolved: nullableBool(note.resolved),
    resolved_by_username: note.resolved_by?.username ?? null,
    position_json: note.position ? JSON.stringify(note.position) : null,
    created_at: createdAt,
    updated_at: requiredIsoTime(note.updated_at, createdAt),
    raw_json: JSON.stringify(note),
  };
}

/** Replaces the parent's discussions with `fetched`. Call inside a transaction. */
export function replaceDiscussions(
  db: Db,
  parent: ParentRef,
  fetched: readonly GitLabDiscussion[],
  now: string,
): DiscussionCounters {
  const s = statements(db);
  const counters: DiscussionCounters = {
    discussions: 0,
    notesUpserted: 0,
    notesDeleted: 0,
    discussionsChanged: 0,
  };
  const keep = new Set(fetched.map((d) => d.id));
  for (const { id } of s.existingDiscussions[parent.type].all(parent.id)) {
    if (!keep.has(id)) {
      s.deleteDiscussion.run(id);
      counters.discussionsChanged += 1;
    }
  }
  fetched.forEach((discussion, position) => {
    counters.discussions += 1;
    const notes = discussion.notes ?? [];
    const times = notes.map((n) => requiredIsoTime(n.created_at, now)).sort();
    let changed =
      s.upsertDiscussion.run({
        id: discussion.id,
        project_id: parent.projectId,
        issue_id: parent.type === "issue" ? parent.id : null,
        merge_request_id: parent.type === "merge_request" ? parent.id : null,
        individual_note: bool(discussion.individual_note),
        position,
        first_note_at: times[0] ?? null,
        last_note_at: times.at(-1) ?? null,
      }).changes > 0;
    const keepNotes = new Set(notes.map((n) => n.id));
    for (const { id } of s.noteIds.all(discussion.id)) {
      if (!keepNotes.has(id)) {
        s.deleteNote.run(id);
        counters.notesDeleted += 1;
        changed = true;
      }
    }
    notes.forEach((note, notePosition) => {
      if (s.upsertNote.run(noteRow(note, discussion.id, notePosition, now)).changes > 0) {
        counters.notesUpserted += 1;
        changed = true;
      }
    });
    if (changed) {
      counters.discussionsChanged += 1;
      markDirty(db, "discussion", discussion.id);
    }
  });
  // The parent's document carries a digest of its discussions.
  if (counters.discussionsChanged > 0) markDirty(db, parent.type, parent.id);
  return counters;
}
