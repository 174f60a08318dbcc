// `lore who --reviews @user`: how someone reviews — how many MRs (named reviewer or commenting on
// someone else's MR), how much they write per MR, how much of it is on the diff, how soon they
// first comment, and which parts of the code they review most.

import type { EntityRef } from "../code/merge-request-ref.js";
import { getOrInsert } from "../core/get-or-insert.js";
import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { type Freshness, freshness, SYNCED_AT_SQL } from "../read/freshness.js";
import { bounded, type ListScope } from "./items.js";

/** `since`: only MRs whose review (first note, else the MR's last change) is at or after it. */
export interface ReviewsOptions extends ListScope {
  readonly username: string;
  /** Milliseconds since the epoch that ages are measured from. */
  readonly now: number;
}

export interface ReviewedMergeRequest extends EntityRef, Freshness {
  readonly notes: number;
  readonly diff_notes: number;
  readonly first_note_at: string | null;
}

export interface PathCount {
  readonly path: string;
  readonly mrs: number;
}

export interface ReviewsResult {
  readonly mode: "reviews";
  readonly username: string;
  readonly since: string | null;
  readonly reviewed_mrs: number;
  readonly notes: number;
  readonly notes_per_mr: number;
  readonly diff_notes: number;
  /** DiffNotes among their notes on reviewed MRs, 0–1 (null when they wrote none). */
  readonly diff_note_share: number | null;
  /** From the MR's creation to their first note on it, over MRs they commented on. */
  readonly median_first_review_hours: number | null;
  readonly top_paths: PathCount[];
  readonly omitted_paths: number;
  readonly recent_mrs: ReviewedMergeRequest[];
  readonly omitted_recent_mrs: number;
}

interface ReviewedRow extends Omit<ReviewedMergeRequest, keyof Freshness> {
  readonly id: number;
  readonly synced_at: string | null;
  readonly created_at: string;
  readonly activity_at: string;
}

// Exported for the query-plan test, which checks each statement still finds its index.
export const statements = perConnection((db) => ({
  reviewed: db.prepare<Record<string, unknown>, ReviewedRow>(`
    WITH commented AS (
      SELECT d.merge_request_id, COUNT(*) AS notes, SUM(n.type = 'DiffNote') AS diff_notes,
        MIN(n.created_at) AS first_note_at
      FROM notes n JOIN discussions d ON d.id = n.discussion_id
      WHERE n.author_username = @user AND n.system = 0 AND d.merge_request_id IS NOT NULL
      GROUP BY d.merge_request_id),
    reviewed AS (
      SELECT merge_request_id FROM merge_request_reviewers WHERE username = @user
      UNION SELECT merge_request_id FROM commented)
    SELECT m.id, p.path_with_namespace AS project, m.iid, m.title, m.state, m.web_url, m.created_at,
      ${SYNCED_AT_SQL("m")} AS synced_at,
      coalesce(c.notes, 0) AS notes, coalesce(c.diff_notes, 0) AS diff_notes, c.first_note_at,
      coalesce(c.first_note_at, m.merged_at, m.updated_at) AS activity_at
    FROM reviewed r JOIN merge_requests m ON m.id = r.merge_request_id JOIN projects p ON p.id = m.project_id
      LEFT JOIN commented c ON c.merge_request_id = m.id
    WHERE m.author_username IS NOT @user AND m.project_id IN (SELECT value FROM json_each(@projects))
      AND coalesce(c.first_note_at, m.merged_at, m.updated_at) >= @since
    ORDER BY activity_at DESC, m.id DESC`),
  files: db.prepare<[{ ids: string }], { merge_request_id: number; new_path: string }>(
    "SELECT merge_request_id, new_path FROM merge_request_files WHERE merge_request_id IN (SELECT value FROM json_each(@ids))",
  ),
}));

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The directory of a repository path (`src/a/b.ts` → `src/a/`; a top-level file is itself). */
export function directoryOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? path : path.slice(0, slash + 1);
}

/** Directories by how many distinct MRs changed something in them, most first, then by name. */
export function topDirectories(
  files: readonly { merge_request_id: number; new_path: string }[],
): PathCount[] {
  const mrsPerDirectory = new Map<string, Set<number>>();
  for (const f of files) {
    getOrInsert(mrsPerDirectory, directoryOf(f.new_path), () => new Set<number>()).add(f.merge_request_id);
  }
  return [...mrsPerDirectory]
    .map(([path, mrs]) => ({ path, mrs: mrs.size }))
    .sort((a, b) => b.mrs - a.mrs || (a.path < b.path ? -1 : 1));
}

const HOUR_MS = 3_600_000;
const round1 = (n: number) => Math.round(n * 10) / 10;

export function reviewHabits(db: Db, options: ReviewsOptions): ReviewsResult {
  const s = statements(db);
  const rows = s.reviewed.all({
    user: options.username,
    projects: JSON.stringify(options.projectIds),
    since: options.since ?? "",
  });
  const notes = rows.reduce((sum, r) => sum + r.notes, 0);
  const diffNotes = rows.reduce((sum, r) => sum + r.diff_notes, 0);
  const firstReviewHours = rows
    .filter((r) => r.first_note_at !== null)
    .map((r) => Math.max(0, Date.parse(r.first_note_at as string) - Date.parse(r.created_at)) / HOUR_MS);
  const hours = median(firstReviewHours);
  const paths = bounded(topDirectories(s.files.all({ ids: JSON.stringify(rows.map((r) => r.id)) })), 10);
  const recent = bounded(rows, options.limit);
  return {
    mode: "reviews",
    username: options.username,
    since: options.since ?? null,
    reviewed_mrs: rows.length,
    notes,
    notes_per_mr: rows.length > 0 ? round1(notes / rows.length) : 0,
    diff_notes: diffNotes,
    diff_note_share: notes > 0 ? Math.round((diffNotes / notes) * 100) / 100 : null,
    median_first_review_hours: hours === null ? null : round1(hours),
    top_paths: paths.items,
    omitted_paths: paths.omitted,
    recent_mrs: recent.items.map(({ id: _id, created_at: _c, activity_at: _a, synced_at, ...mr }) => ({
      ...mr,
      ...freshness(synced_at, options.now),
    })),
    omitted_recent_mrs: recent.omitted,
  };
}
