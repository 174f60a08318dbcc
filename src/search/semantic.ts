// Semantic search: embed the query, find the nearest chunks exactly, keep the best chunk per
// document, and apply the same filters as lexical search. Only documents with a similarity above 0
// are matches. A large corpus is searched through the int8 vector index file (vector-index/), which
// returns exactly what the exact scan of the vec0 table would; a small one, or one whose index is
// missing or stale, by that scan (over-fetching until enough documents pass the filters).

import type { Db } from "../db/open.js";
import { documentChunks } from "../embedding/chunk.js";
import type { EmbeddingProvider } from "../embedding/provider.js";
import {
  assertCompatible,
  similarityFromDistance,
  unitVectorBlob,
  VECTOR_TABLE,
  vectorTableExists,
} from "../embedding/store.js";
import {
  type IndexScan,
  indexedNearestDocuments,
  prepareIndexedSearch,
} from "../embedding/vector-index/search.js";
import { documentFilterSql, type SearchFilters } from "./filters.js";
import type { SearchResult } from "./lexical.js";

/** sqlite-vec's ceiling on k for one KNN query. */
const MAX_K = 4096;
const SNIPPET_CHARS = 240;
/**
 * Similarities are shown to 4 decimals, and float32 rounding leaves unrelated vectors (cosine 0) a
 * hair above or below 0: anything that would not show as above 0 is not a match.
 */
const MIN_SIMILARITY = 0.00005;
const isMatch = (similarity: number) => similarity >= MIN_SIMILARITY;

export interface ChunkSettings {
  readonly chunkChars: number;
  readonly chunkOverlapChars: number;
}

export interface NearestDocument {
  readonly documentId: number;
  readonly similarity: number;
  readonly chunkIndex: number;
}

export interface NearestOptions {
  /** Documents never returned (e.g. the entity `lore related` starts from). */
  readonly excludeDocumentIds?: readonly number[];
  /** Told how the answer was found. */
  readonly onPath?: (path: NearestPath) => void;
}

/**
 * How the nearest chunks were found: through the vector index file, or by vec0's exact scan (with
 * the file's scan when there was a current file that could not narrow this query down).
 */
export type NearestPath =
  | ({ readonly via: "index" } & IndexScan)
  | { readonly via: "scan"; readonly indexScan: IndexScan | undefined };

/** Call before embedding the query: what a large corpus's search needs starts meanwhile. */
export function prepareNearest(db: Db): void {
  if (vectorTableExists(db)) prepareIndexedSearch(db);
}

export function hasEmbeddings(db: Db): boolean {
  return vectorTableExists(db) && db.prepare("SELECT 1 FROM document_embeddings LIMIT 1").get() !== undefined;
}

/**
 * The `limit` documents most similar to `vector` that pass the filters, best first, each with its
 * best chunk, with the similarity sqlite-vec computes. Both paths are exact: the index file's by a
 * rigorous bound and a re-rank with the float32 vectors, the vec0 scan by comparing every vector.
 */
export function nearestDocuments(
  db: Db,
  vector: readonly number[],
  filters: SearchFilters,
  limit: number,
  options: NearestOptions = {},
): NearestDocument[] {
  const blob = unitVectorBlob(vector);
  if (!blob || !vectorTableExists(db)) return [];
  const filter = documentFilterSql(filters);
  const excluded = new Set(options.excludeDocumentIds ?? []);
  const passes = (ids: readonly number[]) =>
    ids.length === 0
      ? new Set<number>()
      : new Set(
          (
            db
              .prepare(
                `SELECT d.id FROM documents d WHERE d.id IN (${ids.map(() => "?").join(", ")}) AND ${filter.where}`,
              )
              .all(...ids, ...filter.params) as { id: number }[]
          ).map((r) => r.id),
        );
  // One read transaction: the index file's generation and the change log are checked against the
  // same snapshot that the changed chunks, the similarities and the filters are read from.
  let scan: IndexScan | undefined;
  const search = () => {
    const indexed = indexedNearest(db, blob, limit, excluded, passes, (s) => {
      scan = s;
    });
    options.onPath?.(indexed && scan ? { via: "index", ...scan } : { via: "scan", indexScan: scan });
    return indexed ?? scanNearest(db, blob, limit, excluded, passes);
  };
  return db.inTransaction ? search() : db.transaction(search).deferred();
}

