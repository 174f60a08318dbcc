// What a search document is made from — an issue, a merge request or a discussion thread — and the
// lookups that turn entities into their document sources and sources into document ids.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";

export type SourceType = "issue" | "merge_request" | "discussion";

/** One document's source; `source_id` is the GitLab id of an issue/MR, or a discussion's id. */
export interface SourceRef {
  readonly source_type: SourceType;
  readonly source_id: string;
}

/** Which documents a post-ingest stage works on: everything queued, or exactly these sources. */
export type DocumentScope = "queued" | readonly SourceRef[];

export interface EntityRef {
  readonly type: "issue" | "merge_request";
  readonly id: number;
}

const statements = perConnection((db) => ({
  threads: {
    issue: db.prepare<[number], { id: string }>("SELECT id FROM discussions WHERE issue_id = ?"),
    merge_request: db.prepare<[number], { id: string }>(
      "SELECT id FROM discussions WHERE merge_request_id = ?",
    ),
  },
  document: db.prepare<[string, string], { id: number }>(
    "SELECT id FROM documents WHERE source_type = ? AND source_id = ?",
  ),
}));

/** The entities and all their current discussions: the sources of every document they show in. */
export function entitySources(db: Db, entities: readonly EntityRef[]): SourceRef[] {
  const s = statements(db);
  const sources: SourceRef[] = [];
  for (const entity of entities) {
    sources.push({ source_type: entity.type, source_id: String(entity.id) });
    for (const thread of s.threads[entity.type].all(entity.id)) {
      sources.push({ source_type: "discussion", source_id: thread.id });
    }
  }
  return sources;
}

/** The ids of the documents these sources have (a source without a document is left out). */
export function documentIdsFor(db: Db, sources: readonly SourceRef[]): number[] {
  const find = statements(db).document;
  const ids: number[] = [];
  for (const source of sources) {
    const row = find.get(source.source_type, source.source_id);
    if (row) ids.push(row.id);
  }
  return ids;
}
