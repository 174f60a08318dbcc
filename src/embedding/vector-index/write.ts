// Builds the vector index file from the database: every vector of the vec0 table quantised to int8
// (two levels, see quantise.ts), written to a temporary file that is renamed into place, so a reader
// sees the old file or the new one, never half of one. The generation token and the change log
// position it records are read in the same read transaction as the vectors. Writers call
// refreshVectorIndex after committing vectors; it does nothing while the file is usable with few
// changes since (searches compute those exactly, see changes.ts), rebuilds it past rebuildAfter,
// and removes it when the corpus is small enough for the exact scan to answer within budget on its
// own. After a rebuild the log entries the new file includes are deleted: a reader still holding
// the previous file then finds the log incomplete after its position and scans vec0 instead.

import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import type { Db } from "../../db/open.js";
import { readEmbeddingMeta, VECTOR_TABLE, vectorTableExists } from "../store.js";
import { changeHead, pruneChanges, rebuildAfter, usabilityOf } from "./changes.js";
import {
  countFromEnv,
  databaseFile,
  encodeHeader,
  type Header,
  type Layout,
  layoutOf,
  readGeneration,
  readHeaderOf,
  vectorIndexPath,
  wordSum,
} from "./format.js";
import { BATCH_BYTES, strideFor, vectorKernel } from "./kernel.js";
import { quantiseAt } from "./quantise.js";
import { vec0Storage } from "./vec0-storage.js";

/**
 * Below this many chunks the exact vec0 scan answers well within the latency budget (1.5–4.5 µs a
 * chunk on a loaded 2-core machine: 30–90 ms at 20,000, against 11–25 ms through the index; see
 * bench/vectors.ts), so no index file is kept and no sync pays for one.
 */
export const INDEX_MIN_CHUNKS = 10_000;

export interface RefreshOptions {
  /** Overrides INDEX_MIN_CHUNKS (tests use a small corpus). */
  readonly minChunks?: number;
}

export type IndexRefresh =
  | { readonly status: "built"; readonly count: number; readonly bytes: number }
  | {
      readonly status: "current";
      readonly count: number;
      readonly bytes: number;
      /** Chunks changed since it was built, which searches compute exactly. */
      readonly changes: number;
    }
  | { readonly status: "not_needed" | "unavailable"; readonly reason: string };

/** A refresh, and the log position whose entries (and all before) no file needs any more. */
type RefreshOutcome = { readonly refresh: IndexRefresh; readonly prunable?: number };

/** The minimum corpus for an index: the option, else LORE_VECTOR_INDEX_MIN_CHUNKS, else the default. */
export function minChunksOf(options: RefreshOptions): number {
  return options.minChunks ?? countFromEnv("LORE_VECTOR_INDEX_MIN_CHUNKS") ?? INDEX_MIN_CHUNKS;
}

/**
 * Makes the index file current for the committed vectors, or removes it when the corpus does not
 * need one. Never throws: a file that cannot be written (a read-only directory, a full disk) only
 * means searches use the exact scan.
 */
export function refreshVectorIndex(db: Db, options: RefreshOptions = {}): IndexRefresh {
  const dbPath = databaseFile(db);
  if (!dbPath) return { status: "unavailable", reason: "the database has no file" };
  const path = vectorIndexPath(dbPath);
  let outcome: RefreshOutcome;
  try {
    outcome = db.transaction(() => refreshIn(db, path, minChunksOf(options))).deferred();
  } catch (error) {
    return { status: "unavailable", reason: error instanceof Error ? error.message : String(error) };
  }
  if (outcome.prunable !== undefined && outcome.prunable > 0) {
    try {
      pruneChanges(db, outcome.prunable);
    } catch {
      // A log left longer only costs space until the next rebuild prunes it.
    }
  }
  return outcome.refresh;
}

