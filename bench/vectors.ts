// Vector benchmarks. Nearest-neighbour search over three kinds of 768-dimension vectors (random
// Gaussian, topic-clustered, and sparse feature-hashed bags of words) at 1,000, 20,000 and 200,000
// chunks: lore's semantic search through its vector index file (int8 codes scanned by a WASM SIMD
// kernel, the answer re-ranked exactly from vec0; from 50,000 chunks up also with the scan on one
// thread instead of two) beside the exact scan of the float32 vec0 table
// it replaces from 10,000 chunks up, measured in the same run, and a tight JavaScript loop over the
// vectors in memory: the exact answer recall is measured against. At the largest size, the random
// set is measured again after some chunks were re-embedded without a rebuild (as a surgical sync
// leaves the file: those chunks computed exactly from vec0). Then what building the index costs (a
// sync pays it), and embedding throughput against the fake provider compared with the provider's
// own ceiling.

import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { EmbeddingConfigSchema } from "../src/config/schema.js";
import { type Db, openDatabase } from "../src/db/open.js";
import { createEmbeddingProvider } from "../src/embedding/create-provider.js";
import { embedPendingDocuments } from "../src/embedding/pipeline.js";
import { changeBound } from "../src/embedding/vector-index/changes.js";
import { vectorIndexPath } from "../src/embedding/vector-index/format.js";
import { vectorKernel } from "../src/embedding/vector-index/kernel.js";
import {
  HELPER_MIN_ROWS,
  scanHelperReady,
  stopScanHelper,
} from "../src/embedding/vector-index/scan-helper.js";
import { vectorIndexStatus } from "../src/embedding/vector-index/status.js";
import { INDEX_MIN_CHUNKS, refreshVectorIndex } from "../src/embedding/vector-index/write.js";
import { nearestDocuments, prepareNearest } from "../src/search/semantic.js";
import { startFakeEmbedder } from "../test/support/fake-embedder.js";
import { prng } from "../test/support/generate.js";
import {
  randomSet,
  reembedChunk,
  seedVectorCorpus,
  sparseSet,
  topicSet,
  type VectorSet,
} from "../test/support/vector-sets.js";
import { percentile, QUICK, table, verdict } from "./harness.js";

const DIMENSION = 768;
const CHUNKS_PER_DOCUMENT = 4;
const TOP = 10;
const QUERIES = 13; // the first warms the cache and is not timed
const INDEXED = "lore: index file + exact re-rank";
const ONE_THREAD = "lore: the same, the scan on one thread (LORE_VECTOR_SCAN_THREADS=1)";
const SCANNED = "exact scan of the float32 vec0 table (lore before; below 10,000 chunks)";

interface Row {
  readonly set: string;
  readonly chunks: number;
  readonly method: string;
  readonly times: number[];
  readonly recall: number;
}

interface Build {
  readonly set: string;
  readonly chunks: number;
  readonly ms: number;
  readonly bytes: number;
}

/** Best similarity per document over all chunks, by a tight loop over the vectors in memory. */
function exactScan(all: Float32Array, chunks: number, query: Float32Array): Map<number, number> {
  const best = new Map<number, number>();
  for (let i = 0; i < chunks; i++) {
    let dot = 0;
    const offset = i * DIMENSION;
    for (let d = 0; d < DIMENSION; d++) dot += (all[offset + d] as number) * (query[d] as number);
    const documentId = Math.floor(i / CHUNKS_PER_DOCUMENT) + 1;
    if (dot > (best.get(documentId) ?? Number.NEGATIVE_INFINITY)) best.set(documentId, dot);
  }
  return best;
}

async function helperReady(): Promise<void> {
  for (let waited = 0; !scanHelperReady(); waited += 10) {
    if (waited > 10_000) throw new Error("the scan's second thread did not start");
    await sleep(10);
  }
}

/**
 * Of the exact top 10 (similarity above 0), the share a method returned. A returned document as
 * similar as the 10th counts as a hit, so ties at the boundary do not count against a method.
 */
function recallOf(exact: Map<number, number>, found: readonly number[]): { hits: number; total: number } {
  const top = [...exact.values()]
    .filter((s) => s > 0)
    .sort((a, b) => b - a)
    .slice(0, TOP);
  if (top.length === 0) return { hits: 0, total: 0 };
  const floor = (top.at(-1) as number) - 1e-6;
  const hits = found.filter((id) => (exact.get(id) ?? Number.NEGATIVE_INFINITY) >= floor).length;
  return { hits: Math.min(hits, top.length), total: top.length };
}

function measure(
  db: Db,
  set: VectorSet,
  chunks: number,
  method: string,
  queries: readonly Float32Array[],
  exact: readonly Map<number, number>[],
): Row {
  const times: number[] = [];
  let hits = 0;
  let total = 0;
  for (const [index, q] of queries.entries()) {
    const started = performance.now();
    const found = nearestDocuments(db, Array.from(q), {}, TOP).map((d) => d.documentId);
    if (index > 0) times.push(performance.now() - started);
    const r = recallOf(exact[index] as Map<number, number>, found);
    hits += r.hits;
    total += r.total;
  }
  return {
    set: set.label,
    chunks,
    method,
    times: times.sort((a, b) => a - b),
    recall: total === 0 ? 1 : hits / total,
  };
}

