import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectReadOnly, type Db, openDatabase } from "../../src/db/open.js";
import {
  dropAllEmbeddings,
  ensureVectorTable,
  unitVectorBlob,
  VECTOR_TABLE,
} from "../../src/embedding/store.js";
import { layoutOf, vectorIndexPath, wordSum } from "../../src/embedding/vector-index/format.js";
import { BATCH_BYTES, strideFor, vectorKernel } from "../../src/embedding/vector-index/kernel.js";
import { quantise } from "../../src/embedding/vector-index/quantise.js";
import { indexedNearestDocuments } from "../../src/embedding/vector-index/search.js";
import { refreshVectorIndex } from "../../src/embedding/vector-index/write.js";
import { nearestDocuments } from "../../src/search/semantic.js";
import { prng } from "../support/generate.js";
import {
  randomSet,
  reembedChunk,
  seedVectorCorpus,
  sparseSet,
  topicSet,
  type VectorSet,
} from "../support/vector-sets.js";

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
};

/** The index's answer to a query with no filters (undefined when it leaves the query to the scan). */
const indexedAnswer = (connection: Db, query: Float32Array, limit: number) =>
  connection.transaction(() =>
    indexedNearestDocuments(connection, {
      vector: new Float32Array(new Uint8Array(unitVectorBlob(query) as Buffer).buffer),
      limit,
      minSimilarity: 0.00005,
      excluded: new Set(),
      accept: (ids) => new Set(ids),
    }),
  )();

describe("the kernels are assembled from the committed .wat", () => {
  it("kernel-wasm.ts is what scripts/build-wasm.mjs makes of them", async () => {
    const script: string = "../../scripts/build-wasm.mjs";
    const { kernelModuleSource } = (await import(script)) as { kernelModuleSource: () => Promise<string> };
    const committed = readFileSync("src/embedding/vector-index/kernel-wasm.ts", "utf8");
    expect(committed).toBe(await kernelModuleSource());
  });
});

describe("quantisation bounds the similarity on both sides", () => {
  const random = prng(7);
  const sets: VectorSet[] = [randomSet(random, 768), topicSet(random, 768, 5), sparseSet(random, 768, 20)];
  it.each(sets.map((s) => [s.label, s] as const))("%s", (_label, set) => {
    for (let trial = 0; trial < 200; trial++) {
      const x = set.chunk(trial);
      const q = trial % 3 === 0 ? Float32Array.from(x, (v) => -v) : set.query();
      const cx = new Int8Array(768);
      const cq = new Int8Array(768);
      const e = new Float64Array(768);
      const c2 = new Int8Array(768);
      const qx = quantise(x, cx, e);
      const qq = quantise(q, cq);
      const second = quantise(e, c2);
      const truth = dot(q, x);
      const level1 = qq.scale * qx.scale * dot(cq, cx);
      expect(Math.abs(truth - level1)).toBeLessThanOrEqual(qx.residual + qq.residual * qx.norm + 1e-12);
      const level2 = qx.scale * dot(q, cx) + second.scale * dot(q, c2);
      expect(Math.abs(truth - level2)).toBeLessThanOrEqual(second.residual + 1e-12);
      expect(second.residual).toBeLessThan(qx.residual / 50 + 1e-9);
    }
  });

  it("the zero vector has zero codes and zero bounds", () => {
    const codes = new Int8Array(4).fill(5);
    expect(quantise(new Float32Array(4), codes)).toEqual({ scale: 0, residual: 0, norm: 0, codeSum: 0 });
    expect([...codes]).toEqual([0, 0, 0, 0]);
  });
});

