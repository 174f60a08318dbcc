// `lore file-history PATH`: the MRs that changed a file (or the files under a directory), newest
// first, following the file back through renames; optionally the DiffNotes on it in each MR.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { type Freshness, freshness, SYNCED_AT_SQL } from "../read/freshness.js";
import { type DiffPosition, positionLine } from "./line-window.js";
import { excerpt, noteUrl } from "./merge-request-ref.js";
import {
  CHANGED_FILES_MATCHING,
  exactPathParams,
  type PathParams,
  type PathQuery,
  pathMatches,
  pathParams,
} from "./path-query.js";
import { followRenames, type PathName, type RenameStep } from "./renames.js";

export interface FileHistoryOptions {
  readonly path: PathQuery;
  readonly projectIds: readonly number[];
  readonly followRenames: boolean;
  readonly mergedOnly: boolean;
  /** Attach the DiffNotes on the file to each MR. */
  readonly discussions: boolean;
  readonly limit: number;
  /** Milliseconds since the epoch that ages are measured from. */
  readonly now: number;
}

export interface DiffNoteItem {
  readonly note_id: number;
  readonly discussion_id: string;
  readonly author: string | null;
  readonly path: string;
  readonly line: number | null;
  readonly excerpt: string;
  readonly created_at: string;
  readonly resolved: boolean | null;
  readonly url: string;
}

/** An MR that changed the file, as file-history and trace show it. */
export interface ChangeView extends Freshness {
  readonly project: string;
  readonly iid: number;
  readonly title: string;
  readonly state: string;
  readonly author: string | null;
  readonly merged_at: string | null;
  readonly web_url: string;
  /** The file's name in this MR (an earlier name when found through a rename). */
  readonly path_then: string;
}

export interface FileChange extends ChangeView {
  readonly discussions?: DiffNoteItem[];
  readonly omitted_discussions?: number;
}

export interface FileHistoryResult {
  readonly path: string;
  readonly merge_requests: FileChange[];
  readonly omitted_merge_requests: number;
  readonly renames: RenameStep[];
  /** True when a rename chain was cut at the hop limit. */
  readonly renames_truncated: boolean;
}

/** DiffNotes shown per MR with --discussions (the rest are counted). */
export const NOTES_PER_MR = 10;

export interface MatchedChange {
  readonly id: number;
  readonly project_id: number;
  readonly project: string;
  readonly iid: number;
  readonly title: string;
  readonly state: string;
  readonly author_username: string | null;
  readonly merged_at: string | null;
  readonly web_url: string;
  readonly synced_at: string | null;
  readonly at: string;
  readonly old_path: string;
  readonly new_path: string;
}

export interface DiffNoteRow {
  readonly id: number;
  readonly discussion_id: string;
  readonly author_username: string | null;
  readonly body: string;
  readonly created_at: string;
  readonly position_json: string;
  readonly position_new_path: string | null;
  readonly position_old_path: string | null;
  readonly resolvable: number;
  readonly resolved: number | null;
}

// Exported for the query-plan test, which checks each statement still finds its index.
export const statements = perConnection((db) => ({
  // The matching rows are found first and lead the join (CROSS JOIN fixes the order): left to
  // itself, the planner walks every MR of the project and probes the path matches for each.
  changes: db.prepare<Record<string, unknown>, MatchedChange>(`
    WITH x AS MATERIALIZED (${CHANGED_FILES_MATCHING})
    SELECT m.id, m.project_id, p.path_with_namespace AS project, m.iid, m.title, m.state, m.author_username,
      m.merged_at, m.web_url, ${SYNCED_AT_SQL("m")} AS synced_at, coalesce(m.merged_at, m.updated_at) AS at,
      f.old_path, f.new_path
    FROM x
      CROSS JOIN merge_request_files f ON f.merge_request_id = x.merge_request_id AND f.position = x.position
      CROSS JOIN merge_requests m ON m.id = f.merge_request_id JOIN projects p ON p.id = m.project_id
    WHERE m.project_id = @project AND coalesce(m.merged_at, m.updated_at) <= @until
      AND (@merged_only = 0 OR m.state = 'merged')
    ORDER BY f.new_path, f.old_path`),
  renamesInto: db.prepare<[string, number], RenameStep>(`
    SELECT f.old_path AS "from", f.new_path AS "to", p.path_with_namespace AS project, m.iid,
      coalesce(m.merged_at, m.updated_at) AS at
    FROM merge_request_files f JOIN merge_requests m ON m.id = f.merge_request_id
      JOIN projects p ON p.id = m.project_id
    WHERE f.new_path = ? AND f.renamed_file = 1 AND f.old_path <> f.new_path AND m.project_id = ?
      AND m.state <> 'closed'`),
  // One MR's notes through its threads; `+n.system` keeps the planner off `lore notes`' (system,
  // created_at) index, which sorts for free but walks every user note of the mirror.
  diffNotes: db.prepare<[number], DiffNoteRow>(`
    SELECT n.id, n.discussion_id, n.author_username, n.body, n.created_at, n.position_json,
      n.position_new_path, n.position_old_path, n.resolvable, n.resolved
    FROM discussions d JOIN notes n ON n.discussion_id = d.id
    WHERE d.merge_request_id = ? AND +n.system = 0 AND n.position_json IS NOT NULL
    ORDER BY n.created_at, n.id`),
}));

