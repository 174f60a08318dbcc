// Lists stored issues or merge requests with the shared filters (glab's words), in the chosen
// order, and counts every match so a list can say what it left out.

import type { Db } from "../db/open.js";
import { ageSeconds, SYNCED_AT_SQL } from "./freshness.js";

export type EntityType = "issue" | "merge_request";
export type ListOrder = "updated" | "created" | "iid";

export interface ListFilters {
  readonly projectIds?: readonly number[] | undefined;
  readonly state?: string | undefined;
  readonly labels?: readonly string[] | undefined;
  readonly author?: string | undefined;
  /** ISO timestamp: updated at or after it. */
  readonly since?: string | undefined;
  readonly assignee?: string | undefined;
  /** Merge requests only. */
  readonly reviewer?: string | undefined;
  readonly milestone?: string | undefined;
  /** Merge requests only: drafts (true) or not (false). */
  readonly draft?: boolean | undefined;
  /** Merge requests only. */
  readonly targetBranch?: string | undefined;
  /** Merge requests only. */
  readonly sourceBranch?: string | undefined;
  /** Case-insensitive substring of the title or the description. */
  readonly search?: string | undefined;
  /** ISO timestamp: created at or after it. */
  readonly createdSince?: string | undefined;
  /** Issues only: due strictly before this day (YYYY-MM-DD). */
  readonly dueBefore?: string | undefined;
}

export interface ListSort {
  readonly by: ListOrder;
  /** Oldest / lowest first; the default is newest / highest first. */
  readonly ascending: boolean;
}

export const DEFAULT_SORT: ListSort = { by: "updated", ascending: false };

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

/** What human views show beside the robot fields (not part of the robot shape). */
export interface EntityListRow extends EntitySummary {
  readonly created_at: string;
  readonly assignees: readonly string[];
  readonly source_branch?: string | null;
  readonly target_branch?: string | null;
}

export const TABLES = {
  issue: { table: "issues", labels: "issue_labels", assignees: "issue_assignees", fk: "issue_id" },
  merge_request: {
    table: "merge_requests",
    labels: "merge_request_labels",
    assignees: "merge_request_assignees",
    fk: "merge_request_id",
  },
} as const;

const ORDER_COLUMNS: Record<ListOrder, string> = {
  updated: "e.updated_at",
  created: "e.created_at",
  iid: "e.iid",
};

const registered = new WeakSet<Db>();

/**
 * `lore_contains(text, needle)`: a case-insensitive substring test with Unicode case folding
 * (SQLite's LIKE folds ASCII only, so "É" would not find "é").
 */
function registerContains(db: Db): void {
  if (registered.has(db)) return;
  db.function("lore_contains", { deterministic: true }, (text: unknown, needle: unknown) =>
    typeof text === "string" && typeof needle === "string"
      ? Number(text.toLowerCase().includes(needle.toLowerCase()))
      : 0,
  );
  registered.add(db);
}

