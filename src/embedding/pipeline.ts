// Embeds documents chunk by chunk. What is embedded is the title and the body (the prose), never the
// metadata header, so a change of state, labels or dates alone sends nothing to the provider. A
// chunk is keyed by (document, index, hash of its text, model): unchanged chunks are never sent
// again, changed ones are replaced, surplus ones deleted. Texts are sent in batches, several at
// once; each group of documents is written in one transaction, while the next group's requests
// are already out. At the end of a full embed the vector index file is rebuilt when enough vectors
// changed since it was built (vector-index/write.ts).

import { createHash } from "node:crypto";
import { isLoreError, throwIfCancelled } from "../core/errors.js";
import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { documentChunks } from "./chunk.js";
import type { EmbeddingProvider } from "./provider.js";
import {
  assertCompatible,
  dropAllEmbeddings,
  ensureVectorTable,
  readEmbeddingMeta,
  unitVectorBlob,
  VECTOR_TABLE,
} from "./store.js";
import { refreshVectorIndex } from "./vector-index/write.js";

export interface EmbedCounters {
  docs_embedded: number;
  chunks_embedded: number;
  skipped_unchanged: number;
  failed: number;
}

export interface EmbedOptions {
  readonly signal?: AbortSignal;
  readonly chunkChars: number;
  readonly chunkOverlapChars: number;
  /** Re-embed everything; with another model or dimension, the old vectors are dropped first. */
  readonly all?: boolean;
  readonly onProgress?: (counters: Readonly<EmbedCounters>, total: number) => void;
}

interface DocRow {
  readonly id: number;
  readonly title: string;
  readonly body: string;
  readonly content_hash: string;
}

interface PendingChunk {
  readonly documentId: number;
  readonly index: number;
  readonly text: string;
  readonly hash: string;
}

/**
 * Documents per write group: enough to keep every concurrent request busy with full batches,
 * few enough to bound memory and the work lost to a Ctrl-C.
 */
const groupSize = (provider: EmbeddingProvider) =>
  Math.max(64, provider.batchSize * provider.concurrency * 4);

export function emptyEmbedCounters(): EmbedCounters {
  return { docs_embedded: 0, chunks_embedded: 0, skipped_unchanged: 0, failed: 0 };
}

const hashText = (text: string) => createHash("sha256").update(text).digest("hex");

/** Embeds every document lacking a current embedding (or all of them with `all`). */
export async function embedPendingDocuments(
  db: Db,
  provider: EmbeddingProvider,
  options: EmbedOptions,
): Promise<EmbedCounters> {
  if (options.all) {
    const meta = readEmbeddingMeta(db);
    if (meta && meta.model !== provider.model) dropAllEmbeddings(db);
  } else {
    assertCompatible(db, provider.model);
  }
  const ids = options.all
    ? (db.prepare("SELECT id FROM documents ORDER BY id").all() as { id: number }[]).map((r) => r.id)
    : (
        db
          .prepare(
            `SELECT d.id FROM documents d LEFT JOIN document_embeddings e ON e.document_id = d.id
             WHERE e.document_id IS NULL OR e.content_hash <> d.content_hash OR e.model <> ? ORDER BY d.id`,
          )
          .all(provider.model) as { id: number }[]
      ).map((r) => r.id);
  const counters = await embedIds(db, provider, ids, options, options.all === true);
  // The vectors are committed: bring the index file up to date with them (or drop it).
  refreshVectorIndex(db);
  return counters;
}

/**
 * Embeds those of these documents that lack a current embedding; no other document is touched.
 * For a surgical sync, which must stay a matter of round trips: it leaves the vector index file to
 * the next full embed (rebuilding it takes seconds at 200,000 chunks), and searches meanwhile
 * compute the chunks it changed exactly (vector-index/changes.ts).
 */
