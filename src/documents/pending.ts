// Documents still waiting in the dirty queue: an interrupted sync, or one run with --no-docs, leaves
// entities stored whose search documents are not built yet. Search says so instead of a bare
// "No results", and the next sync builds them before anything else.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";

/**
 * One row (`project_id`) per queued source. Sources are keyed by GitLab id; each reaches its
 * project through its own row.
 */
export const QUEUED_SOURCE_PROJECTS = `
  SELECT i.project_id FROM dirty_sources s JOIN issues i ON s.source_type = 'issue' AND i.id = CAST(s.source_id AS INTEGER)
  UNION ALL
  SELECT m.project_id FROM dirty_sources s JOIN merge_requests m ON s.source_type = 'merge_request' AND m.id = CAST(s.source_id AS INTEGER)
  UNION ALL
  SELECT d.project_id FROM dirty_sources s JOIN discussions d ON s.source_type = 'discussion' AND d.id = s.source_id`;

const statements = perConnection((db) => ({
  any: db.prepare("SELECT 1 FROM dirty_sources LIMIT 1"),
  all: db.prepare("SELECT COUNT(*) AS n FROM dirty_sources"),
}));

export function hasPendingDocuments(db: Db): boolean {
  return statements(db).any.get() !== undefined;
}

/** Queued documents of these projects (of every project when undefined). */
export function countPendingDocuments(db: Db, projectIds?: readonly number[]): number {
  if (projectIds === undefined) return (statements(db).all.get() as { n: number }).n;
  if (projectIds.length === 0) return 0;
  const sql = `SELECT COUNT(*) AS n FROM (${QUEUED_SOURCE_PROJECTS}) WHERE project_id IN (${projectIds.map(() => "?").join(", ")})`;
  return (db.prepare(sql).get(...projectIds) as { n: number }).n;
}
