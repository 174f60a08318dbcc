// Everything stored about one issue or merge request, in the contract's robot shape: fields,
// description, discussions with notes in thread order, events, links and changed files.

import type { Db } from "../db/open.js";
import { ageSeconds } from "./freshness.js";
import { closedIssues, linkedMergeRequests } from "./linked-entities.js";
import { type EntityType, TABLES } from "./list-entities.js";

export interface NoteView {
  readonly id: number;
  readonly author: string | null;
  readonly body: string;
  readonly system: boolean;
  readonly created_at: string;
  readonly updated_at: string;
  readonly type: string | null;
  readonly position: unknown;
  readonly resolvable: boolean;
  readonly resolved: boolean | null;
}

export interface DiscussionView {
  readonly id: string;
  readonly individual_note: boolean;
  readonly notes: NoteView[];
  /** A thread is fetched with its issue or MR: their sync time and age. */
  readonly synced_at: string | null;
  readonly age_seconds: number | null;
}

export interface EventView {
  readonly kind: "state" | "label" | "milestone";
  readonly id: number;
  readonly created_at: string;
  readonly user: string | null;
  readonly action: string | null;
  readonly state: string | null;
  readonly label: string | null;
  readonly milestone: string | null;
}

export type EntityDetail = Record<string, unknown> & {
  readonly iid: number;
  readonly title: string;
  readonly state: string;
  readonly project: string;
  readonly web_url: string;
  readonly synced_at: string | null;
  readonly age_seconds: number | null;
  readonly discussions: DiscussionView[];
  readonly events: EventView[];
};

/** Finds the stored rows with this iid in the given projects (several when the iid is ambiguous). */
export function findEntities(
  db: Db,
  type: EntityType,
  projectIds: readonly number[],
  iid: number,
): { id: number; project: string }[] {
  const t = TABLES[type];
  return db
    .prepare(
      `SELECT e.id, p.path_with_namespace AS project FROM ${t.table} e JOIN projects p ON p.id = e.project_id
       WHERE e.iid = ? AND e.project_id IN (${projectIds.map(() => "?").join(", ") || "NULL"}) ORDER BY p.path_with_namespace`,
    )
    .all(iid, ...projectIds) as { id: number; project: string }[];
}

export function showEntity(db: Db, type: EntityType, id: number, now: number = Date.now()): EntityDetail {
  const t = TABLES[type];
  const row = db
    .prepare(
      `SELECT e.*, p.path_with_namespace AS project FROM ${t.table} e JOIN projects p ON p.id = e.project_id WHERE e.id = ?`,
    )
    .get(id) as Record<string, unknown>;
  const {
    raw_json: rawJson,
    assignees_json: assignees,
    reviewers_json: reviewers,
    author_username: author,
    ...stored
  } = row;
  // synced_at: when the fetch of this copy began (the row's write time for rows from before 005).
  const syncedAt = (stored.fetched_at ?? stored.synced_at ?? null) as string | null;
  const age = ageSeconds(syncedAt, now);
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) {
    fields[key] = key === "synced_at" ? syncedAt : value;
    if (key === "synced_at") fields.age_seconds = age;
  }
  const raw = JSON.parse(String(rawJson)) as Record<string, unknown>;
  const labels = (
    db
      .prepare(
        `SELECT l.name FROM ${t.labels} x JOIN labels l ON l.id = x.label_id WHERE x.${t.fk} = ? ORDER BY l.name`,
      )
      .all(id) as { name: string }[]
  ).map((l) => l.name);

  const notes = db
    .prepare(
      `SELECT n.*, d.id AS discussion, d.individual_note FROM discussions d JOIN notes n ON n.discussion_id = d.id
       WHERE d.${t.fk} = ? ORDER BY d.position, n.position`,
    )
    .all(id) as Record<string, unknown>[];
  const discussions: DiscussionView[] = [];
  for (const n of notes) {
    let current = discussions.at(-1);
    if (!current || current.id !== n.discussion) {
      current = {
        id: String(n.discussion),
        individual_note: n.individual_note === 1,
        notes: [],
        synced_at: syncedAt,
        age_seconds: age,
      };
      discussions.push(current);
    }
    current.notes.push({
      id: n.id as number,
      author: (n.author_username as string | null) ?? null,
      body: String(n.body),
      system: n.system === 1,
      created_at: String(n.created_at),
      updated_at: String(n.updated_at),
      type: (n.type as string | null) ?? null,
      position: n.position_json ? JSON.parse(String(n.position_json)) : null,
      resolvable: n.resolvable === 1,
      resolved: n.resolved === null ? null : n.resolved === 1,
    });
  }

  const events = (
    db
      .prepare(`SELECT * FROM resource_events WHERE ${t.fk} = ? ORDER BY created_at, kind, id`)
      .all(id) as Record<string, unknown>[]
  ).map(
    (e): EventView => ({
      kind: e.kind as EventView["kind"],
      id: e.id as number,
      created_at: String(e.created_at),
      user: (e.user_username as string | null) ?? null,
      action: (e.action as string | null) ?? null,
      state: (e.state as string | null) ?? null,
      label: (e.label_name as string | null) ?? null,
      milestone: (e.milestone_title as string | null) ?? null,
    }),
  );

  const detail: Record<string, unknown> = {
    ...fields,
    author,
    assignees: JSON.parse(String(assignees ?? "[]")),
    ...(type === "merge_request" ? { reviewers: JSON.parse(String(reviewers ?? "[]")) } : {}),
    labels,
    references: raw.references ?? null,
    discussions,
    events,
  };
  if (type === "issue") {
    detail.related_mrs = linkedMergeRequests(db, id, "related");
    detail.closed_by = linkedMergeRequests(db, id, "closed_by");
  } else {
    detail.closes_issues = closedIssues(db, id);
    detail.changed_files = (
      db
        .prepare(
          "SELECT old_path, new_path, new_file, renamed_file, deleted_file FROM merge_request_files WHERE merge_request_id = ? ORDER BY position",
        )
        .all(id) as Record<string, unknown>[]
    ).map((f) => ({
      old_path: f.old_path,
      new_path: f.new_path,
      new_file: f.new_file === 1,
      renamed_file: f.renamed_file === 1,
      deleted_file: f.deleted_file === 1,
    }));
    detail.draft = fields.draft === 1;
  }
  detail.confidential = type === "issue" ? fields.confidential === 1 : undefined;
  if (detail.confidential === undefined) delete detail.confidential;
  return detail as EntityDetail;
}
