// Lists stored issues or merge requests with the shared filters, newest update first.

import type { Db } from "../db/open.js";
import { ageSeconds, SYNCED_AT_SQL } from "./freshness.js";

export type EntityType = "issue" | "merge_request";

export interface ListFilters {
  readonly projectIds?: readonly number[] | undefined;
  readonly state?: string | undefined;
  readonly labels?: readonly string[] | undefined;
  readonly author?: string | undefined;
  readonly since?: string | undefined;
}

export interface EntitySummary {
  readonly iid: number;
  readonly title: string;
  readonly state: string;
  readonly author: string | null;
  readonly labels: string[];
  readonly updated_at: string;
  readonly web_url: string;
  readonly project: string;
  /** When lore last fetched it, and how long ago that was. */
  readonly synced_at: string | null;
  readonly age_seconds: number | null;
  readonly draft?: boolean;
}

export const TABLES = {
  issue: { table: "issues", labels: "issue_labels", fk: "issue_id" },
  merge_request: { table: "merge_requests", labels: "merge_request_labels", fk: "merge_request_id" },
} as const;

export function listEntities(
  db: Db,
  type: EntityType,
  filters: ListFilters,
  limit: number,
  now: number = Date.now(),
): EntitySummary[] {
  const t = TABLES[type];
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filters.projectIds && filters.projectIds.length > 0) {
    clauses.push(`e.project_id IN (${filters.projectIds.map(() => "?").join(", ")})`);
    params.push(...filters.projectIds);
  }
  if (filters.state && filters.state !== "all") {
    clauses.push("e.state = ?");
    params.push(filters.state);
  }
  for (const label of filters.labels ?? []) {
    clauses.push(
      `EXISTS (SELECT 1 FROM ${t.labels} x JOIN labels l ON l.id = x.label_id WHERE x.${t.fk} = e.id AND l.name = ?)`,
    );
    params.push(label);
  }
  if (filters.author) {
    clauses.push("e.author_username = ?");
    params.push(filters.author);
  }
  if (filters.since) {
    clauses.push("e.updated_at >= ?");
    params.push(filters.since);
  }
  const rows = db
    .prepare(
      `SELECT e.id, e.iid, e.title, e.state, e.author_username, e.updated_at, e.web_url, p.path_with_namespace AS project,
         ${SYNCED_AT_SQL("e")} AS synced_at
         ${type === "merge_request" ? ", e.draft" : ""},
         (SELECT json_group_array(name) FROM (SELECT l.name FROM ${t.labels} x JOIN labels l ON l.id = x.label_id
            WHERE x.${t.fk} = e.id ORDER BY l.name)) AS labels_json
       FROM ${t.table} e JOIN projects p ON p.id = e.project_id
       WHERE ${clauses.length > 0 ? clauses.join(" AND ") : "1"}
       ORDER BY e.updated_at DESC, e.id DESC
       LIMIT ?`,
    )
    .all(...params, limit) as {
    iid: number;
    title: string;
    state: string;
    author_username: string | null;
    updated_at: string;
    web_url: string;
    project: string;
    synced_at: string | null;
    draft?: number;
    labels_json: string;
  }[];
  return rows.map((r) => ({
    iid: r.iid,
    title: r.title,
    state: r.state,
    author: r.author_username,
    labels: JSON.parse(r.labels_json) as string[],
    updated_at: r.updated_at,
    web_url: r.web_url,
    project: r.project,
    synced_at: r.synced_at,
    age_seconds: ageSeconds(r.synced_at, now),
    ...(r.draft !== undefined ? { draft: r.draft === 1 } : {}),
  }));
}
