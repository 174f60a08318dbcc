// Finds issues and merge requests in the mirror by what history questions name them by: a GitLab
// reference (project path, iid), an IID within some projects, or the local id.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { SYNCED_AT_SQL } from "../read/freshness.js";

export type EntityType = "issue" | "merge_request";

/** An issue or merge request as the mirror holds it now. */
export interface MirrorEntity {
  readonly type: EntityType;
  readonly id: number;
  readonly projectId: number;
  readonly project: string;
  readonly iid: number;
  readonly title: string;
  readonly state: string;
  readonly webUrl: string;
  readonly author: string | null;
  readonly createdAt: string;
  readonly closedAt: string | null;
  readonly closedBy: string | null;
  /** Merge requests only. */
  readonly mergedAt: string | null;
  readonly mergedBy: string | null;
  readonly targetBranch: string | null;
  /** When lore last fetched it (see src/read/freshness.ts). */
  readonly syncedAt: string | null;
}

interface Row {
  id: number;
  project_id: number;
  project: string;
  iid: number;
  title: string;
  state: string;
  web_url: string;
  author_username: string | null;
  created_at: string;
  closed_at: string | null;
  closed_by: string | null;
  merged_at: string | null;
  merged_by: string | null;
  target_branch: string | null;
  synced_at: string | null;
}

const COLUMNS = {
  issue: `e.id, e.project_id, p.path_with_namespace AS project, e.iid, e.title, e.state, e.web_url,
    e.author_username, e.created_at, e.closed_at, e.closed_by_username AS closed_by,
    NULL AS merged_at, NULL AS merged_by, NULL AS target_branch, ${SYNCED_AT_SQL("e")} AS synced_at`,
  merge_request: `e.id, e.project_id, p.path_with_namespace AS project, e.iid, e.title, e.state, e.web_url,
    e.author_username, e.created_at, e.closed_at, NULL AS closed_by,
    e.merged_at, e.merge_user_username AS merged_by, e.target_branch, ${SYNCED_AT_SQL("e")} AS synced_at`,
} as const;
const TABLES = { issue: "issues", merge_request: "merge_requests" } as const;

const byType = <T>(build: (type: EntityType) => T): Record<EntityType, T> => ({
  issue: build("issue"),
  merge_request: build("merge_request"),
});

const statements = perConnection((db) => ({
  byReference: byType((type) =>
    db.prepare<[string, number], Row>(
      `SELECT ${COLUMNS[type]} FROM projects p JOIN ${TABLES[type]} e ON e.project_id = p.id
       WHERE p.path_with_namespace = ? COLLATE NOCASE AND e.iid = ?`,
    ),
  ),
  byId: byType((type) =>
    db.prepare<[number], Row>(
      `SELECT ${COLUMNS[type]} FROM ${TABLES[type]} e JOIN projects p ON p.id = e.project_id WHERE e.id = ?`,
    ),
  ),
  byIid: byType((type) =>
    db.prepare<[number, string], Row>(
      `SELECT ${COLUMNS[type]} FROM ${TABLES[type]} e JOIN projects p ON p.id = e.project_id
       WHERE e.iid = ? AND e.project_id IN (SELECT value FROM json_each(?))
       ORDER BY p.path_with_namespace`,
    ),
  ),
}));

function toEntity(type: EntityType, row: Row | undefined): MirrorEntity | undefined {
  if (!row) return undefined;
  return {
    type,
    id: row.id,
    projectId: row.project_id,
    project: row.project,
    iid: row.iid,
    title: row.title,
    state: row.state,
    webUrl: row.web_url,
    author: row.author_username,
    createdAt: row.created_at,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    mergedAt: row.merged_at,
    mergedBy: row.merged_by,
    targetBranch: row.target_branch,
    syncedAt: row.synced_at,
  };
}

/** The entity a GitLab reference names (`group/proj#42`), when the mirror holds it. */
export function entityByReference(
  db: Db,
  type: EntityType,
  projectPath: string,
  iid: number,
): MirrorEntity | undefined {
  return toEntity(type, statements(db).byReference[type].get(projectPath, iid));
}

export function entityById(db: Db, type: EntityType, id: number): MirrorEntity | undefined {
  return toEntity(type, statements(db).byId[type].get(id));
}

/** Entities with this IID in any of the projects (several when the IID is ambiguous). */
export function entitiesByIid(
  db: Db,
  type: EntityType,
  projectIds: readonly number[],
  iid: number,
): MirrorEntity[] {
  return statements(db)
    .byIid[type].all(iid, JSON.stringify(projectIds))
    .map((row) => toEntity(type, row) as MirrorEntity);
}

/** `group/proj#42` or `group/proj!7`: how history output names an entity, always with its project. */
export function entityLabel(entity: {
  readonly type: EntityType;
  readonly project: string;
  readonly iid: number;
}): string {
  return `${entity.project}${entity.type === "issue" ? "#" : "!"}${entity.iid}`;
}
