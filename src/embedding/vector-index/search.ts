// Nearest documents from the vector index, exactly as the float32 scan finds them. The scan of the
// int8 codes (shared with a second thread on a large index: scan-helper.ts) gives every chunk an
// interval that certainly holds its similarity (quantise.ts); the
// intervals decide which chunks cannot be in the answer, a second level of codes narrows the few
// that are close to the boundary, and the similarities lore reports are computed by sqlite-vec
// from the float32 vectors themselves (vec0 by rowid), in the same read transaction that checked
// the file's generation. Chunks changed since the file was built (the change log after its
// position, see changes.ts) are not taken from the file: their rows are skipped, and those that
// still exist are computed the same way from vec0 and join the candidates with their exact
// similarity. Whenever the file is missing, stale, too far behind or not what it claims (a reported
// similarity outside its interval), the answer is undefined and the caller scans vec0 instead.

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { Db } from "../../db/open.js";
import { readEmbeddingMeta, similarityFromDistance, VECTOR_TABLE } from "../store.js";
import { type ChangedChunk, changedChunks, usabilityOf } from "./changes.js";
import {
  CorruptIndexError,
  databaseFile,
  type Header,
  type Layout,
  layoutOf,
  readHeader,
  readHeaderOf,
  vectorIndexPath,
} from "./format.js";
import { BATCH_BYTES, binFloor, HISTOGRAM_BINS, type ReadAt, strideFor, vectorKernel } from "./kernel.js";
import { computedSimilarityError, quantise, UNIT_NORM_SLACK } from "./quantise.js";
import { sharedScan, startScanHelper } from "./scan-helper.js";

export interface IndexedNearest {
  readonly documentId: number;
  readonly chunkId: number;
  readonly similarity: number;
}

export interface IndexQuery {
  /** The query as the float32 unit vector sqlite-vec compares (unitVectorBlob's values). */
  readonly vector: Float32Array;
  readonly limit: number;
  /** Matches have a similarity at least this. */
  readonly minSimilarity: number;
  /** Documents never returned. */
  readonly excluded: ReadonlySet<number>;
  /** Which of these documents pass the search filters. */
  readonly accept: (documentIds: readonly number[]) => ReadonlySet<number>;
  /** Told how the file was scanned, once it was. */
  readonly onScan?: (scan: IndexScan) => void;
}

export interface IndexScan {
  /** Rows in the file, and chunks changed since it was built (computed from vec0). */
  readonly chunks: number;
  readonly changed: number;
  /** Whether a second thread shared the scan, the batches of codes, and how many it scanned. */
  readonly threads: 1 | 2;
  readonly batches: number;
  readonly helperBatches: number;
}

/**
 * More chunks than this whose interval reaches the boundary (a query few documents resemble at all,
 * so the boundary is the similarity floor) are left to the exact scan.
 */
const MAX_REFINED = 8_192;
/** More exact similarities than this to fetch from vec0 (~0.1 ms each) is left to the exact scan. */
const MAX_EXACT = 128;

/** Call inside a read transaction. Undefined when the index cannot answer this query. */
export function indexedNearestDocuments(db: Db, query: IndexQuery): IndexedNearest[] | undefined {
  const index = openIndex(db, query.vector.length);
  if (!index) return undefined;
  try {
    return search(db, index, query);
  } catch (error) {
    // A file that turns out short or damaged, or that the system fails to read, is no index.
    const systemError = typeof (error as { code?: unknown } | null)?.code === "string";
    if (error instanceof CorruptIndexError || systemError) return undefined;
    throw error;
  } finally {
    closeSync(index.fd);
  }
}

/**
 * Starts what a search of a large index file uses (the scan's second thread, scan-helper.ts) before
 * the search itself, so that it starts while the caller embeds the query. Reads only the header.
 */
export function prepareIndexedSearch(db: Db): void {
  const dbPath = databaseFile(db);
  const header = dbPath ? readHeaderOf(vectorIndexPath(dbPath)) : undefined;
  if (header) startScanHelper(vectorKernel(), header.count);
}

interface OpenIndex {
  readonly fd: number;
  readonly header: Header;
  readonly layout: Layout;
  /** The chunks changed since the file was built. */
  readonly changed: readonly ChangedChunk[];
}

