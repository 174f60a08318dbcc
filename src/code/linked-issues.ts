// The issues an MR is linked to, from every source the mirror has: the issues it closes (its
// closes-issues list, and issues naming it in `closed_by`) and the issues it mentions (GitLab's
// related MRs of an issue are the MRs that mention it; the cross-references read from the MR's
// text and from issues' system notes such as "mentioned in merge request !7"). A new source is one
// more entry in LINK_SOURCES. Titles and states come from the mirror's copy of the issue when it
// has one, else from the link as GitLab served it; an issue only named in text and not synced is
// kept by project and IID, without a title.

import { getOrInsert } from "../core/get-or-insert.js";
import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { projectFromWebUrl } from "../gitlab/entity-url.js";
import { type Freshness, freshness, SYNCED_AT_SQL } from "../read/freshness.js";
import type { EntityRef } from "./merge-request-ref.js";

export type LinkVia = "closes" | "mentioned";

/** `synced_at` is the mirror's copy's; null for an issue only the link names (not in the mirror). */
export interface LinkedIssue extends EntityRef, Freshness {
  readonly via: LinkVia;
}

interface LinkRow {
  readonly merge_request_id: number;
  readonly project: string | null;
  readonly iid: number;
  readonly title: string | null;
  readonly state: string | null;
  readonly web_url: string | null;
  readonly synced_at: string | null;
}

const LOCAL_ISSUE_LINKS = (kind: "closed_by" | "related") => `
  SELECT l.merge_request_id, p.path_with_namespace AS project, i.iid, i.title, i.state, i.web_url,
    ${SYNCED_AT_SQL("i")} AS synced_at
  FROM issue_merge_request_links l JOIN issues i ON i.id = l.issue_id JOIN projects p ON p.id = i.project_id
  WHERE l.kind = '${kind}' AND l.merge_request_id IN (SELECT value FROM json_each(@ids))`;

// Exported for the query-plan test.
export const LINK_SOURCES = perConnection((db) => [
  {
    via: "closes" as const,
    statement: db.prepare<[{ ids: string }], LinkRow>(`
      SELECT c.merge_request_id, ip.path_with_namespace AS project, c.iid,
        coalesce(i.title, c.title) AS title, coalesce(i.state, c.state) AS state, coalesce(i.web_url, c.web_url) AS web_url,
        ${SYNCED_AT_SQL("i")} AS synced_at
      FROM merge_request_closes_issues c
        LEFT JOIN issues i ON i.id = c.issue_id LEFT JOIN projects ip ON ip.id = i.project_id
      WHERE c.merge_request_id IN (SELECT value FROM json_each(@ids)) AND c.iid IS NOT NULL
      ORDER BY c.merge_request_id, c.position`),
  },
  {
    via: "closes" as const,
    statement: db.prepare<[{ ids: string }], LinkRow>(LOCAL_ISSUE_LINKS("closed_by")),
  },
  {
    via: "mentioned" as const,
    statement: db.prepare<[{ ids: string }], LinkRow>(LOCAL_ISSUE_LINKS("related")),
  },
  {
    // Cross-references from the MR to an issue, whoever's data holds them (src/history): the MR's
    // description and notes, or an issue's "mentioned in merge request !7". Closing ones come from
    // the sources above. `r.source_project` first: its NOCASE collation is the index's.
    via: "mentioned" as const,
    statement: db.prepare<[{ ids: string }], LinkRow>(`
      SELECT m.id AS merge_request_id, coalesce(ip.path_with_namespace, r.target_project) AS project,
        r.target_iid AS iid, i.title, i.state, i.web_url
      FROM merge_requests m JOIN projects p ON p.id = m.project_id
        JOIN entity_references r ON r.source_type = 'merge_request'
          AND r.source_project = p.path_with_namespace AND r.source_iid = m.iid
        LEFT JOIN projects ip ON ip.path_with_namespace = r.target_project COLLATE NOCASE
        LEFT JOIN issues i ON i.project_id = ip.id AND i.iid = r.target_iid
      WHERE m.id IN (SELECT value FROM json_each(@ids))
        AND r.target_type = 'issue' AND r.kind IN ('mentioned', 'related')
      ORDER BY m.id, r.id`),
  },
]);

/** Linked issues per MR id, closing links first, each issue once (as its strongest link). */
export function linkedIssues(
  db: Db,
  mergeRequestIds: readonly number[],
  now: number,
): Map<number, LinkedIssue[]> {
  const byMr = new Map<number, Map<string, LinkedIssue>>();
  const ids = JSON.stringify(mergeRequestIds);
  for (const source of LINK_SOURCES(db)) {
    for (const row of source.statement.all({ ids })) {
      const project = row.project ?? projectFromWebUrl(row.web_url) ?? "";
      const key = `${project}#${row.iid}`;
      const issues = getOrInsert(byMr, row.merge_request_id, () => new Map<string, LinkedIssue>());
      if (issues.has(key)) continue;
      issues.set(key, {
        project,
        iid: row.iid,
        title: row.title ?? "",
        state: row.state ?? "",
        web_url: row.web_url ?? "",
        via: source.via,
        ...freshness(row.synced_at, now),
      });
    }
  }
  return new Map([...byMr].map(([id, issues]) => [id, [...issues.values()]]));
}
