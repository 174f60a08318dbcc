// Semantic search: embed the query, take candidate chunks from the binary-quantised sqlite-vec
// index, re-rank them by exact cosine distance, keep the best chunk per document, and apply the
// same filters as lexical search (over-fetching until enough pass).

import type { Db } from "../db/open.js";
import { chunkText } from "../embedding/chunk.js";
import type { EmbeddingProvider } from "../embedding/provider.js";
import { assertCompatible, quantizableBlob, vectorBlob, vectorTableExists } from "../embedding/store.js";
import { documentFilterSql, type SearchFilters } from "./filters.js";
import type { SearchResult } from "./lexical.js";

/** sqlite-vec's ceiling on k for one KNN query. */
const MAX_K = 4096;
const SNIPPET_CHARS = 240;

export interface ChunkSettings {
  readonly chunkChars: number;
  readonly chunkOverlapChars: number;
}

export function hasEmbeddings(db: Db): boolean {
  return vectorTableExists(db) && db.prepare("SELECT 1 FROM document_embeddings LIMIT 1").get() !== undefined;
}

export async function semanticSearch(
  db: Db,
  provider: EmbeddingProvider,
  query: string,
  filters: SearchFilters,
  limit: number,
  chunks: ChunkSettings,
  signal?: AbortSignal,
): Promise<SearchResult[]> {
  if (!vectorTableExists(db)) return [];
  assertCompatible(db, provider.model);
  const [vector] = await provider.embed([query], signal);
  if (!vector) return [];
  assertCompatible(db, provider.model, vector.length);

  const knn = db.prepare(
    "SELECT rowid AS chunk_id FROM chunk_vectors WHERE embedding MATCH vec_quantize_binary(?) AND k = ?",
  );
  const queryBlob = vectorBlob(vector);
  const filter = documentFilterSql(filters);
  let k = Math.min(MAX_K, Math.max(100, limit * 8));
  for (;;) {
    // Candidates by Hamming distance over the bit index, then re-ranked by exact cosine distance.
    const hits = knn.all(quantizableBlob(vector), k) as { chunk_id: number }[];
    const chunkIds = hits.map((h) => h.chunk_id);
    const rescored =
      chunkIds.length === 0
        ? []
        : (db
            .prepare(
              `SELECT document_id, chunk_index, vec_distance_cosine(vector, ?) AS distance FROM embedding_chunks
               WHERE id IN (${chunkIds.map(() => "?").join(", ")}) ORDER BY distance`,
            )
            .all(queryBlob, ...chunkIds) as { document_id: number; chunk_index: number; distance: number }[]);
    const best = new Map<number, { distance: number; chunkIndex: number }>();
    for (const hit of rescored) {
      if (!best.has(hit.document_id))
        best.set(hit.document_id, { distance: hit.distance, chunkIndex: hit.chunk_index });
    }
    const documentIds = [...best.keys()];
    const rows =
      documentIds.length === 0
        ? []
        : (db
            .prepare(
              `SELECT d.id AS document_id, d.source_type, p.path_with_namespace AS project, d.iid, d.title, d.web_url,
                 d.state, d.updated_at, d.content
               FROM documents d JOIN projects p ON p.id = d.project_id
               WHERE d.id IN (${documentIds.map(() => "?").join(", ")}) AND ${filter.where}`,
            )
            .all(...documentIds, ...filter.params) as (Omit<SearchResult, "score" | "snippet"> & {
            content: string;
          })[]);
    if (rows.length >= limit || hits.length < k || k >= MAX_K) {
      return rows
        .map(({ content, ...row }) => {
          const hit = best.get(row.document_id) as { distance: number; chunkIndex: number };
          const text =
            chunkText(content, chunks.chunkChars, chunks.chunkOverlapChars)[hit.chunkIndex] ?? content;
          const flat = text.replace(/\s+/g, " ").trim();
          return {
            ...row,
            score: Math.round((1 - hit.distance) * 10_000) / 10_000,
            snippet: flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat,
          };
        })
        .sort((a, b) => b.score - a.score || a.document_id - b.document_id)
        .slice(0, limit);
    }
    k = Math.min(MAX_K, k * 4);
  }
}