describe("the WebAssembly kernels", () => {
  const random = prng(11);
  const code = () => Math.round(random() * 254) - 127;
  it.each([
    ["relaxed SIMD when available", true, 768, 300],
    ["portable SIMD", false, 768, 300],
    ["relaxed SIMD, a dimension that is not a multiple of 64", true, 100, 50],
    ["portable SIMD, a dimension that is not a multiple of 64", false, 100, 50],
    ["portable SIMD, more rows than one batch", false, 128, 9_000],
  ])("%s: exact integer dot products and the codes' checksum", (_label, relaxed, dimension, rows) => {
    const kernel = vectorKernel(relaxed);
    const stride = strideFor(dimension);
    const codes = new Int8Array(rows * stride);
    for (let r = 0; r < rows; r++)
      for (let d = 0; d < dimension; d++) codes[r * stride + d] = r === 0 ? 127 : r === 1 ? -127 : code();
    const query = Int8Array.from({ length: dimension }, (_, d) => (d % 2 === 0 ? -127 : code()));
    const bytes = new Uint8Array(codes.buffer);
    // Short reads, as a file may give them.
    const read = (target: Uint8Array, position: number) => {
      const n = Math.min(target.length, bytes.length - position, 1000);
      target.set(bytes.subarray(position, position + n));
      return n;
    };
    const queryAt = 0;
    const outAt = 2 * stride;
    const bufferAt = outAt + Math.ceil((rows * 4) / 64) * 64;
    kernel.reserve(bufferAt + BATCH_BYTES + stride);
    kernel.layQuery(queryAt, query, stride);
    const checksum = kernel.scan(read, 0, rows, stride, queryAt, outAt, bufferAt);
    const raw = new Int32Array(kernel.buffer(), outAt, rows);
    for (let r = 0; r < rows; r++) {
      const row = codes.subarray(r * stride, r * stride + dimension);
      const sum = row.reduce((a, c) => a + c, 0);
      expect((raw[r] as number) - kernel.dotOffset * sum).toBe(dot(query, row));
    }
    expect(checksum).toBe(wordSum(codes));
  });

  it("a short read is an error, not a partial answer", () => {
    const kernel = vectorKernel();
    kernel.reserve(BATCH_BYTES * 2);
    expect(() => kernel.scan(() => 0, 0, 2, 64, 0, 128, 256)).toThrow(/short read/);
  });

  it("bounds, collect and the float dot product do what rows.wat says", () => {
    const kernel = vectorKernel();
    kernel.reserve(1 << 20);
    const memory = kernel.buffer();
    new Int32Array(memory, 0, 3).set([10, -4, 0]);
    new Int32Array(memory, 64, 3).set([1, 2, 3]);
    new Float32Array(memory, 128, 3).set([0.5, 0.25, 1]);
    new Float32Array(memory, 192, 3).set([0.01, 0.02, 0]);
    new Float32Array(memory, 256, 3).set([1, 0.5, 0]);
    const histogram = new Int32Array(memory, 1024, 4096);
    histogram.fill(0);
    kernel.bounds(3, 0, 64, 2, 128, 192, 256, 0.1, 0.2, 1, 0.001, 320, 384, 1024);
    const lo = new Float64Array(memory, 320, 3);
    const hi = new Float64Array(memory, 384, 3);
    const expected = [
      [0.1 * 0.5 * 8, 0.01 + 0.2 * 1 + 0.001],
      [0.1 * 0.25 * -8, 0.02 + 0.2 * 0.5 + 0.001],
      [0.1 * 1 * -6, 0.001],
    ];
    expected.forEach(([estimate, width], i) => {
      expect(lo[i]).toBeCloseTo((estimate as number) - (width as number), 6);
      expect(hi[i]).toBeCloseTo((estimate as number) + (width as number), 6);
      expect(histogram[Math.floor(((lo[i] as number) + 2) * 1024)]).toBe(1);
    });
    expect(histogram.reduce((a, n) => a + n, 0)).toBe(3);
    expect([...new Int32Array(memory, 8192, kernel.collect(384, 3, -0.5, 8192))]).toEqual([0, 1]);
    expect(kernel.collect(384, 3, 2, 8192)).toBe(0);
    new Float32Array(memory, 512, 3).set([0.5, -2, 0.25]);
    new Int8Array(memory, 576, 3).set([4, 3, -127]);
    expect(kernel.dotF32I8(512, 576, 3)).toBe(0.5 * 4 - 2 * 3 + 0.25 * -127);
  });
});

/**
 * The same answer: the same similarities in the same order (within `tolerance`), and the same
 * document wherever its similarity is not shared. Documents that tie may come in either order, and
 * which of them a cut at the limit keeps is arbitrary in vec0's scan.
 */
function expectSameAnswer(
  actual: readonly { id: number | string; similarity: number }[],
  expected: readonly { id: number | string; similarity: number }[],
  tolerance: number,
  /** What comes after the cut in the expected order (a tie may straddle it). */
  beyond: readonly { similarity: number }[] = [],
): void {
  expect(actual.length).toBe(expected.length);
  const shared = (s: number) =>
    [...actual, ...expected, ...beyond].filter((h) => Math.abs(h.similarity - s) <= 2 * tolerance).length > 2;
  actual.forEach((hit, i) => {
    const other = expected[i] as { id: number | string; similarity: number };
    expect(Math.abs(hit.similarity - other.similarity)).toBeLessThanOrEqual(tolerance);
    if (!shared(hit.similarity)) expect(hit.id).toBe(other.id);
  });
}