function openIndex(db: Db, dimension: number): OpenIndex | undefined {
  const dbPath = databaseFile(db);
  const meta = readEmbeddingMeta(db);
  if (!dbPath || !meta || meta.dimension !== dimension) return undefined;
  let fd: number;
  try {
    fd = openSync(vectorIndexPath(dbPath), "r");
  } catch {
    return undefined;
  }
  try {
    const header = readHeader(fd);
    if (
      header &&
      header.dimension === dimension &&
      header.stride === strideFor(dimension) &&
      header.count > 0 &&
      fstatSync(fd).size === layoutOf(header.count, header.stride).end &&
      usabilityOf(db, header).usable
    ) {
      const changed = changedChunks(db, header.position);
      return { fd, header, layout: layoutOf(header.count, header.stride), changed };
    }
  } catch {
    // An unreadable file is no index.
  }
  closeSync(fd);
  return undefined;
}

/** Where a search keeps what it works on in the kernel's memory (64-byte aligned offsets). */
function regionsFor(header: Header, layout: Layout) {
  const { count, stride, dimension } = header;
  let at = 0;
  const take = (bytes: number) => {
    const start = at;
    at += Math.ceil(bytes / 64) * 64;
    return start;
  };
  return {
    query: take(2 * stride),
    vector: take(4 * dimension),
    blocks: take(layout.codes - layout.rowids),
    dots: take(4 * count),
    lo: take(8 * count),
    hi: take(8 * count),
    histogram: take(4 * HISTOGRAM_BINS),
    picked: take(4 * count),
    row: take(stride),
    row2: take(stride),
    codes: take(BATCH_BYTES + stride),
    scratch: take(17 * dimension + 32),
    get end() {
      return at;
    },
  };
}