/** The WHERE clause (over alias `e`) and its parameters for these filters. */
export function listFilterSql(type: EntityType, filters: ListFilters): { where: string; params: unknown[] } {
  const t = TABLES[type];
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (filters.projectIds && filters.projectIds.length > 0) {
    add(`e.project_id IN (${filters.projectIds.map(() => "?").join(", ")})`, ...filters.projectIds);
  }
  if (filters.state && filters.state !== "all") {
    // With a narrower filter that has its own index, `+` keeps the planner off the state index:
    // (project_id, state) would read every open entity where (project_id, branch) reads a few.
    const narrower = filters.author ?? filters.milestone ?? filters.targetBranch ?? filters.sourceBranch;
    add(narrower === undefined ? "e.state = ?" : "+e.state = ?", filters.state);
  }
  for (const label of filters.labels ?? []) {
    add(
      `EXISTS (SELECT 1 FROM ${t.labels} x JOIN labels l ON l.id = x.label_id WHERE x.${t.fk} = e.id AND l.name = ?)`,
      label,
    );
  }
  if (filters.author) add("e.author_username = ?", filters.author);
  if (filters.since) add("e.updated_at >= ?", filters.since);
  if (filters.createdSince) add("e.created_at >= ?", filters.createdSince);
  if (filters.assignee)
    add(`e.id IN (SELECT ${t.fk} FROM ${t.assignees} WHERE username = ?)`, filters.assignee);
  if (filters.milestone) add("e.milestone_title = ?", filters.milestone);
  if (filters.search) {
    // SQLite's LIKE folds ASCII case natively (fast); other letters need Unicode case folding.
    if (/^[\x00-\x7f]*$/.test(filters.search)) {
      const pattern = `%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      add("(e.title LIKE ? ESCAPE '\\' OR e.description LIKE ? ESCAPE '\\')", pattern, pattern);
    } else {
      add("(lore_contains(e.title, ?) OR lore_contains(e.description, ?))", filters.search, filters.search);
    }
  }
  if (type === "merge_request") {
    if (filters.reviewer) {
      add(
        "e.id IN (SELECT merge_request_id FROM merge_request_reviewers WHERE username = ?)",
        filters.reviewer,
      );
    }
    if (filters.draft !== undefined) add("e.draft = ?", filters.draft ? 1 : 0);
    if (filters.targetBranch) add("e.target_branch = ?", filters.targetBranch);
    if (filters.sourceBranch) add("e.source_branch = ?", filters.sourceBranch);
  }
  if (type === "issue" && filters.dueBefore) add("e.due_date < ?", filters.dueBefore);
  return { where: clauses.length > 0 ? clauses.join(" AND ") : "1", params };
}

/** The list query's SQL and parameters (exported for the query-plan test). */
export function listEntitiesSql(
  type: EntityType,
  filters: ListFilters,
  limit: number,
  sort: ListSort = DEFAULT_SORT,
): { sql: string; params: unknown[] } {
  const t = TABLES[type];
  const { where, params } = listFilterSql(type, filters);
  const direction = sort.ascending ? "ASC" : "DESC";
  const mr = type === "merge_request";
  return {
    sql: `SELECT e.id, e.iid, e.title, e.state, e.author_username, e.created_at, e.updated_at, e.web_url,
         e.assignees_json, (SELECT path_with_namespace FROM projects WHERE id = e.project_id) AS project,
         ${SYNCED_AT_SQL("e")} AS synced_at
         ${mr ? ", e.draft, e.source_branch, e.target_branch" : ""},
         (SELECT json_group_array(name) FROM (SELECT l.name FROM ${t.labels} x JOIN labels l ON l.id = x.label_id
            WHERE x.${t.fk} = e.id ORDER BY l.name)) AS labels_json
       FROM ${t.table} e
       WHERE ${where}
       ORDER BY ${ORDER_COLUMNS[sort.by]} ${direction}, ${sort.by === "iid" ? "project" : "e.id"} ${direction}
       LIMIT ?`,
    params: [...params, limit],
  };
}

interface ListRow {
  iid: number;
  title: string;
  state: string;
  author_username: string | null;
  created_at: string;
  updated_at: string;
  web_url: string;
  assignees_json: string;
  project: string;
  synced_at: string | null;
  draft?: number;
  source_branch?: string | null;
  target_branch?: string | null;
  labels_json: string;
}

/** The matching entities with what human views show; `toSummary` keeps the robot fields. */
export function listEntityRows(
  db: Db,
  type: EntityType,
  filters: ListFilters,
  limit: number,
  sort: ListSort = DEFAULT_SORT,
  now: number = Date.now(),
): EntityListRow[] {
  if (filters.search) registerContains(db);
  const { sql, params } = listEntitiesSql(type, filters, limit, sort);
  const rows = db.prepare(sql).all(...params) as ListRow[];
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
    created_at: r.created_at,
    assignees: JSON.parse(r.assignees_json) as string[],
    ...(type === "merge_request"
      ? { source_branch: r.source_branch ?? null, target_branch: r.target_branch ?? null }
      : {}),
  }));
}

/** The robot shape of a list row. */
export function toSummary(row: EntityListRow): EntitySummary {
  return {
    iid: row.iid,
    title: row.title,
    state: row.state,
    author: row.author,
    labels: row.labels,
    updated_at: row.updated_at,
    web_url: row.web_url,
    project: row.project,
    synced_at: row.synced_at,
    age_seconds: row.age_seconds,
    ...(row.draft !== undefined ? { draft: row.draft } : {}),
  };
}

export function listEntities(
  db: Db,
  type: EntityType,
  filters: ListFilters,
  limit: number,
  sort: ListSort = DEFAULT_SORT,
): EntitySummary[] {
  return listEntityRows(db, type, filters, limit, sort).map(toSummary);
}

/** How many stored entities match the filters (the list shows at most its limit of them). */
export function countEntities(db: Db, type: EntityType, filters: ListFilters): number {
  if (filters.search) registerContains(db);
  const { where, params } = listFilterSql(type, filters);
  const row = db
    .prepare(`SELECT COUNT(*) AS n FROM ${TABLES[type].table} e WHERE ${where}`)
    .get(...params) as {
    n: number;
  };
  return row.n;
}