function refreshIn(db: Db, path: string, minChunks: number): RefreshOutcome {
  const meta = readEmbeddingMeta(db);
  const generation = readGeneration(db);
  const chunks = db.prepare("SELECT count(*) FROM embedding_chunks").pluck().get() as number;
  const position = changeHead(db);
  if (!meta || generation === undefined || !vectorTableExists(db) || chunks < Math.max(1, minChunks)) {
    rmSync(path, { force: true });
    return {
      refresh: { status: "not_needed", reason: `${chunks} chunks: the exact scan is fast enough` },
      prunable: position,
    };
  }
  const current = readHeaderOf(path);
  if (current && current.dimension === meta.dimension) {
    const usability = usabilityOf(db, current);
    if (
      usability.usable &&
      usability.changes <= rebuildAfter(current.count) &&
      checksumsHold(path, current)
    ) {
      const bytes = layoutOf(current.count, current.stride).end;
      return { refresh: { status: "current", count: current.count, bytes, changes: usability.changes } };
    }
  }
  const storage = vec0Storage(db, VECTOR_TABLE, meta.dimension);
  if (!storage) {
    rmSync(path, { force: true });
    return {
      refresh: { status: "unavailable", reason: "the vector table's storage is not laid out as expected" },
    };
  }
  const documentOf = new Map(
    (db.prepare("SELECT id, document_id FROM embedding_chunks").raw().all() as [number, number][]).map(
      ([id, documentId]) => [id, documentId],
    ),
  );
  const header: Header = {
    dimension: meta.dimension,
    stride: strideFor(meta.dimension),
    count: storage.count,
    generation,
    rowsChecksum: 0,
    codesChecksum: 0,
    position,
  };
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, "w");
  try {
    const checksums = writeRows(fd, header, storage.chunks(), documentOf);
    // Sized to the end of the last block's padding, which is never written; the header last.
    ftruncateSync(fd, layoutOf(header.count, header.stride).end);
    writeAt(fd, encodeHeader({ ...header, ...checksums }), 0);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  return {
    refresh: { status: "built", count: header.count, bytes: layoutOf(header.count, header.stride).end },
    prunable: position,
  };
}

/**
 * Whether every block still sums to its checksum: a file damaged after it was written is rebuilt by
 * the next writer even when the vectors have not changed since (searches ignore it meanwhile).
 */
function checksumsHold(path: string, header: Header): boolean {
  const layout = layoutOf(header.count, header.stride);
  const kernel = vectorKernel();
  const size = Math.ceil(BATCH_BYTES / header.stride) * header.stride;
  kernel.reserve(size);
  const buffer = new Uint8Array(kernel.buffer(), 0, size);
  const fd = openSync(path, "r");
  try {
    /** Reads [start, end) a buffer at a time, calling `each` with the bytes read; false on a short read. */
    const readAll = (start: number, end: number, each: (bytes: number) => void): boolean => {
      for (let at = start; at < end; at += size) {
        const bytes = Math.min(size, end - at);
        if (readSync(fd, buffer, 0, bytes, at) !== bytes) return false;
        each(bytes);
      }
      return true;
    };
    let rows = 0;
    let codes = 0;
    const rowChecksums = new Uint32Array(header.count);
    if (
      readSync(fd, new Uint8Array(rowChecksums.buffer), 0, 4 * header.count, layout.checksums2) !==
      4 * header.count
    )
      return false;
    let row = 0;
    let rowsIntact = true;
    const complete =
      readAll(layout.rowids, layout.codes, (bytes) => {
        rows = (rows + kernel.checksum(0, bytes)) | 0;
      }) &&
      readAll(layout.codes, layout.codes + header.count * header.stride, (bytes) => {
        codes = (codes + kernel.checksum(0, bytes)) | 0;
      }) &&
      readAll(layout.codes2, layout.codes2 + header.count * header.stride, (bytes) => {
        for (let at = 0; at < bytes; at += header.stride, row += 1) {
          if (kernel.checksum(at, header.stride) !== rowChecksums[row]) rowsIntact = false;
        }
      });
    return (
      complete && rowsIntact && rows >>> 0 === header.rowsChecksum && codes >>> 0 === header.codesChecksum
    );
  } finally {
    closeSync(fd);
  }
}