function search(db: Db, index: OpenIndex, query: IndexQuery): IndexedNearest[] | undefined {
  const { fd, header, layout } = index;
  const { count, stride, dimension } = header;
  const kernel = vectorKernel();
  const at = regionsFor(header, layout);
  try {
    kernel.reserve(at.end);
  } catch {
    // More rows than a 32-bit WebAssembly memory holds the work for (tens of millions): scan vec0.
    return undefined;
  }
  const memory = kernel.buffer();
  const bytes = new Uint8Array(memory);
  const readAt: ReadAt = (target, position) => readSync(fd, target, 0, target.length, position);

  // The row blocks, straight into the kernel's memory, checked; then the codes, scanned.
  const blockBytes = layout.codes - layout.rowids;
  let done = 0;
  while (done < blockBytes) {
    const n = readAt(bytes.subarray(at.blocks + done, at.blocks + blockBytes), layout.rowids + done);
    if (n <= 0) throw new CorruptIndexError("short read");
    done += n;
  }
  if (kernel.checksum(at.blocks, blockBytes) !== header.rowsChecksum) return undefined;
  const block = (offset: number) => at.blocks + offset - layout.rowids;
  const meta = {
    rowids: new Float64Array(memory, block(layout.rowids), count),
    documentIds: new Float64Array(memory, block(layout.documentIds), count),
    scales: new Float32Array(memory, block(layout.scales), count),
    scales2: new Float32Array(memory, block(layout.scales2), count),
    residuals2: new Float32Array(memory, block(layout.residuals2), count),
    checksums2: new Uint32Array(memory, block(layout.checksums2), count),
  };
  const q = query.vector;
  new Float32Array(memory, at.vector, dimension).set(q);
  const queryCodes = new Int8Array(stride);
  const qq = quantise(q, queryCodes, undefined, kernel, at.scratch);
  kernel.layQuery(at.query, queryCodes, stride);
  startScanHelper(kernel, count);
  const scanned = sharedScan(
    kernel,
    fd,
    readAt,
    { position: layout.codes, queryAt: at.query, outAt: at.dots, bufferAt: at.codes },
    count,
    stride,
  );
  if (scanned.checksum !== header.codesChecksum) return undefined;
  query.onScan?.({
    chunks: count,
    changed: index.changed.length,
    threads: scanned.shared ? 2 : 1,
    batches: scanned.batches,
    helperBatches: scanned.helperBatches,
  });

  // Every chunk's similarity lies in [lo, hi] (see quantise.ts), widened by sqlite-vec's rounding.
  const slack = computedSimilarityError(dimension) + 1e-9;
  const histogram = new Int32Array(memory, at.histogram, HISTOGRAM_BINS);
  histogram.fill(0);
  kernel.bounds(
    count,
    at.dots,
    block(layout.codeSums),
    kernel.dotOffset,
    block(layout.scales),
    block(layout.residuals),
    block(layout.norms),
    qq.scale,
    qq.residual,
    UNIT_NORM_SLACK,
    slack,
    at.lo,
    at.hi,
    at.histogram,
  );
  const lo = new Float64Array(memory, at.lo, count);
  const hi = new Float64Array(memory, at.hi, count);

  // The chunks changed since the file was built: their rows are out of date (or gone), so they are
  // never picked; those that still exist join as rows count.. with their exact similarity.
  const changedIds = new Set(index.changed.map((c) => c.chunkId));
  const skipped = new Uint8Array(changedIds.size > 0 ? count : 0);
  if (changedIds.size > 0) {
    for (let i = 0; i < count; i++) {
      if (changedIds.has(meta.rowids[i] as number)) {
        skipped[i] = 1;
        lo[i] = Number.NEGATIVE_INFINITY;
        hi[i] = Number.NEGATIVE_INFINITY;
      }
    }
  }
  const extras = changedExactly(db, q, index.changed);
  const extraRows = extras.map((_, k) => count + k);
  const extra = (i: number) => extras[i - count] as IndexedNearest;
  const lower = (i: number) => (i < count ? (lo[i] as number) : extra(i).similarity);
  const upper = (i: number) => (i < count ? (hi[i] as number) : extra(i).similarity);

  /** The indices of the file's rows whose `values` (at lo or hi) reach `threshold`. */
  const rowsFrom = (values: number, threshold: number): number[] => {
    const rows = [...new Int32Array(memory, at.picked, kernel.collect(values, count, threshold, at.picked))];
    return skipped.length > 0 ? rows.filter((i) => skipped[i] === 0) : rows;
  };
  /** At least `n` rows with the best lower bounds (all of them when there are fewer), best first. */
  const bestRows = (n: number): number[] => {
    let bin = HISTOGRAM_BINS - 1;
    for (let seen = histogram[bin] as number; seen < n && bin > 0; seen += histogram[bin] as number) bin -= 1;
    return [...rowsFrom(at.lo, binFloor(bin))].sort((a, b) => (lo[b] as number) - (lo[a] as number) || a - b);
  };

  const refined = new Set<number>();
  const refine = (i: number) => {
    if (i >= count || refined.has(i)) return;
    refined.add(i);
    readRow(readAt, bytes, at.row, stride, layout.codes + i * stride);
    readRow(readAt, bytes, at.row2, stride, layout.codes2 + i * stride);
    if (kernel.checksum(at.row2, stride) !== meta.checksums2[i]) {
      throw new CorruptIndexError("level-2 row checksum");
    }
    const first = kernel.dotF32I8(at.vector, at.row, dimension);
    const second = kernel.dotF32I8(at.vector, at.row2, dimension);
    const estimate = (meta.scales[i] as number) * first + (meta.scales2[i] as number) * second;
    const width = (meta.residuals2[i] as number) * UNIT_NORM_SLACK + slack;
    lo[i] = Math.max(lo[i] as number, estimate - width);
    hi[i] = Math.min(hi[i] as number, estimate + width);
  };

  const documentOf = (i: number) => (i < count ? (meta.documentIds[i] as number) : extra(i).documentId);
  const acceptance = new Map<number, boolean>();
  const accepted = (documents: Iterable<number>): void => {
    const unknown = [...new Set(documents)].filter((d) => !acceptance.has(d) && !query.excluded.has(d));
    for (let start = 0; start < unknown.length; start += 500) {
      const batch = unknown.slice(start, start + 500);
      const passing = query.accept(batch);
      for (const d of batch) acceptance.set(d, passing.has(d));
    }
  };
  const isAccepted = (d: number) => acceptance.get(d) === true && !query.excluded.has(d);
  /** The `limit`-th best lower bound among accepted documents of these chunks, or -Infinity. */
  const boundary = (chunks: Iterable<number>): number => {
    const best = new Map<number, number>();
    for (const i of chunks) {
      const d = documentOf(i);
      if (isAccepted(d)) best.set(d, Math.max(best.get(d) ?? Number.NEGATIVE_INFINITY, lower(i)));
    }
    const sorted = [...best.values()].sort((a, b) => b - a);
    return sorted.length >= query.limit ? (sorted[query.limit - 1] as number) : Number.NEGATIVE_INFINITY;
  };

  // 1. A threshold every document of the answer reaches: the limit-th best lower bound among the
  //    accepted documents of the chunks with the best lower bounds (refined), never below the floor.
  let threshold = query.minSimilarity;
  for (let pool = Math.max(32, query.limit * 4); ; pool *= 4) {
    const top = bestRows(pool).slice(0, pool);
    for (const i of top) refine(i);
    accepted([...top, ...extraRows].map(documentOf));
    const found = boundary([...top, ...extraRows]);
    const last = top.at(-1);
    // Past the floor, a bigger pool cannot raise the threshold above it.
    if (
      found > Number.NEGATIVE_INFINITY ||
      pool >= count ||
      last === undefined ||
      (lo[last] as number) < threshold
    ) {
      threshold = Math.max(threshold, found);
      break;
    }
  }

  // 2. The chunks that may reach it, refined, and the threshold raised by what they show.
  let candidates = [...rowsFrom(at.hi, threshold), ...extraRows.filter((i) => upper(i) >= threshold)].filter(
    (i) => !query.excluded.has(documentOf(i)),
  );
  if (candidates.length > MAX_REFINED) return undefined;
  for (const i of candidates) refine(i);
  accepted(candidates.map(documentOf));
  candidates = candidates.filter((i) => isAccepted(documentOf(i)) && upper(i) >= threshold);
  threshold = Math.max(threshold, boundary(candidates));
  const bestLower = new Map<number, number>();
  for (const i of candidates) {
    const d = documentOf(i);
    bestLower.set(d, Math.max(bestLower.get(d) ?? Number.NEGATIVE_INFINITY, lower(i)));
  }
  // A chunk below its own document's best lower bound is never that document's best chunk.
  candidates = candidates.filter(
    (i) => upper(i) >= threshold && upper(i) >= (bestLower.get(documentOf(i)) as number),
  );
  const fromFile = candidates.filter((i) => i < count);
  if (fromFile.length > MAX_EXACT) return undefined;

  // 3. Their similarities as sqlite-vec computes them, each of which must lie in its interval (the
  //    changed chunks' are already exact).
  const exact = exactSimilarities(
    db,
    q,
    fromFile.map((i) => meta.rowids[i] as number),
  );
  const best = new Map<number, IndexedNearest>();
  for (const i of candidates) {
    const chunkId = i < count ? (meta.rowids[i] as number) : extra(i).chunkId;
    const similarity = i < count ? exact.get(chunkId) : extra(i).similarity;
    if (similarity === undefined || similarity < lower(i) || similarity > upper(i)) return undefined;
    if (similarity < query.minSimilarity) continue;
    const documentId = documentOf(i);
    const held = best.get(documentId);
    if (!held || similarity > held.similarity || (similarity === held.similarity && chunkId < held.chunkId)) {
      best.set(documentId, { documentId, chunkId, similarity });
    }
  }
  return [...best.values()]
    .sort((a, b) => b.similarity - a.similarity || a.documentId - b.documentId)
    .slice(0, query.limit);
}

