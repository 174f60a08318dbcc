// Label names per project, and the link sets tying them to issues and merge requests.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";

const statements = perConnection((db) => ({
  ensure: db.prepare("INSERT INTO labels (project_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING"),
  find: db.prepare<[number, string], { id: number }>(
    "SELECT id FROM labels WHERE project_id = ? AND name = ?",
  ),
  clear: {
    issue: db.prepare("DELETE FROM issue_labels WHERE issue_id = ?"),
    merge_request: db.prepare("DELETE FROM merge_request_labels WHERE merge_request_id = ?"),
  },
  link: {
    issue: db.prepare("INSERT OR IGNORE INTO issue_labels (issue_id, label_id) VALUES (?, ?)"),
    merge_request: db.prepare(
      "INSERT OR IGNORE INTO merge_request_labels (merge_request_id, label_id) VALUES (?, ?)",
    ),
  },
}));

/** Replaces the labels of one issue or MR with `names`. Call inside a transaction. */
export function replaceLabels(
  db: Db,
  kind: "issue" | "merge_request",
  entityId: number,
  projectId: number,
  names: readonly string[],
): void {
  const s = statements(db);
  s.clear[kind].run(entityId);
  for (const name of names) {
    s.ensure.run(projectId, name);
    const label = s.find.get(projectId, name);
    if (label) s.link[kind].run(entityId, label.id);
  }
}