describe("nearest documents through the index are exactly those of the exact scan", () => {
  let dir: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "lore-vector-index-"));
    db = openDatabase(join(dir, "lore.db"));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const CHUNKS = 900;
  const PER_DOCUMENT = 3;
  const indexFile = () => vectorIndexPath(join(dir, "lore.db"));
  const fromIndex = (query: Float32Array, limit: number) => indexedAnswer(db, query, limit);
  /** Best similarity per document by a float64 loop over every vector, best first. */
  const bruteForce = (all: Float32Array, query: Float32Array, limit: number) => {
    const best = new Map<number, number>();
    for (let i = 0; i < CHUNKS; i++) {
      const s = dot(query, all.subarray(i * 768, (i + 1) * 768));
      const d = Math.floor(i / PER_DOCUMENT) + 1;
      best.set(d, Math.max(best.get(d) ?? Number.NEGATIVE_INFINITY, s));
    }
    return [...best.entries()]
      .filter(([, s]) => s >= 0.00005)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, limit);
  };

  const random = prng(5);
  /** The first chunk of every fifth document is one same vector: exact ties at many ranks. */
  const withTies = (set: VectorSet): VectorSet => {
    const shared = set.chunk(1);
    let chunks = 0;
    return {
      ...set,
      label: `${set.label}, with ties`,
      chunk: (d) => (chunks++ % PER_DOCUMENT === 0 && d % 5 === 0 ? shared : set.chunk(d)),
    };
  };
  it.each(
    [
      randomSet(random, 768),
      topicSet(random, 768, 6),
      sparseSet(random, 768),
      withTies(topicSet(random, 768, 4)),
    ].map((set) => [set.label, set] as const),
  )("%s", (_label, set) => {
    const all = seedVectorCorpus(db, set, CHUNKS, PER_DOCUMENT);
    expect(refreshVectorIndex(db, { minChunks: 0 })).toMatchObject({ status: "built", count: CHUNKS });
    const queries = [
      ...Array.from({ length: 5 }, () => set.query()),
      // Negative similarities everywhere near it, and a query equal to a stored vector.
      Float32Array.from(set.chunk(2), (v) => -v),
      Float32Array.from(all.subarray(768 * 30, 768 * 31)),
    ];
    const cases = queries.flatMap((query) => [1, 10, 40].map((limit) => ({ query, limit })));
    // The index alone, against brute force.
    for (const { query, limit } of cases) {
      const indexed = fromIndex(query, limit) ?? [];
      const brute = bruteForce(all, query, limit + 10).map(([id, similarity]) => ({ id, similarity }));
      expectSameAnswer(
        indexed.map((h) => ({ id: h.documentId, similarity: h.similarity })),
        brute.slice(0, limit),
        // sqlite-vec's float32 arithmetic against a float64 loop.
        5e-6,
        brute.slice(limit),
      );
      const truth = new Map(bruteForce(all, query, CHUNKS).map(([d, s]) => [d, s]));
      for (const hit of indexed) expect(hit.similarity).toBeCloseTo(truth.get(hit.documentId) as number, 5);
    }
    // Semantic search with filters and an excluded document, with the index and then without it.
    const search = () =>
      cases.map(({ query, limit }) =>
        nearestDocuments(db, Array.from(query), { types: ["issue"] }, limit, {
          excludeDocumentIds: [bruteForce(all, query, 1)[0]?.[0] ?? 0],
        }),
      );
    const withIndex = search();
    expect(withIndex.flat().every((hit) => hit.documentId % 2 === 1)).toBe(true);
    rmSync(indexFile());
    const withoutIndex = search();
    withIndex.forEach((hits, i) => {
      const as = (list: typeof hits) =>
        list.map((h) => ({ id: `${h.documentId}:${h.chunkIndex}`, similarity: h.similarity }));
      expectSameAnswer(as(hits), as(withoutIndex[i] ?? []), 0);
    });
  });
});

