// Synthetic embedding vectors for the vector benchmarks and the vector index tests: random Gaussian
// directions, topic clusters, and sparse feature-hashed bags of words, written into a database as
// documents with chunks the way the embed pipeline writes them.

import type { Db } from "../../src/db/open.js";
import { ensureVectorTable, unitVectorBlob, VECTOR_TABLE } from "../../src/embedding/store.js";

function gaussian(random: () => number): number {
  let u = 0;
  while (u === 0) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function unit(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / norm;
  return v;
}

/** Chunk vectors and query vectors of one synthetic data set. */
export interface VectorSet {
  readonly label: string;
  readonly dimension: number;
  chunk(documentId: number): Float32Array;
  query(): Float32Array;
}

const gaussianVector = (random: () => number, dimension: number) =>
  unit(Float32Array.from({ length: dimension }, () => gaussian(random)));

/** Independent Gaussian directions: the true neighbours are barely nearer than the rest. */
export function randomSet(random: () => number, dimension: number): VectorSet {
  return {
    label: "random Gaussian",
    dimension,
    chunk: () => gaussianVector(random, dimension),
    query: () => gaussianVector(random, dimension),
  };
}

/** Chunks and queries around one of `topics` random centres, at a cosine of about 0.5–0.8 from it. */
export function topicSet(random: () => number, dimension: number, topics: number): VectorSet {
  const centres = Array.from({ length: topics }, () => gaussianVector(random, dimension));
  const around = (centre: Float32Array, spread: number) => {
    const noise = gaussianVector(random, dimension);
    return unit(Float32Array.from(centre, (x, d) => x + spread * (noise[d] as number)));
  };
  return {
    label: "topic-clustered",
    dimension,
    chunk: (documentId) => around(centres[documentId % topics] as Float32Array, 0.75 + random() * 0.9),
    query: () => around(centres[Math.floor(random() * topics)] as Float32Array, 1),
  };
}

/**
 * Feature-hashed bags of words, as a hashing embedder (or lore's test double) makes them: about
 * `words` of the dimensions are non-zero, every value is positive or negative by the word's hash,
 * and most pairs share no word at all. Queries are 6 words of one document's topic.
 */
export function sparseSet(random: () => number, dimension: number, words = 100): VectorSet {
  const vocabulary = 20_000;
  const topics = 500;
  const topicWords = Array.from({ length: topics }, () =>
    Array.from({ length: 40 }, () => Math.floor(random() * vocabulary)),
  );
  const hashed = (bag: readonly number[]) => {
    const v = new Float32Array(dimension);
    for (const word of bag) {
      const h = Math.imul(word + 1, 2654435761) >>> 0;
      v[h % dimension] = (v[h % dimension] as number) + ((h >>> 16) & 1 ? 1 : -1);
    }
    return unit(v);
  };
  const zipf = () => Math.floor(vocabulary * random() ** 3);
  return {
    label: "sparse (feature-hashed words)",
    dimension,
    chunk: (documentId) => {
      const own = topicWords[documentId % topics] as number[];
      const bag = Array.from({ length: words }, () =>
        random() < 0.3 ? (own[Math.floor(random() * own.length)] as number) : zipf(),
      );
      return hashed(bag);
    },
    query: () => {
      const own = topicWords[Math.floor(random() * topics)] as number[];
      return hashed(Array.from({ length: 6 }, () => own[Math.floor(random() * own.length)] as number));
    },
  };
}

/**
 * Writes `chunks` vectors of the set as documents of `chunksPerDocument` chunks (document i + 1
 * holds chunks i·n + 1 …), alternating issues and merge requests, into a migrated database.
 * Returns every vector, row after row, for brute-force comparisons.
 */
export function seedVectorCorpus(
  db: Db,
  set: VectorSet,
  chunks: number,
  chunksPerDocument: number,
  vectorOf: (documentId: number, chunk: number) => Float32Array = (documentId) => set.chunk(documentId),
  model = "test-model",
): Float32Array {
  ensureVectorTable(db, model, set.dimension);
  db.prepare(
    "INSERT OR IGNORE INTO projects (id, path_with_namespace, raw_json, synced_at) VALUES (1, 'g/p', '{}', 'x')",
  ).run();
  const all = new Float32Array(chunks * set.dimension);
  const insertDoc = db.prepare(
    `INSERT INTO documents (id, source_type, source_id, project_id, parent_type, parent_id, iid, title, updated_at, content, content_hash, generated_at)
     VALUES (?, ?, ?, 1, ?, ?, ?, 'Issue', '2024-01-01T00:00:00.000Z', ?, 'h', 'x')`,
  );
  const insertChunk = db.prepare(
    "INSERT INTO embedding_chunks (id, document_id, chunk_index, content_hash, model, embedded_at) VALUES (?, ?, ?, 'h', ?, 'x')",
  );
  const insertVector = db.prepare(`INSERT INTO ${VECTOR_TABLE} (rowid, embedding) VALUES (?, ?)`);
  for (let start = 0; start < chunks; start += 5_000) {
    db.transaction(() => {
      for (let i = start; i < Math.min(chunks, start + 5_000); i++) {
        const documentId = Math.floor(i / chunksPerDocument) + 1;
        if (i % chunksPerDocument === 0) {
          const type = documentId % 2 === 0 ? "merge_request" : "issue";
          insertDoc.run(
            documentId,
            type,
            String(documentId),
            type,
            documentId,
            documentId,
            `Document ${documentId}`,
          );
        }
        const v = vectorOf(documentId, i);
        all.set(v, i * set.dimension);
        insertChunk.run(i + 1, documentId, i % chunksPerDocument, model);
        insertVector.run(BigInt(i + 1), unitVectorBlob(v) as Buffer);
      }
    }).immediate();
  }
  return all;
}

/**
 * Gives a chunk a new vector as the embed pipeline does: its row deleted (its vector with it) and a
 * new one written for the same document and index, under a new id or (`sameId`) the old one.
 * Returns the chunk's id now.
 */
export function reembedChunk(db: Db, chunkId: number, vector: Float32Array, sameId = false): number {
  return db.transaction(() => {
    const row = db
      .prepare("SELECT document_id, chunk_index FROM embedding_chunks WHERE id = ?")
      .get(chunkId) as {
      document_id: number;
      chunk_index: number;
    };
    db.prepare("DELETE FROM embedding_chunks WHERE id = ?").run(chunkId);
    const id = Number(
      db
        .prepare(
          "INSERT INTO embedding_chunks (id, document_id, chunk_index, content_hash, model, embedded_at) VALUES (?, ?, ?, 'h2', 'test-model', 'y')",
        )
        .run(sameId ? chunkId : null, row.document_id, row.chunk_index).lastInsertRowid,
    );
    db.prepare(`INSERT INTO ${VECTOR_TABLE} (rowid, embedding) VALUES (?, ?)`).run(
      BigInt(id),
      unitVectorBlob(vector) as Buffer,
    );
    return id;
  })();
}
