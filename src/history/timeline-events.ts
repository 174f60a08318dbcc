// The events of one issue or merge request, as the mirror stores them: created, state changes with
// their actor (closed via an MR or commit where GitLab says so), label and milestone changes,
// assignee and reviewer changes from system notes, and user notes as a bounded excerpt. Reference
// events come from the reference walk (timeline.ts). Order is decided by `compareEvents`.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { storedDiffPositionText } from "../read/diff-position.js";
import { entityById, entityLabel, type MirrorEntity } from "./mirror-entities.js";
import { parseSystemNoteActions } from "./system-note-actions.js";

export interface TimelineEvent {
  readonly at: string;
  readonly entity_type: "issue" | "merge_request";
  readonly project: string;
  readonly iid: number;
  readonly kind: string;
  readonly actor: string | null;
  readonly summary: string;
  readonly url: string;
}

/** An event with what breaks ties between events at the same instant. */
export interface RankedEvent {
  readonly event: TimelineEvent;
  /** The entity's place in the timeline's entity list (seeds first). */
  readonly entityRank: number;
  /** GitLab's id of the note or resource event, 0 when there is none. */
  readonly sequence: number;
}

// Within one entity at one instant: it exists before anything happens to it, references and
// metadata changes come before comments, and state changes (closing, merging) come last.
const KIND_RANK: Record<string, number> = {
  created: 0,
  reference: 1,
  label_added: 2,
  label_removed: 2,
  milestone_set: 2,
  milestone_removed: 2,
  assignee_added: 2,
  assignee_removed: 2,
  reviewer_added: 2,
  reviewer_removed: 2,
  note: 3,
};
const STATE_RANK = 4;