/**
 * Re-embedded chunks measured without a rebuild: 100, or fewer where the corpus's bound on changes
 * would not take them (each is two log entries: its old row deleted, its new one inserted).
 */
const changedChunks = (chunks: number) => Math.min(100, Math.floor(changeBound(chunks) / 2));

async function knnOn(
  set: VectorSet,
  chunks: number,
  withChanges: boolean,
): Promise<{ rows: Row[]; build: Build }> {
  const dir = mkdtempSync(join(tmpdir(), "lore-bench-knn-"));
  const dbPath = join(dir, "lore.db");
  const db = openDatabase(dbPath);
  try {
    const all = seedVectorCorpus(db, set, chunks, CHUNKS_PER_DOCUMENT);
    const queries = Array.from({ length: QUERIES }, () => set.query());
    const exact = queries.map((q) => exactScan(all, chunks, q));
    const baselineTimes: number[] = [];
    for (const q of queries.slice(1)) {
      const started = performance.now();
      exactScan(all, chunks, q);
      baselineTimes.push(performance.now() - started);
    }
    const rows: Row[] = [
      {
        set: set.label,
        chunks,
        method: "exact scan in JS, vectors already in memory (recall reference)",
        times: baselineTimes.sort((a, b) => a - b),
        recall: 1,
      },
    ];
    rmSync(vectorIndexPath(dbPath), { force: true });
    rows.push(measure(db, set, chunks, SCANNED, queries, exact));
    // Built at every size here, to measure it; lore keeps one only from INDEX_MIN_CHUNKS up.
    const started = performance.now();
    const refresh = refreshVectorIndex(db, { minChunks: 0 });
    const build = { set: set.label, chunks, ms: performance.now() - started, bytes: 0 };
    if (refresh.status !== "built") throw new Error(`index not built: ${JSON.stringify(refresh)}`);
    if (chunks >= HELPER_MIN_ROWS) {
      // One thread first, then with the scan's second thread started and ready, as a long-lived
      // process (lore mcp) has it from its second search on.
      await stopScanHelper();
      process.env.LORE_VECTOR_SCAN_THREADS = "1";
      rows.push(measure(db, set, chunks, ONE_THREAD, queries, exact));
      delete process.env.LORE_VECTOR_SCAN_THREADS;
      prepareNearest(db);
      await helperReady();
    }
    rows.push(measure(db, set, chunks, INDEXED, queries, exact));
    const changed = changedChunks(chunks);
    if (withChanges && changed > 0) {
      // Spread over the corpus, each given a new vector; the reference follows.
      for (let k = 0; k < changed; k++) {
        const i = Math.floor(((k + 0.5) * chunks) / changed);
        const vector = set.chunk(Math.floor(i / CHUNKS_PER_DOCUMENT) + 1);
        reembedChunk(db, i + 1, vector);
        all.set(vector, i * DIMENSION);
      }
      const status = vectorIndexStatus(db);
      if (status.state !== "current") throw new Error(`index not in use: ${JSON.stringify(status)}`);
      const changedExact = queries.map((q) => exactScan(all, chunks, q));
      const method = `lore: index file + ${changed} chunks re-embedded since (${status.changes} log entries), no rebuild`;
      rows.push(measure(db, set, chunks, method, queries, changedExact));
    }
    return { rows, build: { ...build, bytes: refresh.bytes } };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function knn(): Promise<void> {
  const sizes = QUICK ? [1_000, 20_000] : [1_000, 20_000, 200_000];
  console.log(
    `\n## Semantic search: top ${TOP} documents (${CHUNKS_PER_DOCUMENT} chunks each) × ${DIMENSION} dimensions\n`,
  );
  console.log(
    `Recall@10 is against the exact scan in JS (ties at the 10th similarity count as hits); latency is p50 / p95 of ${QUERIES - 1} queries in one process, the files in the page cache. Kernel: ${vectorKernel().relaxed ? "relaxed SIMD" : "portable SIMD"}. lore keeps an index file from ${INDEX_MIN_CHUNKS.toLocaleString("en-US")} chunks up; it is measured at every size here.\n`,
  );
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(", ");
  console.log(`Load average (1, 5, 15 min) at the start: ${load()}.\n`);
  const rows: Row[] = [];
  const builds: Build[] = [];
  for (const chunks of sizes) {
    const random = prng(3 + chunks);
    for (const set of [
      randomSet(random, DIMENSION),
      topicSet(random, DIMENSION, chunks / 100),
      sparseSet(random, DIMENSION),
    ]) {
      const measured = await knnOn(set, chunks, chunks === sizes.at(-1) && set.label === "random Gaussian");
      rows.push(...measured.rows);
      builds.push(measured.build);
    }
  }
  console.log(
    table(
      ["chunks", "vectors", "method", "p50 ms", "p95 ms", "recall@10"],
      rows.map((r) => [
        r.chunks,
        r.set,
        r.method,
        percentile(r.times, 50).toFixed(1),
        percentile(r.times, 95).toFixed(1),
        r.recall.toFixed(3),
      ]),
    ),
  );
  console.log("\nBuilding the index file (what a sync or lore embed pays when the vectors changed):\n");
  console.log(
    table(
      ["chunks", "vectors", "build ms", "file MB"],
      builds.map((b) => [b.chunks, b.set, Math.round(b.ms), (b.bytes / 1e6).toFixed(1)]),
    ),
  );
  console.log(`\nLoad average (1, 5, 15 min) at the end: ${load()}.`);
  const lore = rows.filter((r) => r.method.startsWith("lore:"));
  const worstRecall = Math.min(...lore.map((r) => r.recall));
  console.log("");
  console.log(
    `${verdict(worstRecall >= 0.99)}  lore recall@10 ≥ 0.99 on every set and size (worst ${worstRecall.toFixed(3)}; the index path is exact by construction)`,
  );
  const atTarget = lore.filter((r) => r.chunks === 200_000);
  if (atTarget.length === 0) {
    console.log("      the latency targets are for 200,000 chunks: run without --quick");
    return;
  }
  const slowest = (method: string, p: number) =>
    Math.max(
      ...rows.filter((r) => r.chunks === 200_000 && r.method === method).map((r) => percentile(r.times, p)),
    );
  const p50 = slowest(INDEXED, 50);
  const p95 = slowest(INDEXED, 95);
  console.log(
    `${verdict(p50 <= 50)}  lore p50 at 200,000 chunks ${p50.toFixed(1)} ms, slowest set (target ≤ 50 ms; one thread ${slowest(ONE_THREAD, 50).toFixed(1)} ms; vec0 scan ${slowest(SCANNED, 50).toFixed(1)} ms)`,
  );
  console.log(
    `${verdict(p95 <= 120)}  lore p95 at 200,000 chunks ${p95.toFixed(1)} ms, slowest set (target ≤ 120 ms; one thread ${slowest(ONE_THREAD, 95).toFixed(1)} ms; vec0 scan ${slowest(SCANNED, 95).toFixed(1)} ms)`,
  );
}

async function throughput(): Promise<void> {
  const docs = QUICK ? 500 : 2_000;
  const latencyMs = 50;
  const embedder = await startFakeEmbedder({ dimension: 768 });
  embedder.latencyMs = latencyMs;
  const dir = mkdtempSync(join(tmpdir(), "lore-bench-embed-"));
  const db = openDatabase(join(dir, "lore.db"));
  try {
    db.prepare(
      "INSERT INTO projects (id, path_with_namespace, raw_json, synced_at) VALUES (1, 'g/p', '{}', 'x')",
    ).run();
    const insert = db.prepare(
      `INSERT INTO documents (source_type, source_id, project_id, parent_type, parent_id, iid, title, updated_at, content, content_hash, generated_at)
       VALUES ('issue', ?, 1, 'issue', ?, ?, 't', 'x', ?, ?, 'x')`,
    );
    db.transaction(() => {
      for (let i = 1; i <= docs; i++)
        insert.run(
          String(i),
          i,
          i,
          `Document ${i}: the login page times out behind the proxy ${i % 17}.`,
          `h${i}`,
        );
    })();
    const config = EmbeddingConfigSchema.parse({ provider: "ollama", baseUrl: embedder.url });
    const provider = createEmbeddingProvider(config, {});
    if (!provider) throw new Error("no provider");
    const started = performance.now();
    const counters = await embedPendingDocuments(db, provider, {
      chunkChars: config.chunkChars,
      chunkOverlapChars: config.chunkOverlapChars,
    });
    const seconds = (performance.now() - started) / 1000;
    const rate = counters.chunks_embedded / seconds;
    const ceiling = (provider.concurrency * provider.batchSize) / (latencyMs / 1000);
    console.log(
      `\n## Embedding throughput (fake provider, ${latencyMs} ms per request, batch ${provider.batchSize}, concurrency ${provider.concurrency})\n`,
    );
    console.log(
      table(
        ["figure", "chunks/s"],
        [
          ["lore embed", Math.round(rate)],
          ["provider ceiling (concurrency × batch / latency)", Math.round(ceiling)],
        ],
      ),
    );
    console.log(
      `\n${verdict(rate >= 0.8 * ceiling)}  throughput is ${Math.round((100 * rate) / ceiling)}% of what the provider allows (bounded by the provider, not by lore, when close to 100%)`,
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    await embedder.close();
  }
}

export async function benchVectors(): Promise<void> {
  await knn();
  await throughput();
}
