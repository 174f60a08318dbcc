// Resolves a configured project path on GitLab and stores its row; later calls use the numeric id.

import type { Db } from "../db/open.js";
import type { GitLabClient } from "../gitlab/client.js";
import type { GitLabProject } from "../gitlab/schemas.js";
import type { ProjectPrefetch } from "./project-prefetch.js";

export interface ProjectRef {
  readonly id: number;
  readonly path: string;
}

export function upsertProject(db: Db, project: GitLabProject, now: string): ProjectRef {
  db.prepare(`
    INSERT INTO projects (id, path_with_namespace, name, web_url, default_branch, visibility, archived, raw_json, synced_at)
    VALUES (@id, @path, @name, @web_url, @default_branch, @visibility, @archived, @raw_json, @synced_at)
    ON CONFLICT (id) DO UPDATE SET path_with_namespace = excluded.path_with_namespace, name = excluded.name,
      web_url = excluded.web_url, default_branch = excluded.default_branch, visibility = excluded.visibility,
      archived = excluded.archived, raw_json = excluded.raw_json, synced_at = excluded.synced_at`).run({
    id: project.id,
    path: project.path_with_namespace,
    name: project.name ?? null,
    web_url: project.web_url ?? null,
    default_branch: project.default_branch ?? null,
    visibility: project.visibility ?? null,
    archived: project.archived ? 1 : 0,
    raw_json: JSON.stringify(project),
    synced_at: now,
  });
  return { id: project.id, path: project.path_with_namespace };
}

/**
 * Fetches the project (one request, unless `prefetched` holds its answer) and stores it; a renamed
 * project's row keeps its id.
 */
export async function resolveProject(
  db: Db,
  client: GitLabClient,
  path: string,
  signal?: AbortSignal,
  prefetched?: ProjectPrefetch,
): Promise<ProjectRef> {
  const project = await (prefetched?.take(path) ?? client.project(path, { signal }));
  // A path now naming another project id must not collide with the old row's unique path.
  db.transaction(() => {
    db.prepare(
      "UPDATE projects SET path_with_namespace = path_with_namespace || '#moved-' || id WHERE path_with_namespace = ? AND id <> ?",
    ).run(project.path_with_namespace, project.id);
    upsertProject(db, project, new Date().toISOString());
  }).immediate();
  return { id: project.id, path: project.path_with_namespace };
}