/** From the vector index file when there is a current one (the same answer, see vector-index/). */
function indexedNearest(
  db: Db,
  blob: Buffer,
  limit: number,
  excluded: ReadonlySet<number>,
  passes: (ids: readonly number[]) => ReadonlySet<number>,
  onScan: (scan: IndexScan) => void,
): NearestDocument[] | undefined {
  const found = indexedNearestDocuments(db, {
    vector: new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4),
    limit,
    minSimilarity: MIN_SIMILARITY,
    excluded,
    accept: passes,
    onScan,
  });
  if (!found) return undefined;
  if (found.length === 0) return [];
  const indexOf = db.prepare("SELECT chunk_index FROM embedding_chunks WHERE id = ?").pluck();
  return found.map((hit) => ({
    documentId: hit.documentId,
    similarity: hit.similarity,
    chunkIndex: indexOf.get(hit.chunkId) as number,
  }));
}

/**
 * By vec0's exact scan: k grows until enough documents pass the filters, the table is exhausted
 * (or sqlite-vec's ceiling on k reached), or the next chunks are not similar at all.
 */
function scanNearest(
  db: Db,
  blob: Buffer,
  limit: number,
  excluded: ReadonlySet<number>,
  passes: (ids: readonly number[]) => ReadonlySet<number>,
): NearestDocument[] {
  const knn = db.prepare(
    `SELECT v.rowid AS chunk_id, v.distance, c.document_id, c.chunk_index
     FROM ${VECTOR_TABLE} v JOIN embedding_chunks c ON c.id = v.rowid
     WHERE v.embedding MATCH ? AND v.k = ? ORDER BY v.distance`,
  );
  let k = Math.min(MAX_K, Math.max(50, limit * 4));
  for (;;) {
    const hits = knn.all(blob, k) as {
      chunk_id: number;
      distance: number;
      document_id: number;
      chunk_index: number;
    }[];
    const best = new Map<number, NearestDocument>();
    for (const hit of hits) {
      const similarity = similarityFromDistance(hit.distance);
      if (!isMatch(similarity)) break;
      if (excluded.has(hit.document_id) || best.has(hit.document_id)) continue;
      best.set(hit.document_id, { documentId: hit.document_id, similarity, chunkIndex: hit.chunk_index });
    }
    const allowed = passes([...best.keys()]);
    const found = [...best.values()].filter((d) => allowed.has(d.documentId));
    const last = hits.at(-1);
    const exhausted =
      hits.length < k ||
      k >= MAX_K ||
      (last !== undefined && !isMatch(similarityFromDistance(last.distance)));
    if (found.length >= limit || exhausted) {
      return found.sort((a, b) => b.similarity - a.similarity || a.documentId - b.documentId).slice(0, limit);
    }
    k = Math.min(MAX_K, k * 4);
  }
}

export async function semanticSearch(
  db: Db,
  provider: EmbeddingProvider,
  query: string,
  filters: SearchFilters,
  limit: number,
  chunks: ChunkSettings,
  signal?: AbortSignal,
  onPath?: (path: NearestPath) => void,
): Promise<SearchResult[]> {
  if (!vectorTableExists(db)) return [];
  assertCompatible(db, provider.model);
  prepareNearest(db);
  const [vector] = await provider.embed([query], signal);
  if (!vector) return [];
  assertCompatible(db, provider.model, vector.length);
  return semanticResults(db, nearestDocuments(db, vector, filters, limit, { onPath }), chunks);
}

/** The contract's result rows for nearest documents, in their order, snippets from the best chunk. */
export function semanticResults(
  db: Db,
  nearest: readonly NearestDocument[],
  chunks: ChunkSettings,
): SearchResult[] {
  if (nearest.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT d.id AS document_id, d.source_type, p.path_with_namespace AS project, d.iid, d.title, d.web_url,
         d.state, d.updated_at, d.lexical_body AS body
       FROM documents d JOIN projects p ON p.id = d.project_id
       WHERE d.id IN (${nearest.map(() => "?").join(", ")})`,
    )
    .all(...nearest.map((n) => n.documentId)) as (Omit<SearchResult, "score" | "snippet"> & {
    body: string;
  })[];
  const byId = new Map(rows.map((r) => [r.document_id, r]));
  return nearest.flatMap((hit, index) => {
    const row = byId.get(hit.documentId);
    if (!row) return [];
    const { body, ...fields } = row;
    const similarity = Math.round(hit.similarity * 10_000) / 10_000;
    return [
      {
        ...fields,
        score: similarity,
        snippet: chunkSnippet(fields.title, body, hit.chunkIndex, chunks),
        explain: {
          lexical_rank: null,
          lexical_score: null,
          semantic_rank: index + 1,
          similarity,
          rrf_score: null,
        },
      },
    ];
  });
}

/** The prose of the chunk that matched (the title it starts with is shown apart already). */
function chunkSnippet(title: string, body: string, chunkIndex: number, chunks: ChunkSettings): string {
  const text = documentChunks(title, body, chunks)[chunkIndex] ?? body;
  const prose = chunkIndex === 0 && text.startsWith(title) ? text.slice(title.length) : text;
  const flat = prose.replace(/\s+/g, " ").trim();
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat;
}