/** Rows written to the file per batch of codes. */
const BATCH = 2_048;

/** Quantises every vector (in the kernel's memory, see rows.wat) and writes the file's blocks. */
function writeRows(
  fd: number,
  header: Header,
  chunks: Iterable<{ readonly rowids: readonly number[]; readonly vectors: Float32Array }>,
  documentOf: ReadonlyMap<number, number>,
): { rowsChecksum: number; codesChecksum: number } {
  const { count, stride, dimension } = header;
  const layout = layoutOf(count, stride);
  const rowids = new Float64Array(count);
  const documentIds = new Float64Array(count);
  const scales = new Float32Array(count);
  const residuals = new Float32Array(count);
  const norms = new Float32Array(count);
  const codeSums = new Int32Array(count);
  const scales2 = new Float32Array(count);
  const residuals2 = new Float32Array(count);
  const checksums2 = new Uint32Array(count);
  const kernel = vectorKernel();
  const at = {
    vector: 0,
    x: 4 * dimension,
    residual: 12 * dimension,
    result: 20 * dimension,
    codes: 0,
    codes2: 0,
  };
  at.codes = Math.ceil((at.result + 32) / 64) * 64;
  at.codes2 = at.codes + BATCH * stride;
  kernel.reserve(at.codes2 + BATCH * stride);
  const memory = kernel.buffer();
  const codes = new Uint8Array(memory, at.codes, BATCH * stride);
  const codes2 = new Uint8Array(memory, at.codes2, BATCH * stride);
  const vector = new Float32Array(memory, at.vector, dimension);
  codes.fill(0);
  codes2.fill(0);
  let row = 0;
  let batchStart = 0;
  let codesChecksum = 0;
  const flush = () => {
    const bytes = (row - batchStart) * stride;
    codesChecksum = (codesChecksum + kernel.checksum(at.codes, bytes)) | 0;
    writeAt(fd, codes.subarray(0, bytes), layout.codes + batchStart * stride);
    writeAt(fd, codes2.subarray(0, bytes), layout.codes2 + batchStart * stride);
    batchStart = row;
  };
  for (const chunk of chunks) {
    chunk.rowids.forEach((rowid, i) => {
      if (row >= count) throw new Error("more vectors than counted");
      const documentId = documentOf.get(rowid);
      if (documentId === undefined) throw new Error(`vector ${rowid} has no chunk`);
      const codesAt = (row - batchStart) * stride;
      vector.set(chunk.vectors.subarray(i * dimension, (i + 1) * dimension));
      kernel.widen(at.vector, at.x, dimension);
      const first = quantiseAt(kernel, at.x, dimension, at.codes + codesAt, at.residual, at.result);
      const second = quantiseAt(kernel, at.residual, dimension, at.codes2 + codesAt, 0, at.result);
      rowids[row] = rowid;
      documentIds[row] = documentId;
      scales[row] = first.scale;
      residuals[row] = first.residual;
      norms[row] = first.norm;
      codeSums[row] = first.codeSum;
      scales2[row] = second.scale;
      residuals2[row] = second.residual;
      checksums2[row] = kernel.checksum(at.codes2 + codesAt, stride);
      row += 1;
      if (row - batchStart === BATCH) flush();
    });
  }
  if (row !== count) throw new Error("fewer vectors than counted");
  flush();
  const blocks: [ArrayBufferView, keyof Layout][] = [
    [rowids, "rowids"],
    [documentIds, "documentIds"],
    [scales, "scales"],
    [residuals, "residuals"],
    [norms, "norms"],
    [codeSums, "codeSums"],
    [scales2, "scales2"],
    [residuals2, "residuals2"],
    [checksums2, "checksums2"],
  ];
  let rowsChecksum = 0;
  for (const [block, name] of blocks) {
    writeAt(fd, block, layout[name]);
    rowsChecksum = wordSum(block, rowsChecksum);
  }
  return { rowsChecksum, codesChecksum: codesChecksum >>> 0 };
}

function writeAt(fd: number, view: ArrayBufferView, position: number): void {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}