/** Chronological, then by entity, kind, GitLab id and text: the same data always gives the same order. */
export function compareEvents(a: RankedEvent, b: RankedEvent): number {
  return (
    compareText(a.event.at, b.event.at) ||
    a.entityRank - b.entityRank ||
    (KIND_RANK[a.event.kind] ?? STATE_RANK) - (KIND_RANK[b.event.kind] ?? STATE_RANK) ||
    a.sequence - b.sequence ||
    compareText(a.event.summary, b.event.summary)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const EXCERPT_CHARS = 120;

/** A note's first line of prose, at most EXCERPT_CHARS long, with `…` when text was cut. */
export function noteExcerpt(body: string, max = EXCERPT_CHARS): string {
  const lines = body.split(/\r?\n/).map((line) => line.trim());
  const first = lines.find((line) => line !== "") ?? "";
  const flat = first.replace(/\s+/g, " ");
  const more = lines.filter((line) => line !== "").length > 1;
  if (flat.length > max) return `${flat.slice(0, max - 1).trimEnd()}…`;
  return more ? `${flat} …` : flat;
}

interface EventRow {
  kind: "state" | "label" | "milestone";
  id: number;
  user_username: string | null;
  created_at: string;
  action: string | null;
  state: string | null;
  label_name: string | null;
  milestone_title: string | null;
  source_commit: string | null;
  source_merge_request_id: number | null;
}

interface NoteRow {
  id: number;
  body: string;
  system: number;
  type: string | null;
  position_json: string | null;
  author_username: string | null;
  created_at: string;
}

const eventsSql = (fk: string) => `
  SELECT kind, id, user_username, created_at, action, state, label_name, milestone_title,
    source_commit, source_merge_request_id
  FROM resource_events WHERE ${fk} = ?`;
const notesSql = (fk: string) => `
  SELECT n.id, n.body, n.system, n.type, n.position_json, n.author_username, n.created_at
  FROM discussions d JOIN notes n ON n.discussion_id = d.id WHERE d.${fk} = ?`;

const statements = perConnection((db) => ({
  events: {
    issue: db.prepare<[number], EventRow>(eventsSql("issue_id")),
    merge_request: db.prepare<[number], EventRow>(eventsSql("merge_request_id")),
  },
  notes: {
    issue: db.prepare<[number], NoteRow>(notesSql("issue_id")),
    merge_request: db.prepare<[number], NoteRow>(notesSql("merge_request_id")),
  },
}));

/** Every stored event of one entity except references, in no particular order. */
export function entityEvents(db: Db, entity: MirrorEntity, entityRank: number): RankedEvent[] {
  const s = statements(db);
  const out: RankedEvent[] = [];
  const push = (
    at: string,
    kind: string,
    actor: string | null,
    summary: string,
    sequence = 0,
    url?: string,
  ) =>
    out.push({
      event: {
        at,
        entity_type: entity.type,
        project: entity.project,
        iid: entity.iid,
        kind,
        actor,
        summary,
        url: url ?? entity.webUrl,
      },
      entityRank,
      sequence,
    });
  const noun = entity.type === "issue" ? "issue" : "merge request";
  push(entity.createdAt, "created", entity.author, `created ${noun} "${entity.title}"`);

  const states = new Set<string>();
  for (const row of s.events[entity.type].all(entity.id)) {
    const actor = row.user_username;
    if (row.kind === "state") {
      const state = row.state ?? "changed";
      states.add(state);
      push(row.created_at, state, actor, stateSummary(db, entity, row), row.id);
    } else if (row.kind === "label") {
      const removed = row.action === "remove";
      const label = row.label_name === null ? "a deleted label" : `~${quoteName(row.label_name)}`;
      push(
        row.created_at,
        removed ? "label_removed" : "label_added",
        actor,
        `${removed ? "removed" : "added"} label ${label}`,
        row.id,
      );
    } else {
      const removed = row.action === "remove";
      const milestone = row.milestone_title === null ? "" : ` %${quoteName(row.milestone_title)}`;
      push(
        row.created_at,
        removed ? "milestone_removed" : "milestone_set",
        actor,
        `${removed ? "removed milestone" : "set milestone"}${milestone}`,
        row.id,
      );
    }
  }
  // Instances (or entities) older than GitLab's state events only tell when and by whom from the row.
  if (entity.type === "merge_request" && entity.mergedAt && !states.has("merged")) {
    push(entity.mergedAt, "merged", entity.mergedBy, mergedSummary(entity));
  }
  if (entity.state === "closed" && entity.closedAt && !states.has("closed")) {
    push(entity.closedAt, "closed", entity.closedBy, "closed");
  }

  for (const note of s.notes[entity.type].all(entity.id)) {
    const url = `${entity.webUrl}#note_${note.id}`;
    if (note.system === 1) {
      for (const action of parseSystemNoteActions(note.body)) {
        push(note.created_at, action.kind, note.author_username, actionSummary(action), note.id, url);
      }
      continue;
    }
    const where = note.type === "DiffNote" ? storedDiffPositionText(note.position_json) : null;
    push(
      note.created_at,
      "note",
      note.author_username,
      `commented${where ? ` on ${where}` : ""}: ${noteExcerpt(note.body)}`,
      note.id,
      url,
    );
  }
  return out;
}

function stateSummary(db: Db, entity: MirrorEntity, row: EventRow): string {
  if (row.state === "merged") return mergedSummary(entity);
  const state = row.state ?? "changed state";
  if (row.source_merge_request_id !== null) {
    const mr = entityById(db, "merge_request", row.source_merge_request_id);
    if (mr) return `${state} via ${entityLabel(mr)}`;
  }
  if (row.source_commit) return `${state} via commit ${row.source_commit.slice(0, 8)}`;
  return state;
}

function mergedSummary(entity: MirrorEntity): string {
  return entity.targetBranch ? `merged into ${entity.targetBranch}` : "merged";
}

const ACTION_WORDS: Record<string, string> = {
  assignee_added: "assigned",
  assignee_removed: "unassigned",
  reviewer_added: "requested review from",
  reviewer_removed: "removed review request for",
};

function actionSummary(action: { readonly kind: string; readonly users: readonly string[] }): string {
  if (action.users.length === 0) return "removed the assignee";
  return `${ACTION_WORDS[action.kind]} ${action.users.map((u) => `@${u}`).join(", ")}`;
}

/** GitLab quotes label and milestone names that contain spaces: ~"good first issue". */
function quoteName(name: string): string {
  return /\s/.test(name) ? `"${name}"` : name;
}
