// Per-project counts of what is stored locally, for `lore status`.

import type { Db } from "../db/open.js";
import { QUEUED_SOURCE_PROJECTS } from "../documents/pending.js";

export interface ProjectStats {
  readonly project: string;
  readonly project_id: number | null;
  readonly issues: number;
  readonly mrs: number;
  readonly discussions: number;
  readonly notes: number;
  readonly documents: number;
  readonly dirty: number;
  readonly embedded: number;
  readonly last_synced_at: string | null;
  readonly cursors: Record<string, { updated_at: string; last_id: number } | null>;
}

function tableExists(db: Db, name: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ?").get(name) !==
    undefined
  );
}

function countBy(db: Db, sql: string): Map<number, number> {
  const rows = db.prepare(sql).all() as { project_id: number; n: number }[];
  return new Map(rows.map((r) => [r.project_id, r.n]));
}

export function projectStats(db: Db, configuredPaths: readonly string[]): ProjectStats[] {
  const projects = db.prepare("SELECT id, path_with_namespace FROM projects").all() as {
    id: number;
    path_with_namespace: string;
  }[];
  const byPath = new Map(projects.map((p) => [p.path_with_namespace.toLowerCase(), p.id]));
  const issues = countBy(db, "SELECT project_id, COUNT(*) AS n FROM issues GROUP BY project_id");
  const mrs = countBy(db, "SELECT project_id, COUNT(*) AS n FROM merge_requests GROUP BY project_id");
  const discussions = countBy(db, "SELECT project_id, COUNT(*) AS n FROM discussions GROUP BY project_id");
  const notes = countBy(
    db,
    "SELECT d.project_id AS project_id, COUNT(*) AS n FROM notes n JOIN discussions d ON d.id = n.discussion_id GROUP BY d.project_id",
  );
  const documents = tableExists(db, "documents")
    ? countBy(db, "SELECT project_id, COUNT(*) AS n FROM documents GROUP BY project_id")
    : new Map<number, number>();
  const embedded = tableExists(db, "document_embeddings")
    ? countBy(
        db,
        `SELECT d.project_id AS project_id, COUNT(*) AS n FROM documents d
         JOIN document_embeddings e ON e.document_id = d.id AND e.content_hash = d.content_hash
         JOIN embedding_meta m ON m.id = 1 AND m.model = e.model
         GROUP BY d.project_id`,
      )
    : new Map<number, number>();
  const dirty = countDirty(db);
  const cursorRows = db
    .prepare("SELECT project_id, resource, updated_at, last_id, synced_at FROM sync_cursors")
    .all() as {
    project_id: number;
    resource: string;
    updated_at: string;
    last_id: number;
    synced_at: string;
  }[];
  const paths = [...new Set([...configuredPaths, ...projects.map((p) => p.path_with_namespace)])];
  return paths.map((path) => {
    const id = byPath.get(path.toLowerCase()) ?? null;
    const mine = cursorRows.filter((c) => c.project_id === id);
    const cursors: ProjectStats["cursors"] = { issues: null, merge_requests: null };
    for (const c of mine) cursors[c.resource] = { updated_at: c.updated_at, last_id: c.last_id };
    const lastSynced =
      mine
        .map((c) => c.synced_at)
        .sort()
        .at(-1) ?? null;
    const n = (m: Map<number, number>) => (id === null ? 0 : (m.get(id) ?? 0));
    return {
      project: path,
      project_id: id,
      issues: n(issues),
      mrs: n(mrs),
      discussions: n(discussions),
      notes: n(notes),
      documents: n(documents),
      dirty: n(dirty),
      embedded: n(embedded),
      last_synced_at: lastSynced,
      cursors,
    };
  });
}

function countDirty(db: Db): Map<number, number> {
  return countBy(db, `SELECT project_id, COUNT(*) AS n FROM (${QUEUED_SOURCE_PROJECTS}) GROUP BY project_id`);
}
