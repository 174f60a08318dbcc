// Vector storage in sqlite-vec: the extension is loaded into every connection (deleting a document
// cascades to its vectors), the vec0 table is created once the dimension is known, and the model
// and dimension are recorded so a change is detected instead of silently mixing vectors.

import * as sqliteVec from "sqlite-vec";
import { LoreError } from "../core/errors.js";
import type { Db } from "../db/open.js";

export function loadVectorExtension(db: Db): void {
  sqliteVec.load(db);
}

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
      `CREATE VIRTUAL TABLE IF NOT EXISTS chunk_vectors USING vec0(embedding float[${dimension}] distance_metric=cosine)`,
    );
    db.exec(`CREATE TRIGGER IF NOT EXISTS embedding_chunks_delete_vectors AFTER DELETE ON embedding_chunks BEGIN
      DELETE FROM chunk_vectors WHERE rowid = old.id;
    END`);
  })();
}

/** Forgets every embedding (for `lore embed --all` with another model or dimension). */
export function dropAllEmbeddings(db: Db): void {
  db.transaction(() => {
    db.exec("DROP TRIGGER IF EXISTS embedding_chunks_delete_vectors");
    db.exec("DROP TABLE IF EXISTS chunk_vectors");
    db.exec("DELETE FROM embedding_chunks");
    db.exec("DELETE FROM document_embeddings");
    db.exec("DELETE FROM embedding_meta");
  })();
}

export function vectorBlob(vector: readonly number[]): Buffer {
  const array = Float32Array.from(vector);
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}