describe("an index file that is not current or not intact is never used", () => {
  let dir: string;
  let dbPath: string;
  let db: Db;
  let all: Float32Array;
  const set = topicSet(prng(21), 768, 5);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "lore-vector-index-"));
    dbPath = join(dir, "lore.db");
    db = openDatabase(dbPath);
    all = seedVectorCorpus(db, set, 300, 2);
    expect(refreshVectorIndex(db, { minChunks: 0 }).status).toBe("built");
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const vectorOfChunk = (i: number) => Float32Array.from(all.subarray(i * 768, (i + 1) * 768));
  const fromIndex = (connection: Db, query: Float32Array) => indexedAnswer(connection, query, 5);
  const exactTop = (query: Float32Array) => {
    const file = readFileSync(vectorIndexPath(dbPath));
    rmSync(vectorIndexPath(dbPath));
    const found = nearestDocuments(db, Array.from(query), {}, 5);
    writeFileSync(vectorIndexPath(dbPath), file);
    return found;
  };

  it("is used when current, also through a read-only connection", () => {
    const query = vectorOfChunk(10);
    expect(fromIndex(db, query)?.[0]).toMatchObject({ documentId: 6, chunkId: 11 });
    const reader = connectReadOnly(dbPath);
    try {
      expect(fromIndex(reader, query)?.[0]).toMatchObject({ documentId: 6, chunkId: 11 });
    } finally {
      reader.close();
    }
  });

  it.each([
    [
      "a chunk added",
      (d: Db) => {
        d.prepare(
          "INSERT INTO embedding_chunks (id, document_id, chunk_index, content_hash, model, embedded_at) VALUES (1000, 1, 9, 'h', 'test-model', 'x')",
        ).run();
        return d
          .prepare(`INSERT INTO ${VECTOR_TABLE} (rowid, embedding) VALUES (1000, ?)`)
          .run(unitVectorBlob(vectorOfChunk(10))).changes;
      },
    ],
    ["a chunk deleted", (d: Db) => d.prepare("DELETE FROM embedding_chunks WHERE id = 11").run().changes],
    ["a document deleted", (d: Db) => d.prepare("DELETE FROM documents WHERE id = 6").run().changes],
    ["every embedding dropped", (d: Db) => d.prepare("DELETE FROM embedding_chunks").run().changes],
  ])("after %s, until the next refresh", (_label, change) => {
    const query = vectorOfChunk(10);
    expect(change(db)).toBeGreaterThan(0);
    expect(fromIndex(db, query)).toBeUndefined();
    const exact = exactTop(query);
    expect(nearestDocuments(db, Array.from(query), {}, 5)).toEqual(exact);
    const refreshed = refreshVectorIndex(db, { minChunks: 0 });
    expect(refreshed.status).toBe(exact.length > 0 ? "built" : "not_needed");
    expect(fromIndex(db, query)?.length).toBe(exact.length > 0 ? exact.length : undefined);
    expect(nearestDocuments(db, Array.from(query), {}, 5)).toEqual(exact);
  });

  const damage = (at: (layout: ReturnType<typeof layoutOf>) => number) => () => {
    const file = readFileSync(vectorIndexPath(dbPath));
    const position = at(layoutOf(300, 768));
    file[position] = ((file[position] as number) + 1) & 0xff;
    writeFileSync(vectorIndexPath(dbPath), file);
  };
  it.each([
    ["truncated", () => truncateSync(vectorIndexPath(dbPath), layoutOf(300, 768).end - 64)],
    ["with a damaged header", damage(() => 3)],
    ["with a damaged generation", damage(() => 24)],
    ["with a damaged row block", damage((l) => l.scales + 40)],
    ["with damaged codes", damage((l) => l.codes + 768 * 10 + 5)],
    ["with damaged level-2 codes", damage((l) => l.codes2 + 768 * 10 + 5)],
    ["emptied", () => writeFileSync(vectorIndexPath(dbPath), "")],
  ])("%s, and the next refresh rebuilds it", (_label, harm) => {
    const query = vectorOfChunk(10);
    const exact = exactTop(query);
    harm();
    expect(fromIndex(db, query)).toBeUndefined();
    expect(nearestDocuments(db, Array.from(query), {}, 5)).toEqual(exact);
    expect(refreshVectorIndex(db, { minChunks: 0 }).status).toBe("built");
    expect(fromIndex(db, query)?.[0]).toMatchObject({ documentId: 6, chunkId: 11 });
  });

  it("is current after a refresh with nothing changed, and dropped below the threshold", () => {
    expect(refreshVectorIndex(db, { minChunks: 0 }).status).toBe("current");
    expect(refreshVectorIndex(db, { minChunks: 301 }).status).toBe("not_needed");
    expect(existsSync(vectorIndexPath(dbPath))).toBe(false);
  });

  it("cannot be written: searches stay exact and nothing throws", () => {
    rmSync(vectorIndexPath(dbPath));
    db.prepare("DELETE FROM embedding_chunks WHERE id = 1").run();
    mkdirSync(`${vectorIndexPath(dbPath)}.${process.pid}.tmp`);
    expect(refreshVectorIndex(db, { minChunks: 0 }).status).toBe("unavailable");
    const query = vectorOfChunk(10);
    expect(nearestDocuments(db, Array.from(query), {}, 5)[0]).toMatchObject({ documentId: 6 });
  });
});