/** One MR that changed the file, with the name the file had in it. */
export interface Change extends MatchedChange {
  readonly path_then: string;
}

export interface ChangeSet {
  /** Newest first. */
  readonly changes: Change[];
  readonly renames: RenameStep[];
  readonly truncated: boolean;
}

/**
 * Every MR in scope that changed PATH (or, following renames, an earlier name of it), newest first,
 * once each. Rename chains are per project: a path names a file of one repository.
 */
export function changesOf(
  db: Db,
  options: Pick<FileHistoryOptions, "path" | "projectIds" | "followRenames" | "mergedOnly">,
): ChangeSet {
  const s = statements(db);
  const changes = new Map<number, Change>();
  const renames: RenameStep[] = [];
  let truncated = false;
  for (const projectId of options.projectIds) {
    // A directory has no rename chain of its own; a file follows its renames unless told not to.
    const chain =
      options.path.exact !== null && options.followRenames
        ? followRenames(options.path.exact, (path) => s.renamesInto.all(path, projectId))
        : { names: [{ path: options.path.path, until: null }], renames: [], truncated: false };
    renames.push(...chain.renames);
    truncated ||= chain.truncated;
    chain.names.forEach((name: PathName, index: number) => {
      const params: PathParams = index === 0 ? pathParams(options.path) : exactPathParams(name.path);
      const matches = (path: string) => (index === 0 ? pathMatches(options.path, path) : path === name.path);
      const rows = s.changes.all({
        ...params,
        project: projectId,
        until: name.until ?? "\uffff",
        merged_only: options.mergedOnly ? 1 : 0,
      });
      for (const row of rows) {
        if (changes.has(row.id)) continue;
        changes.set(row.id, { ...row, path_then: matches(row.new_path) ? row.new_path : row.old_path });
      }
    });
  }
  const sorted = [...changes.values()].sort((a, b) => (a.at !== b.at ? (a.at < b.at ? 1 : -1) : b.id - a.id));
  return { changes: sorted, renames, truncated };
}

/** The DiffNotes of an MR on `path`, oldest first. */
export function diffNotesOn(db: Db, mergeRequestId: number, path: string): DiffNoteRow[] {
  return statements(db)
    .diffNotes.all(mergeRequestId)
    .filter((n) => n.position_new_path === path || n.position_old_path === path);
}

export function diffNoteItem(n: DiffNoteRow, webUrl: string): DiffNoteItem {
  const position = JSON.parse(n.position_json) as DiffPosition;
  return {
    note_id: n.id,
    discussion_id: n.discussion_id,
    author: n.author_username,
    path: n.position_new_path ?? n.position_old_path ?? "",
    line: positionLine(position),
    excerpt: excerpt(n.body),
    created_at: n.created_at,
    resolved: n.resolvable === 1 ? n.resolved === 1 : null,
    url: noteUrl(webUrl, n.id),
  };
}

export function changeView(c: Change, now: number): ChangeView {
  return {
    project: c.project,
    iid: c.iid,
    title: c.title,
    state: c.state,
    author: c.author_username,
    merged_at: c.merged_at,
    web_url: c.web_url,
    path_then: c.path_then,
    ...freshness(c.synced_at, now),
  };
}

export function fileHistory(db: Db, options: FileHistoryOptions): FileHistoryResult {
  const set = changesOf(db, options);
  const shown = set.changes.slice(0, options.limit);
  return {
    path: options.path.path,
    merge_requests: shown.map((c): FileChange => {
      const change = changeView(c, options.now);
      if (!options.discussions) return change;
      const notes = diffNotesOn(db, c.id, c.path_then).map((n) => diffNoteItem(n, c.web_url));
      return {
        ...change,
        discussions: notes.slice(0, NOTES_PER_MR),
        omitted_discussions: Math.max(0, notes.length - NOTES_PER_MR),
      };
    }),
    omitted_merge_requests: Math.max(0, set.changes.length - shown.length),
    renames: set.renames,
    renames_truncated: set.truncated,
  };
}
