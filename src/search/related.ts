// `lore related`: the issues and MRs whose embeddings are nearest to an entity's (or to a text's),
// with their similarity and the labels they share with the entity. The entity's own documents are
// never among the results. Starting from an entity needs no provider: its vectors are stored.

import { LoreError } from "../core/errors.js";
import type { Db } from "../db/open.js";
import { VECTOR_TABLE } from "../embedding/store.js";
import { freshness, SYNCED_AT_SQL } from "../read/freshness.js";
import { type EntityType, TABLES } from "../read/list-entities.js";
import type { SearchFilters } from "./filters.js";
import { hasEmbeddings, type NearestPath, nearestDocuments } from "./semantic.js";

export interface RelatedEntity {
  readonly source_type: EntityType;
  readonly project: string;
  readonly iid: number;
  readonly title: string;
  readonly state: string | null;
  readonly web_url: string | null;
  /** When lore last fetched it, and how long ago that was. */
  readonly synced_at: string | null;
  readonly age_seconds: number | null;
}

export interface RelatedItem extends RelatedEntity {
  readonly similarity: number;
  readonly shared_labels: string[];
}

export interface RelatedResult {
  /** The entity the results are related to; null when they are related to a text. */
  readonly source: (RelatedEntity & { readonly labels: string[] }) | null;
  readonly results: RelatedItem[];
}

export interface RelatedOptions {
  readonly projectIds?: readonly number[] | undefined;
  readonly state?: string | undefined;
  readonly limit: number;
  /** Milliseconds since the epoch that ages are measured from. */
  readonly now: number;
  /** Told how the nearest documents were found. */
  readonly onPath?: (path: NearestPath) => void;
}

/** The stored entity `lore related issue 42` starts from. */
export interface EntityRef {
  readonly type: EntityType;
  /** Local row id of the issue or MR. */
  readonly id: number;
}

/** Fails with EMBEDDING (and how to fix it) when there is nothing to compare. */
export function assertEmbedded(db: Db, providerConfigured: boolean): void {
  if (hasEmbeddings(db)) return;
  throw new LoreError("EMBEDDING", "lore related compares embeddings, and this database has none yet.", {
    suggestion: providerConfigured
      ? "Compute them with lore embed (lore sync also embeds what it fetches)."
      : "Set embedding.provider to ollama or openai in the config (lore doctor checks it), then run lore embed.",
    actions: providerConfigured ? ["lore embed"] : [],
  });
}

/** Issues and MRs nearest to a stored entity, the entity itself excluded. */
export function relatedToEntity(db: Db, entity: EntityRef, options: RelatedOptions): RelatedResult {
  const source = describeEntity(db, entity, options.now);
  const document = db
    .prepare("SELECT id FROM documents WHERE source_type = ? AND source_id = ?")
    .get(entity.type, String(entity.id)) as { id: number } | undefined;
  const vector = document ? meanVector(db, document.id) : undefined;
  if (!document || !vector) {
    const ref = `${source.project}${entity.type === "issue" ? "#" : "!"}${source.iid}`;
    throw new LoreError("EMBEDDING", `${ref} has no embedding yet.`, {
      suggestion: "Compute it with lore embed (or refresh the entity with a surgical sync).",
      actions: ["lore embed"],
    });
  }
  const results = related(db, vector, options, [document.id], source.labels);
  return { source, results };
}

/** Issues and MRs nearest to an embedded text. */
export function relatedToVector(db: Db, vector: readonly number[], options: RelatedOptions): RelatedResult {
  return { source: null, results: related(db, vector, options, [], []) };
}

function related(
  db: Db,
  vector: readonly number[],
  options: RelatedOptions,
  exclude: readonly number[],
  sourceLabels: readonly string[],
): RelatedItem[] {
  const filters: SearchFilters = {
    projectIds: options.projectIds,
    state: options.state,
    types: ["issue", "merge_request"],
  };
  const nearest = nearestDocuments(db, vector, filters, options.limit, {
    excludeDocumentIds: exclude,
    onPath: options.onPath,
  });
  const wanted = new Set(sourceLabels);
  return nearest.flatMap((hit) => {
    const row = db
      .prepare(
        `SELECT d.source_type, d.parent_id, p.path_with_namespace AS project, d.iid, d.title, d.state, d.web_url,
           COALESCE(${SYNCED_AT_SQL("i")}, ${SYNCED_AT_SQL("m")}) AS synced_at
         FROM documents d JOIN projects p ON p.id = d.project_id
           LEFT JOIN issues i ON d.parent_type = 'issue' AND i.id = d.parent_id
           LEFT JOIN merge_requests m ON d.parent_type = 'merge_request' AND m.id = d.parent_id
         WHERE d.id = ?`,
      )
      .get(hit.documentId) as
      | (Omit<RelatedEntity, "age_seconds"> & { parent_id: number; synced_at: string | null })
      | undefined;
    if (!row) return [];
    const { parent_id: parentId, synced_at: syncedAt, ...fields } = row;
    return [
      {
        ...fields,
        ...freshness(syncedAt, options.now),
        similarity: Math.round(hit.similarity * 10_000) / 10_000,
        shared_labels: labelsOf(db, row.source_type, parentId).filter((l) => wanted.has(l)),
      },
    ];
  });
}

function describeEntity(db: Db, entity: EntityRef, now: number): RelatedEntity & { labels: string[] } {
  const t = TABLES[entity.type];
  const { synced_at: syncedAt, ...row } = db
    .prepare(
      `SELECT p.path_with_namespace AS project, e.iid, e.title, e.state, e.web_url, ${SYNCED_AT_SQL("e")} AS synced_at
       FROM ${t.table} e JOIN projects p ON p.id = e.project_id WHERE e.id = ?`,
    )
    .get(entity.id) as Omit<RelatedEntity, "source_type" | "age_seconds">;
  return {
    source_type: entity.type,
    ...row,
    ...freshness(syncedAt, now),
    labels: labelsOf(db, entity.type, entity.id),
  };
}

function labelsOf(db: Db, type: EntityType, id: number): string[] {
  const t = TABLES[type];
  return (
    db
      .prepare(
        `SELECT l.name FROM ${t.labels} x JOIN labels l ON l.id = x.label_id WHERE x.${t.fk} = ? ORDER BY l.name`,
      )
      .all(id) as { name: string }[]
  ).map((l) => l.name);
}

/** The normalised mean of a document's chunk vectors: the whole document as one direction. */
function meanVector(db: Db, documentId: number): number[] | undefined {
  const rows = db
    .prepare(
      `SELECT v.embedding FROM embedding_chunks c JOIN ${VECTOR_TABLE} v ON v.rowid = c.id
       WHERE c.document_id = ? ORDER BY c.chunk_index`,
    )
    .all(documentId) as { embedding: Buffer }[];
  if (rows.length === 0) return undefined;
  const sum = new Float64Array(rows[0]?.embedding.byteLength ? rows[0].embedding.byteLength / 4 : 0);
  for (const { embedding } of rows) {
    const v = new Float32Array(embedding.buffer, embedding.byteOffset, embedding.byteLength / 4);
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (v[i] as number);
  }
  return Array.from(sum);
}