describe("a query the bounds cannot narrow down", () => {
  it("is left to the exact scan: 200 documents with the same vector, all tied", () => {
    const dir = mkdtempSync(join(tmpdir(), "lore-vector-index-"));
    const db = openDatabase(join(dir, "lore.db"));
    try {
      const set = randomSet(prng(3), 768);
      const same = set.chunk(0);
      seedVectorCorpus(db, set, 400, 2, () => same);
      expect(refreshVectorIndex(db, { minChunks: 0 }).status).toBe("built");
      const query = { vector: same, limit: 10, minSimilarity: 0.00005, excluded: new Set<number>() };
      expect(
        db.transaction(() => indexedNearestDocuments(db, { ...query, accept: (ids) => new Set(ids) }))(),
      ).toBeUndefined();
      // Which of the tied documents vec0's scan keeps is its own affair; all are as similar.
      const found = nearestDocuments(db, Array.from(same), {}, 10);
      expect(new Set(found.map((hit) => hit.documentId)).size).toBe(10);
      expect(new Set(found.map((hit) => hit.similarity)).size).toBe(1);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("after a few changes without a rebuild, the index answers exactly as the scan", () => {
  let dir: string;
  let dbPath: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "lore-vector-index-"));
    dbPath = join(dir, "lore.db");
    db = openDatabase(dbPath);
    process.env.LORE_VECTOR_INDEX_MAX_CHANGES = "40";
  });
  afterEach(() => {
    delete process.env.LORE_VECTOR_INDEX_MAX_CHANGES;
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fromIndex = (query: Float32Array, limit: number) => indexedAnswer(db, query, limit);
  /** The exact scan's answer: vec0 searched with the index file out of the way. */
  const scanned = (query: Float32Array, limit: number) => {
    const file = readFileSync(vectorIndexPath(dbPath));
    rmSync(vectorIndexPath(dbPath));
    try {
      return nearestDocuments(db, Array.from(query), {}, limit);
    } finally {
      writeFileSync(vectorIndexPath(dbPath), file);
    }
  };
  const reembed = (chunkId: number, vector: Float32Array, sameId = false) =>
    reembedChunk(db, chunkId, vector, sameId);

  const random = prng(17);
  it.each(
    [randomSet(random, 768), topicSet(random, 768, 6), sparseSet(random, 768)].map(
      (set) => [set.label, set] as const,
    ),
  )("%s", (_label, set) => {
    seedVectorCorpus(db, set, 900, 3);
    expect(refreshVectorIndex(db, { minChunks: 0 }).status).toBe("built");
    const [q1, q2, q3] = [set.query(), set.query(), set.query()] as [
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    // The best match of q1 deleted; a chunk re-embedded to q2's own direction (a new chunk id) and
    // one to q3's under its old id; a chunk added, one updated in place, a document deleted.
    const deleted = fromIndex(q1, 1)?.[0]?.chunkId as number;
    db.prepare("DELETE FROM embedding_chunks WHERE id = ?").run(deleted);
    const moved = reembed(500, q2);
    reembed(100, q3, true);
    db.prepare(
      "INSERT INTO embedding_chunks (document_id, chunk_index, content_hash, model, embedded_at) VALUES (2, 3, 'h', 'test-model', 'x')",
    ).run();
    db.prepare(`INSERT INTO ${VECTOR_TABLE} (rowid, embedding) VALUES (last_insert_rowid(), ?)`).run(
      unitVectorBlob(set.chunk(2)) as Buffer,
    );
    db.prepare("UPDATE embedding_chunks SET content_hash = 'h3' WHERE id = 700").run();
    db.prepare("DELETE FROM documents WHERE id = 50").run();
    expect(refreshVectorIndex(db, { minChunks: 0 })).toMatchObject({ status: "current", changes: 10 });

    expect(fromIndex(q2, 1)?.[0]).toMatchObject({ documentId: 167, chunkId: moved });
    expect(fromIndex(q3, 1)?.[0]).toMatchObject({ documentId: 34, chunkId: 100 });
    expect(fromIndex(q1, 40)?.some((hit) => hit.chunkId === deleted)).toBe(false);
    const queries = [q1, q2, q3, ...Array.from({ length: 4 }, () => set.query()), set.chunk(2)];
    for (const query of queries) {
      for (const limit of [1, 10, 40]) {
        expect(fromIndex(query, limit)).toBeDefined();
        const through = nearestDocuments(db, Array.from(query), {}, limit);
        expect(through).toEqual(scanned(query, limit));
      }
    }
  });
});

describe("a change log the index file cannot rely on", () => {
  let dir: string;
  let dbPath: string;
  let db: Db;
  const set = topicSet(prng(23), 768, 5);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "lore-vector-index-"));
    dbPath = join(dir, "lore.db");
    db = openDatabase(dbPath);
    seedVectorCorpus(db, set, 300, 2);
    expect(refreshVectorIndex(db, { minChunks: 0 }).status).toBe("built");
  });
  afterEach(() => {
    delete process.env.LORE_VECTOR_INDEX_MAX_CHANGES;
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const query = set.query();
  const fromIndex = () => indexedAnswer(db, query, 5);
  const deleteChunk = (id: number) => db.prepare("DELETE FROM embedding_chunks WHERE id = ?").run(id);

  it("with more changes than the bound, is left to the exact scan", () => {
    process.env.LORE_VECTOR_INDEX_MAX_CHANGES = "3";
    for (const id of [1, 2, 3]) deleteChunk(id);
    expect(fromIndex()).toBeDefined();
    deleteChunk(4);
    expect(fromIndex()).toBeUndefined();
    const exact = nearestDocuments(db, Array.from(query), {}, 5);
    rmSync(vectorIndexPath(dbPath));
    expect(nearestDocuments(db, Array.from(query), {}, 5)).toEqual(exact);
  });

  it("that lost entries the file needs (pruned by a newer file), is left to the exact scan", () => {
    process.env.LORE_VECTOR_INDEX_MAX_CHANGES = "0";
    const previous = readFileSync(vectorIndexPath(dbPath));
    deleteChunk(1);
    // A writer rebuilds (every change is past the threshold here) and prunes what the new file has.
    expect(refreshVectorIndex(db, { minChunks: 0 }).status).toBe("built");
    expect(db.prepare("SELECT count(*) FROM vector_index_changes").pluck().get()).toBe(0);
    process.env.LORE_VECTOR_INDEX_MAX_CHANGES = "40";
    deleteChunk(2);
    expect(fromIndex()).toBeDefined();
    // A reader still holding the previous file: entry 1 is gone, so it cannot tell what changed.
    writeFileSync(vectorIndexPath(dbPath), previous);
    expect(fromIndex()).toBeUndefined();
    expect(refreshVectorIndex(db, { minChunks: 0 }).status).toBe("built");
    expect(fromIndex()).toBeDefined();
  });

  it("is current with its changes counted, rebuilt only past half the bound", () => {
    process.env.LORE_VECTOR_INDEX_MAX_CHANGES = "4";
    deleteChunk(1);
    deleteChunk(2);
    expect(refreshVectorIndex(db, { minChunks: 0 })).toMatchObject({ status: "current", changes: 2 });
    deleteChunk(3);
    expect(refreshVectorIndex(db, { minChunks: 0 }).status).toBe("built");
    expect(refreshVectorIndex(db, { minChunks: 0 })).toMatchObject({ status: "current", changes: 0 });
  });

  it("after every embedding dropped for another model, is never used again", () => {
    process.env.LORE_VECTOR_INDEX_MAX_CHANGES = "40";
    dropAllEmbeddings(db);
    expect(db.prepare("SELECT count(*) FROM vector_index_changes").pluck().get()).toBe(0);
    // The same model again, and two chunks: a short log, but the file's vectors are all gone.
    ensureVectorTable(db, "test-model", 768);
    for (const id of [1, 2]) {
      db.prepare(
        "INSERT INTO embedding_chunks (id, document_id, chunk_index, content_hash, model, embedded_at) VALUES (?, 1, ?, 'h', 'test-model', 'x')",
      ).run(id, id);
      db.prepare(`INSERT INTO ${VECTOR_TABLE} (rowid, embedding) VALUES (?, ?)`).run(
        BigInt(id),
        unitVectorBlob(set.chunk(1)) as Buffer,
      );
    }
    expect(db.prepare("SELECT count(*) FROM vector_index_changes").pluck().get()).toBe(2);
    expect(fromIndex()).toBeUndefined();
  });
});