/** Reads one row of `stride` bytes at `position` into the kernel's memory at `at`. */
function readRow(readAt: ReadAt, memory: Uint8Array, at: number, stride: number, position: number): void {
  if (readAt(memory.subarray(at, at + stride), position) !== stride)
    throw new CorruptIndexError("short read");
}

/** The changed chunks that still have a vector, with sqlite-vec's similarity to the query. */
function changedExactly(db: Db, query: Float32Array, changed: readonly ChangedChunk[]): IndexedNearest[] {
  const existing = changed.filter((c) => c.documentId !== undefined);
  const exact = exactSimilarities(
    db,
    query,
    existing.map((c) => c.chunkId),
  );
  return existing.flatMap((c) => {
    const similarity = exact.get(c.chunkId);
    return similarity === undefined
      ? []
      : [{ chunkId: c.chunkId, documentId: c.documentId as number, similarity }];
  });
}

/**
 * SQLite's default ceiling on a memory map (SQLITE_MAX_MMAP_SIZE): the file is mapped up to this
 * many bytes, and read() past them.
 */
const MAP_BYTES = 0x7fff0000;

/**
 * sqlite-vec's similarity of the query to each of these vectors (by rowid); missing ones absent.
 * vec0 keeps 1,024 vectors in one ~3 MB blob, and reading one walks the blob's chain of overflow
 * pages from its start: ~0.5 ms through a read() per page, ~0.1 ms through a memory map. So the
 * connection maps the database file (read-only: SQLite writes through write() and remaps as the
 * file grows; lore never shrinks it, having no VACUUM), unless its mmap_size is already set.
 */
function exactSimilarities(db: Db, query: Float32Array, rowids: readonly number[]): Map<number, number> {
  if (rowids.length > 0 && db.pragma("mmap_size", { simple: true }) === 0)
    db.pragma(`mmap_size = ${MAP_BYTES}`);
  const distance = db
    .prepare(`SELECT vec_distance_l2(embedding, ?) FROM ${VECTOR_TABLE} WHERE rowid = ?`)
    .pluck();
  const blob = Buffer.from(query.buffer, query.byteOffset, query.byteLength);
  const result = new Map<number, number>();
  for (const rowid of rowids) {
    const d = distance.get(blob, BigInt(rowid)) as number | undefined;
    if (d !== undefined) result.set(rowid, similarityFromDistance(d));
  }
  return result;
}