export async function embedDocumentsByIds(
  db: Db,
  provider: EmbeddingProvider,
  documentIds: readonly number[],
  options: EmbedOptions,
): Promise<EmbedCounters> {
  assertCompatible(db, provider.model);
  const current = db.prepare(
    `SELECT 1 FROM documents d JOIN document_embeddings e ON e.document_id = d.id
     WHERE d.id = ? AND e.content_hash = d.content_hash AND e.model = ?`,
  );
  const stale = [...new Set(documentIds)].filter((id) => current.get(id, provider.model) === undefined);
  return embedIds(db, provider, stale, options, false);
}

/** A group of documents read for embedding: what they hold, and the chunks to send. */
interface Group {
  readonly docs: readonly DocRow[];
  readonly chunkCounts: ReadonlyMap<number, number>;
  readonly pending: readonly PendingChunk[];
  /** The provider's vectors for `pending`, in order, or why it failed (never rejects). */
  readonly vectors: Promise<{ readonly vectors: number[][] } | { readonly error: unknown }>;
}

async function embedIds(
  db: Db,
  provider: EmbeddingProvider,
  ids: readonly number[],
  options: EmbedOptions,
  force: boolean,
): Promise<EmbedCounters> {
  const counters = emptyEmbedCounters();
  let lastRejection: unknown;
  const loadDoc = db.prepare(
    "SELECT id, title, lexical_body AS body, content_hash FROM documents WHERE id = ?",
  );
  const existingChunks = db.prepare(
    "SELECT chunk_index, content_hash, model FROM embedding_chunks WHERE document_id = ?",
  );
  const size = groupSize(provider);
  // Aborted once this returns or throws: requests still queued for a group in flight are not sent.
  const ended = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, ended.signal]) : ended.signal;
  /** Reads the next group and queues its requests behind those already queued. */
  const launch = (start: number): Group => {
    const docs = ids
      .slice(start, start + size)
      .map((id) => loadDoc.get(id) as DocRow | undefined)
      .filter((d): d is DocRow => d !== undefined);
    const pending: PendingChunk[] = [];
    const chunkCounts = new Map<number, number>();
    for (const doc of docs) {
      const chunks = documentChunks(doc.title, doc.body, options);
      chunkCounts.set(doc.id, chunks.length);
      const stored = new Map(
        (existingChunks.all(doc.id) as { chunk_index: number; content_hash: string; model: string }[]).map(
          (c) => [c.chunk_index, c],
        ),
      );
      chunks.forEach((text, index) => {
        const hash = hashText(text);
        const old = stored.get(index);
        if (!force && old && old.content_hash === hash && old.model === provider.model)
          counters.skipped_unchanged += 1;
        else pending.push({ documentId: doc.id, index, text, hash });
      });
    }
    const vectors = embedAll(provider, pending, signal).then(
      (vectors) => ({ vectors }),
      (error: unknown) => ({ error }),
    );
    return { docs, chunkCounts, pending, vectors };
  };
  // Two groups in flight: the next one's requests are queued while this one is awaited and written,
  // so the provider is never left idle between groups.
  const inFlight: Group[] = [];
  let next = 0;
  try {
    while (next < ids.length || inFlight.length > 0) {
      throwIfCancelled(options.signal);
      while (inFlight.length < 2 && next < ids.length) {
        inFlight.push(launch(next));
        next += size;
      }
      const group = inFlight.shift() as Group;
      const outcome = await group.vectors;
      if ("error" in outcome) {
        // A request the provider rejects for its content (a 4xx other than 429) fails this group
        // only; an unreachable or failing provider stops the run.
        const { error } = outcome;
        const status = isLoreError(error, "EMBEDDING")
          ? (error.details?.status as number | undefined)
          : undefined;
        if (status === undefined || status < 400 || status >= 500 || status === 429) throw error;
        counters.failed += group.docs.length;
        lastRejection = error;
        options.onProgress?.(counters, ids.length);
        continue;
      }
      throwIfCancelled(options.signal);
      const written = writeGroup(
        db,
        provider.model,
        group.docs,
        group.chunkCounts,
        group.pending,
        outcome.vectors,
      );
      counters.docs_embedded += written.docs;
      counters.chunks_embedded += written.chunks;
      options.onProgress?.(counters, ids.length);
    }
  } finally {
    ended.abort();
  }
  if (lastRejection !== undefined && counters.docs_embedded === 0) throw lastRejection;
  return counters;
}

