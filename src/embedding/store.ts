// Vector storage. Each chunk's vector is kept once, L2-normalised float32, in a sqlite-vec vec0 table
// (`embedding_vectors`, rowid = embedding_chunks.id): the truth. A small corpus is searched by an
// exact scan of it; a large one through the int8 index file derived from it (vector-index/), whose
// answer is the same and whose similarities sqlite-vec computes from these vectors. On unit vectors
// L2 distance orders like cosine: similarity = 1 - distance² / 2. The extension is loaded into every
// connection (deleting a chunk cascades into the table, and is logged in the change log the index
// file is checked against), and the model and dimension are recorded so a change is detected.

import { LoreError } from "../core/errors.js";
import type { Db } from "../db/open.js";

export interface EmbeddingMeta {
  readonly model: string;
  readonly dimension: number;
}

export function readEmbeddingMeta(db: Db): EmbeddingMeta | undefined {
  return db.prepare("SELECT model, dimension FROM embedding_meta WHERE id = 1").get() as
    | EmbeddingMeta
    | undefined;
}

export const VECTOR_TABLE = "embedding_vectors";
/** The binary-quantised index of lore before migration 008; dropped when the new one is made. */
const LEGACY_VECTOR_TABLE = "chunk_vectors";

export function vectorTableExists(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE name = ?").get(VECTOR_TABLE) !== undefined;
}

/** The fix for any mismatch between stored vectors and the configured model. */
export const REEMBED_HINT = "Re-embed everything with the configured model: lore embed --all";

/** Fails when the stored vectors come from another model or dimension. */
export function assertCompatible(db: Db, model: string, dimension?: number): void {
  const meta = readEmbeddingMeta(db);
  if (!meta) return;
  if (meta.model !== model || (dimension !== undefined && meta.dimension !== dimension)) {
    throw new LoreError(
      "EMBEDDING",
      `This database holds embeddings from ${meta.model} (${meta.dimension} dimensions), but the configured model is ${model}${dimension === undefined ? "" : ` (${dimension} dimensions)`}.`,
      {
        suggestion: REEMBED_HINT,
        actions: ["lore embed --all"],
        details: { stored_model: meta.model, stored_dimension: meta.dimension, model },
      },
    );
  }
}

/** Records the model and dimension and creates the vector table for it (idempotent). */
export function ensureVectorTable(db: Db, model: string, dimension: number): void {
  db.transaction(() => {
    if (!readEmbeddingMeta(db)) {
      db.prepare("INSERT INTO embedding_meta (id, model, dimension, created_at) VALUES (1, ?, ?, ?)").run(
        model,
        dimension,
        new Date().toISOString(),
      );
    }
    db.exec(`DROP TABLE IF EXISTS ${LEGACY_VECTOR_TABLE}`);
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${VECTOR_TABLE} USING vec0(embedding float[${dimension}])`);
    db.exec(`CREATE TRIGGER IF NOT EXISTS embedding_chunks_delete_vectors AFTER DELETE ON embedding_chunks BEGIN
      DELETE FROM ${VECTOR_TABLE} WHERE rowid = old.id;
    END`);
  }).immediate();
}

/** Forgets every embedding (for `lore embed --all` with another model or dimension). */
export function dropAllEmbeddings(db: Db): void {
  db.transaction(() => {
    db.exec("DROP TRIGGER IF EXISTS embedding_chunks_delete_vectors");
    db.exec(`DROP TABLE IF EXISTS ${VECTOR_TABLE}`);
    db.exec(`DROP TABLE IF EXISTS ${LEGACY_VECTOR_TABLE}`);
    db.exec("DELETE FROM embedding_chunks");
    db.exec("DELETE FROM document_embeddings");
    db.exec("DELETE FROM embedding_meta");
  }).immediate();
}

/**
 * The vector scaled to length 1, as the float32 blob sqlite-vec reads; undefined for a zero vector
 * (a text with nothing to embed), which is similar to nothing and so never indexed or searched.
 */
export function unitVectorBlob(vector: ArrayLike<number>): Buffer | undefined {
  const unit = Float32Array.from(vector);
  let sum = 0;
  for (const x of unit) sum += x * x;
  const norm = Math.sqrt(sum);
  if (!(norm > 0)) return undefined;
  for (let i = 0; i < unit.length; i++) unit[i] = (unit[i] as number) / norm;
  return Buffer.from(unit.buffer, unit.byteOffset, unit.byteLength);
}

/** Cosine similarity from sqlite-vec's L2 distance between unit vectors. */
export function similarityFromDistance(distance: number): number {
  return 1 - (distance * distance) / 2;
}
