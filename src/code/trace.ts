// `lore trace PATH[:LINE]`: why the code is as it is, from GitLab data alone — the MRs that changed
// the file (following renames), for each the issues it closes or mentions, and the DiffNote threads
// on the file in it (near LINE when given), newest MR first, each list bounded and counted.

import { usageError } from "../core/errors.js";
import { getOrInsert } from "../core/get-or-insert.js";
import type { Db } from "../db/open.js";
import { type ChangeView, changesOf, changeView, type DiffNoteRow, diffNotesOn } from "./file-history.js";
import { type DiffPosition, LINE_RADIUS, nearLine, positionLine } from "./line-window.js";
import { type LinkedIssue, linkedIssues } from "./linked-issues.js";
import { excerpt, noteUrl } from "./merge-request-ref.js";
import { type PathQuery, parsePathQuery } from "./path-query.js";
import type { RenameStep } from "./renames.js";

export interface TraceTarget {
  readonly path: PathQuery;
  readonly line: number | null;
}

/** `src/a.ts:42` → the file and line 42; a path without a numeric `:N` suffix is the whole file. */
export function parseTraceTarget(input: string): TraceTarget {
  const m = /^(.*):(\d+)$/.exec(input.trim());
  if (!m) return { path: parsePathQuery(input), line: null };
  const line = Number(m[2]);
  if (!Number.isSafeInteger(line) || line < 1) throw usageError(`${input}: LINE is a positive line number`);
  const path = parsePathQuery(m[1] as string);
  if (path.exact === null) throw usageError(`${input}: a line belongs to a file, not a directory`);
  return { path, line };
}

export interface TraceOptions {
  readonly target: TraceTarget;
  readonly projectIds: readonly number[];
  /** Every note of each thread, in full (otherwise the thread's first note as an excerpt). */
  readonly fullThreads: boolean;
  readonly limit: number;
  /** Milliseconds since the epoch that ages are measured from. */
  readonly now: number;
}

export interface TraceNote {
  readonly note_id: number;
  readonly author: string | null;
  readonly created_at: string;
  readonly body: string;
}

export interface TraceThread {
  readonly discussion_id: string;
  readonly path: string;
  readonly line: number | null;
  readonly started_by: string | null;
  readonly created_at: string;
  readonly resolved: boolean | null;
  readonly note_count: number;
  readonly excerpt: string;
  readonly url: string;
  readonly notes?: TraceNote[];
}

export interface TraceChain {
  readonly merge_request: ChangeView;
  readonly issues: LinkedIssue[];
  readonly omitted_issues: number;
  readonly discussions: TraceThread[];
  readonly omitted_discussions: number;
}

export interface TraceResult {
  readonly path: string;
  readonly line: number | null;
  /** LINE ± this many lines counts as on the line. */
  readonly line_radius: number | null;
  readonly chains: TraceChain[];
  readonly omitted_chains: number;
  readonly renames: RenameStep[];
}

export const ISSUES_PER_CHAIN = 10;
export const THREADS_PER_CHAIN = 10;

/** DiffNotes grouped into threads (first note first), kept when the thread's position is near `line`. */
export function threadsNear(notes: readonly DiffNoteRow[], line: number | null): DiffNoteRow[][] {
  const threads = new Map<string, DiffNoteRow[]>();
  for (const note of notes) {
    getOrInsert(threads, note.discussion_id, () => [] as DiffNoteRow[]).push(note);
  }
  return [...threads.values()].filter(
    (thread) =>
      line === null || nearLine(JSON.parse((thread[0] as DiffNoteRow).position_json) as DiffPosition, line),
  );
}

function traceThread(thread: readonly DiffNoteRow[], webUrl: string, full: boolean): TraceThread {
  const first = thread[0] as DiffNoteRow;
  const view: TraceThread = {
    discussion_id: first.discussion_id,
    path: first.position_new_path ?? first.position_old_path ?? "",
    line: positionLine(JSON.parse(first.position_json) as DiffPosition),
    started_by: first.author_username,
    created_at: first.created_at,
    resolved: first.resolvable === 1 ? thread.every((n) => n.resolved === 1) : null,
    note_count: thread.length,
    excerpt: excerpt(first.body),
    url: noteUrl(webUrl, first.id),
  };
  if (!full) return view;
  return {
    ...view,
    notes: thread.map((n) => ({
      note_id: n.id,
      author: n.author_username,
      created_at: n.created_at,
      body: n.body,
    })),
  };
}

export function trace(db: Db, options: TraceOptions): TraceResult {
  const { path, line } = options.target;
  const set = changesOf(db, { path, projectIds: options.projectIds, followRenames: true, mergedOnly: false });
  const shown = set.changes.slice(0, options.limit);
  const issues = linkedIssues(
    db,
    shown.map((c) => c.id),
    options.now,
  );
  const chains = shown.map((c): TraceChain => {
    const linked = issues.get(c.id) ?? [];
    const threads = threadsNear(diffNotesOn(db, c.id, c.path_then), line).reverse();
    return {
      merge_request: changeView(c, options.now),
      issues: linked.slice(0, ISSUES_PER_CHAIN),
      omitted_issues: Math.max(0, linked.length - ISSUES_PER_CHAIN),
      discussions: threads
        .slice(0, THREADS_PER_CHAIN)
        .map((t) => traceThread(t, c.web_url, options.fullThreads)),
      omitted_discussions: Math.max(0, threads.length - THREADS_PER_CHAIN),
    };
  });
  return {
    path: path.path,
    line,
    line_radius: line === null ? null : LINE_RADIUS,
    chains,
    omitted_chains: Math.max(0, set.changes.length - shown.length),
    renames: set.renames,
  };
}