/**
 * Sends the chunks in batches, keeping input order. The provider's own limiter holds them to
 * `provider.concurrency` requests at once, first asked first sent, so the batches of a later group
 * queue behind those of an earlier one.
 */
async function embedAll(
  provider: EmbeddingProvider,
  chunks: readonly PendingChunk[],
  signal: AbortSignal,
): Promise<number[][]> {
  const batches: PendingChunk[][] = [];
  for (let i = 0; i < chunks.length; i += provider.batchSize)
    batches.push(chunks.slice(i, i + provider.batchSize));
  const results = await Promise.all(
    batches.map((batch) =>
      provider.embed(
        batch.map((c) => c.text),
        signal,
      ),
    ),
  );
  return results.flat();
}

const writeStatements = perConnection((db) => ({
  currentHash: db.prepare<[number], string>("SELECT content_hash FROM documents WHERE id = ?").pluck(),
  removeChunk: db.prepare("DELETE FROM embedding_chunks WHERE document_id = ? AND chunk_index = ?"),
  removeSurplus: db.prepare("DELETE FROM embedding_chunks WHERE document_id = ? AND chunk_index >= ?"),
  insertChunk: db.prepare(
    "INSERT INTO embedding_chunks (document_id, chunk_index, content_hash, model, embedded_at) VALUES (?, ?, ?, ?, ?)",
  ),
  markCurrent: db.prepare(`
    INSERT INTO document_embeddings (document_id, content_hash, model, chunks, embedded_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (document_id) DO UPDATE SET content_hash = excluded.content_hash, model = excluded.model,
      chunks = excluded.chunks, embedded_at = excluded.embedded_at`),
}));

// Apart: the vector table exists only once a first vector told its dimension.
const insertVector = perConnection((db) =>
  db.prepare(`INSERT INTO ${VECTOR_TABLE} (rowid, embedding) VALUES (?, ?)`),
);

/**
 * Writes the vectors of the documents that are still as they were read: one changed or deleted by
 * another lore process while the provider answered is skipped (a changed one stays pending).
 */
function writeGroup(
  db: Db,
  model: string,
  docs: readonly DocRow[],
  chunkCounts: ReadonlyMap<number, number>,
  pending: readonly PendingChunk[],
  vectors: readonly number[][],
): { docs: number; chunks: number } {
  const dimension = vectors[0]?.length;
  if (dimension !== undefined) {
    assertCompatible(db, model, dimension);
    ensureVectorTable(db, model, dimension);
  }
  const s = writeStatements(db);
  const now = new Date().toISOString();
  const write = () => {
    const unchanged = new Set(
      docs.filter((d) => s.currentHash.get(d.id) === d.content_hash).map((d) => d.id),
    );
    let chunks = 0;
    pending.forEach((chunk, i) => {
      if (!unchanged.has(chunk.documentId)) return;
      const vector = vectors[i] as number[];
      s.removeChunk.run(chunk.documentId, chunk.index);
      const row = s.insertChunk.run(chunk.documentId, chunk.index, chunk.hash, model, now);
      const blob = unitVectorBlob(vector);
      if (blob) insertVector(db).run(BigInt(row.lastInsertRowid), blob);
      chunks += 1;
    });
    for (const doc of docs) {
      if (!unchanged.has(doc.id)) continue;
      const count = chunkCounts.get(doc.id) ?? 0;
      s.removeSurplus.run(doc.id, count);
      s.markCurrent.run(doc.id, doc.content_hash, model, count, now);
    }
    return { docs: unchanged.size, chunks };
  };
  return db.transaction(write).immediate();
}
