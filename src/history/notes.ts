// `lore notes` as a question over the mirror: individual notes across issues and merge requests,
// filtered by author, kind, parent, DiffNote path, time, resolution and text, newest first (or as
// asked), bounded, with how many more matched. Returns the robot shape.

import type { Statement } from "better-sqlite3";
import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { type Freshness, freshness, SYNCED_AT_SQL } from "../read/freshness.js";
import type { EntityType } from "./mirror-entities.js";

/** `discussion`: user notes that are not DiffNotes; `diffnote`; `system`; `all`. Default: user notes. */
export type NoteTypeFilter = "discussion" | "diffnote" | "system" | "all";

export interface NotesOptions {
  /** Local project ids; undefined for every project in the mirror. */
  readonly projectIds?: readonly number[] | undefined;
  readonly author?: string | undefined;
  readonly type?: NoteTypeFilter | undefined;
  /** Only the notes of this issue or merge request (local id). */
  readonly on?: { readonly type: EntityType; readonly id: number } | undefined;
  /** DiffNotes on files whose path (new or old side) starts with this. */
  readonly pathPrefix?: string | undefined;
  /** ISO timestamp: created at or after it. */
  readonly since?: string | undefined;
  /** Only resolvable notes not resolved yet. */
  readonly unresolved?: boolean | undefined;
  /** Case-insensitive text in the body. */
  readonly contains?: string | undefined;
  readonly sort: "created" | "updated";
  readonly ascending: boolean;
  readonly limit: number;
}

/** A note is as fresh as its issue or MR: they are fetched together. */
export interface NoteView extends Freshness {
  readonly id: number;
  readonly project: string;
  readonly entity_type: EntityType;
  readonly iid: number;
  readonly title: string;
  readonly discussion_id: string;
  readonly author: string | null;
  readonly body: string;
  readonly system: boolean;
  readonly type: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly resolvable: boolean;
  readonly resolved: boolean | null;
  readonly position: unknown;
  readonly web_url: string;
}

export interface NotesResult {
  readonly notes: NoteView[];
  /** Notes that matched beyond the limit. */
  readonly omitted_notes: number;
}

export const DEFAULT_NOTES_LIMIT = 50;

interface SqlFilter {
  readonly where: string;
  readonly params: unknown[];
  /** The filter reads the discussion (project or parent): join it. */
  readonly joinsDiscussion: boolean;
}

/** `column` names a notes column in a filter; see `notesFilter` for why it may be wrapped. */
type Column = (name: string) => string;

const TYPE_FILTERS: Record<NoteTypeFilter | "default", ((c: Column) => string) | undefined> = {
  default: (c) => `${c("n.system")} = 0`,
  discussion: (c) => `${c("n.system")} = 0 AND (n.type IS NULL OR n.type <> 'DiffNote')`,
  diffnote: (c) => `${c("n.system")} = 0 AND n.type = 'DiffNote'`,
  system: (c) => `${c("n.system")} = 1`,
  all: undefined,
};

/**
 * DiffNotes whose file path starts with the prefix, on either side of the diff: a range on the
 * indexed path columns of migration 009 (the old side indexed only where it differs from the new,
 * which the new side's range already covers otherwise). The one place that knows where a
 * DiffNote's path is stored.
 */
export function diffNotePathFilter(
  prefix: string,
  c: Column = (name) => name,
): { readonly sql: string; readonly params: unknown[] } {
  const end = prefixEnd(prefix);
  const range = (name: string) => (end === null ? `${c(name)} >= ?` : `${c(name)} >= ? AND ${c(name)} < ?`);
  const bounds = end === null ? [prefix] : [prefix, end];
  const newSide = range("n.position_new_path");
  const oldSide = `${range("n.position_old_path")} AND n.position_old_path IS NOT n.position_new_path`;
  return {
    sql: `(n.type = 'DiffNote' AND ((${newSide}) OR (${oldSide})))`,
    params: [...bounds, ...bounds],
  };
}

/**
 * The least string after every string that starts with `prefix`, in SQLite's text order (code
 * points, as UTF-8 bytes compare): the prefix with its last character incremented. Null when no
 * string is (a prefix of only U+10FFFF, or empty).
 */
export function prefixEnd(prefix: string): string | null {
  const points = Array.from(prefix, (c) => c.codePointAt(0) as number);
  while (points.length > 0 && points.at(-1) === 0x10ffff) points.pop();
  const last = points.pop();
  if (last === undefined) return null;
  // No character lies between U+D7FF and U+E000 (surrogates are not characters).
  points.push(last === 0xd7ff ? 0xe000 : last + 1);
  return String.fromCodePoint(...points);
}

