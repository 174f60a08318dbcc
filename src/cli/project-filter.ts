// Which local projects a read command looks at: the one `-p` names, else every configured one.

import { resolveProjectPath } from "../config/projects.js";
import type { Config } from "../config/schema.js";
import type { Db } from "../db/open.js";

export interface ProjectScope {
  /** Configured paths in scope. */
  readonly paths: readonly string[];
  /** Local ids of those that have been synced. */
  readonly ids: readonly number[];
  /** True when the scope holds every project in the database, so no project filter is needed. */
  readonly everything: boolean;
}

export function projectScope(db: Db, config: Config, projectFlag: unknown): ProjectScope {
  const configured = config.projects.map((p) => p.path);
  const paths = typeof projectFlag === "string" ? [resolveProjectPath(configured, projectFlag)] : configured;
  const find = db.prepare("SELECT id FROM projects WHERE lower(path_with_namespace) = lower(?)");
  const ids = paths
    .map((path) => (find.get(path) as { id: number } | undefined)?.id)
    .filter((id): id is number => id !== undefined);
  const stored = (db.prepare("SELECT COUNT(*) AS n FROM projects").get() as { n: number }).n;
  return { paths, ids, everything: ids.length === stored };
}
