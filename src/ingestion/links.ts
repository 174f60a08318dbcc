// Issue ↔ MR links and MR changed files, each stored as the complete current set GitLab serves.
// A change in an MR's file list marks its document dirty (MR documents list changed paths).

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import type { GitLabClosesIssue, GitLabDiffFile, GitLabMergeRequest } from "../gitlab/schemas.js";
import { markDirty } from "./dirty-queue.js";
import { bool } from "./values.js";

const statements = perConnection((db) => ({
  clearCloses: db.prepare("DELETE FROM merge_request_closes_issues WHERE merge_request_id = ?"),
  insertCloses: db.prepare(`
    INSERT INTO merge_request_closes_issues (merge_request_id, position, issue_id, external_id, project_id, iid, title, state, web_url)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  clearLinks: db.prepare("DELETE FROM issue_merge_request_links WHERE issue_id = ? AND kind = ?"),
  insertLink: db.prepare(`
    INSERT OR IGNORE INTO issue_merge_request_links (issue_id, kind, merge_request_id, project_id, iid, title, state, web_url)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
  files: db.prepare(
    "SELECT merge_request_id, position, old_path, new_path, new_file, renamed_file, deleted_file FROM merge_request_files WHERE merge_request_id = ? ORDER BY position",
  ),
  clearFiles: db.prepare("DELETE FROM merge_request_files WHERE merge_request_id = ?"),
  insertFile: db.prepare(`
    INSERT INTO merge_request_files (merge_request_id, position, old_path, new_path, new_file, renamed_file, deleted_file)
    VALUES (@merge_request_id, @position, @old_path, @new_path, @new_file, @renamed_file, @deleted_file)`),
}));

/** Issues an MR closes; external-tracker items keep their string id and no iid. */
export function replaceClosesIssues(
  db: Db,
  mergeRequestId: number,
  items: readonly GitLabClosesIssue[],
): void {
  const s = statements(db);
  s.clearCloses.run(mergeRequestId);
  items.forEach((item, position) => {
    const numeric = typeof item.id === "number";
    s.insertCloses.run(
      mergeRequestId,
      position,
      numeric ? item.id : null,
      numeric ? null : String(item.id),
      item.project_id ?? null,
      typeof item.iid === "number" ? item.iid : null,
      item.title ?? null,
      item.state ?? null,
      item.web_url ?? null,
    );
  });
}

/** MRs related to an issue, or closing it. */
export function replaceIssueMergeRequestLinks(
  db: Db,
  issueId: number,
  kind: "related" | "closed_by",
  mrs: readonly GitLabMergeRequest[],
): void {
  const s = statements(db);
  s.clearLinks.run(issueId, kind);
  for (const mr of mrs) {
    s.insertLink.run(
      issueId,
      kind,
      mr.id,
      mr.project_id ?? null,
      mr.iid ?? null,
      mr.title ?? null,
      mr.state ?? null,
      mr.web_url ?? null,
    );
  }
}

export function replaceChangedFiles(db: Db, mergeRequestId: number, files: readonly GitLabDiffFile[]): void {
  const s = statements(db);
  const rows = files.map((f, position) => ({
    merge_request_id: mergeRequestId,
    position,
    old_path: f.old_path ?? f.new_path ?? "",
    new_path: f.new_path ?? f.old_path ?? "",
    new_file: bool(f.new_file),
    renamed_file: bool(f.renamed_file),
    deleted_file: bool(f.deleted_file),
  }));
  if (JSON.stringify(s.files.all(mergeRequestId)) === JSON.stringify(rows)) return;
  s.clearFiles.run(mergeRequestId);
  for (const row of rows) s.insertFile.run(row);
  markDirty(db, "merge_request", mergeRequestId);
}