export function notesFilter(options: NotesOptions): SqlFilter {
  const clauses: string[] = [];
  const params: unknown[] = [];
  let joinsDiscussion = false;
  // One entity's notes are few: read them through its threads. DiffNotes under a path are a few
  // of all notes: read them through the path indexes. `+column` keeps SQLite from preferring an
  // author or kind index that would walk every such note in the mirror instead (it has no
  // statistics to know better).
  const plain: Column = (name) => name;
  const unindexed: Column = (name) => `+${name}`;
  const c = options.on || options.pathPrefix !== undefined ? unindexed : plain;
  const typeClause = TYPE_FILTERS[options.type ?? "default"];
  if (typeClause) clauses.push(typeClause(c));
  if (options.author !== undefined) {
    clauses.push(`${c("n.author_username")} = ?`);
    params.push(options.author);
  }
  if (options.projectIds !== undefined) {
    clauses.push("d.project_id IN (SELECT value FROM json_each(?))");
    params.push(JSON.stringify(options.projectIds));
    joinsDiscussion = true;
  }
  if (options.on) {
    const parent = options.on.type === "issue" ? "issue_id" : "merge_request_id";
    clauses.push(`n.discussion_id IN (SELECT id FROM discussions WHERE ${parent} = ?)`);
    params.push(options.on.id);
  }
  if (options.pathPrefix !== undefined) {
    const path = diffNotePathFilter(options.pathPrefix, options.on ? unindexed : plain);
    clauses.push(path.sql);
    params.push(...path.params);
  }
  if (options.since !== undefined) {
    clauses.push(`${c("n.created_at")} >= ?`);
    params.push(options.since);
  }
  if (options.unresolved) clauses.push("n.resolvable = 1 AND COALESCE(n.resolved, 0) = 0");
  if (options.contains !== undefined) {
    clauses.push("instr(lower(n.body), lower(?)) > 0");
    params.push(options.contains);
  }
  return { where: clauses.length > 0 ? clauses.join(" AND ") : "1", params, joinsDiscussion };
}

/** The query that picks the page of note ids, and the one that counts every match. */
export function notesPageSql(options: NotesOptions): {
  readonly page: string;
  readonly count: string;
  readonly params: unknown[];
} {
  const filter = notesFilter(options);
  const from = filter.joinsDiscussion ? "notes n JOIN discussions d ON d.id = n.discussion_id" : "notes n";
  const column = options.sort === "updated" ? "n.updated_at" : "n.created_at";
  const direction = options.ascending ? "ASC" : "DESC";
  return {
    page: `SELECT n.id FROM ${from} WHERE ${filter.where} ORDER BY ${column} ${direction}, n.id ${direction} LIMIT ?`,
    count: `SELECT COUNT(*) AS n FROM ${from} WHERE ${filter.where}`,
    params: filter.params,
  };
}

interface DetailRow {
  id: number;
  discussion_id: string;
  type: string | null;
  body: string;
  author_username: string | null;
  system: number;
  resolvable: number;
  resolved: number | null;
  position_json: string | null;
  created_at: string;
  updated_at: string;
  project: string;
  entity_type: EntityType;
  iid: number;
  title: string;
  web_url: string;
  synced_at: string | null;
}

const statements = perConnection((db) => {
  // The filters vary per call; each distinct query is prepared once per connection.
  const cache = new Map<string, Statement<unknown[]>>();
  return {
    prepared: (sql: string) => {
      let statement = cache.get(sql);
      if (!statement) {
        statement = db.prepare<unknown[]>(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
    details: db.prepare<[string], DetailRow>(`
      SELECT n.id, n.discussion_id, n.type, n.body, n.author_username, n.system, n.resolvable, n.resolved,
        n.position_json, n.created_at, n.updated_at, p.path_with_namespace AS project,
        CASE WHEN d.issue_id IS NOT NULL THEN 'issue' ELSE 'merge_request' END AS entity_type,
        COALESCE(i.iid, m.iid) AS iid, COALESCE(i.title, m.title) AS title, COALESCE(i.web_url, m.web_url) AS web_url,
        COALESCE(${SYNCED_AT_SQL("i")}, ${SYNCED_AT_SQL("m")}) AS synced_at
      FROM notes n
      JOIN discussions d ON d.id = n.discussion_id
      JOIN projects p ON p.id = d.project_id
      LEFT JOIN issues i ON i.id = d.issue_id
      LEFT JOIN merge_requests m ON m.id = d.merge_request_id
      WHERE n.id IN (SELECT value FROM json_each(?))`),
  };
});

/** `now`: when ages are measured from. */
export function listNotes(db: Db, options: NotesOptions, now: number = Date.now()): NotesResult {
  const s = statements(db);
  const sql = notesPageSql(options);
  // One read transaction: the page and the count see the same snapshot.
  const { ids, total, rows } = db.transaction(() => {
    const ids = (s.prepared(sql.page).all(...sql.params, options.limit) as { id: number }[]).map((r) => r.id);
    const total = (s.prepared(sql.count).get(...sql.params) as { n: number }).n;
    return { ids, total, rows: s.details.all(JSON.stringify(ids)) };
  })();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const notes = ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [noteView(row, now)] : [];
  });
  return { notes, omitted_notes: Math.max(0, total - notes.length) };
}

function noteView(row: DetailRow, now: number): NoteView {
  return {
    id: row.id,
    project: row.project,
    entity_type: row.entity_type,
    iid: row.iid,
    title: row.title,
    discussion_id: row.discussion_id,
    author: row.author_username,
    body: row.body,
    system: row.system === 1,
    type: row.type,
    created_at: row.created_at,
    updated_at: row.updated_at,
    resolvable: row.resolvable === 1,
    resolved: row.resolved === null ? null : row.resolved === 1,
    position: row.position_json ? (JSON.parse(row.position_json) as unknown) : null,
    web_url: `${row.web_url}#note_${row.id}`,
    ...freshness(row.synced_at, now),
  };
}
