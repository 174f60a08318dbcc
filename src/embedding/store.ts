// Vector storage. Full float32 vectors sit with their chunks; the nearest-neighbour index is a
// sqlite-vec vec0 table of binary-quantised copies (one bit per dimension), which scans 200,000
// chunks in milliseconds where float vectors take ~180 ms; candidates are then re-ranked by exact
// cosine distance. The extension is loaded into every connection by db/ (deleting a document cascades to
// its index rows), and the model and dimension are recorded so a change is detected, never mixed.

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

export function vectorTableExists(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'chunk_vectors'").get() !== undefined;
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
    db.exec(
      `CREATE VIRTUAL TABLE IF NOT EXISTS chunk_vectors USING vec0(embedding bit[${paddedDimension(dimension)}])`,
    );
    db.exec(`CREATE TRIGGER IF NOT EXISTS embedding_chunks_delete_vectors AFTER DELETE ON embedding_chunks BEGIN
      DELETE FROM chunk_vectors WHERE rowid = old.id;
    END`);
  }).immediate();
}

/** Forgets every embedding (for `lore embed --all` with another model or dimension). */
export function dropAllEmbeddings(db: Db): void {
  db.transaction(() => {
    db.exec("DROP TRIGGER IF EXISTS embedding_chunks_delete_vectors");
    db.exec("DROP TABLE IF EXISTS chunk_vectors");
    db.exec("DELETE FROM embedding_chunks");
    db.exec("DELETE FROM document_embeddings");
    db.exec("DELETE FROM embedding_meta");
  }).immediate();
}

/** Bit vectors need a multiple of 8 dimensions; zero padding changes no distance. */
export function paddedDimension(dimension: number): number {
  return Math.ceil(dimension / 8) * 8;
}

export function vectorBlob(vector: readonly number[], length = vector.length): Buffer {
  const array = new Float32Array(length);
  array.set(vector);
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** The float32 blob to pass to vec_quantize_binary() for the index (padded to whole bytes). */
export function quantizableBlob(vector: readonly number[]): Buffer {
  return vectorBlob(vector, paddedDimension(vector.length));
}
