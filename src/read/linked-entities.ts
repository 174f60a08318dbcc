// Issues and MRs linked to an entity (related MRs, closing MRs, closed issues), as the mirror knows
// them now. A link row keeps the other side's title and state as fetched with *this* entity, and
// GitLab does not bump this entity's updated_at when the other side changes; so an entity in the
// mirror is read from its own row, and the fetched copy is used only for entities outside it.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { projectFromWebUrl } from "../gitlab/entity-url.js";

export interface LinkedItem {
  readonly iid: number | null;
  readonly title: string | null;
  readonly state: string | null;
  readonly web_url: string | null;
  readonly project: string | null;
  /** An external tracker's id, for closes-issues items that are not GitLab issues. */
  readonly id?: string;
}

interface LinkRow {
  iid: number | null;
  title: string | null;
  state: string | null;
  web_url: string | null;
  project: string | null;
  external_id?: string | null;
}

// Each column prefers the linked entity's stored row (e / p) over the link's copy (l).
const current = `COALESCE(e.iid, l.iid) AS iid, COALESCE(e.title, l.title) AS title,
  COALESCE(e.state, l.state) AS state, COALESCE(e.web_url, l.web_url) AS web_url, p.path_with_namespace AS project`;

const statements = perConnection((db) => ({
  mergeRequests: db.prepare<[number, string], LinkRow>(
    `SELECT ${current}
     FROM issue_merge_request_links l
     LEFT JOIN merge_requests e ON e.id = l.merge_request_id
     LEFT JOIN projects p ON p.id = e.project_id
     WHERE l.issue_id = ? AND l.kind = ?
     ORDER BY COALESCE(e.iid, l.iid), l.merge_request_id`,
  ),
  closesIssues: db.prepare<[number], LinkRow>(
    `SELECT ${current}, l.external_id
     FROM merge_request_closes_issues l
     LEFT JOIN issues e ON e.id = l.issue_id
     LEFT JOIN projects p ON p.id = e.project_id
     WHERE l.merge_request_id = ?
     ORDER BY l.position`,
  ),
}));

function toItem(row: LinkRow): LinkedItem {
  return {
    iid: row.iid,
    title: row.title,
    state: row.state,
    web_url: row.web_url,
    project: row.project ?? projectFromWebUrl(row.web_url),
    ...(row.external_id ? { id: row.external_id } : {}),
  };
}

/** MRs related to an issue (`related`) or closing it (`closed_by`). */
export function linkedMergeRequests(db: Db, issueId: number, kind: "related" | "closed_by"): LinkedItem[] {
  return statements(db).mergeRequests.all(issueId, kind).map(toItem);
}

/** Issues a merge request closes, in GitLab's order; external-tracker items keep their id. */
export function closedIssues(db: Db, mergeRequestId: number): LinkedItem[] {
  return statements(db).closesIssues.all(mergeRequestId).map(toItem);
}
