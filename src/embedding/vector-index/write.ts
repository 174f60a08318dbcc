// Builds the vector index file from the database: every vector of the vec0 table quantised to int8
// (two levels, see quantise.ts), written to a temporary file that is renamed into place, so a reader
// sees the old file or the new one, never half of one. The generation token it records is read in
// the same read transaction as the vectors. Writers call refreshVectorIndex after committing
// vectors; it does nothing when the file is current, and removes it when the corpus is small enough
// for the exact scan to answer within budget on its own.

import {
  closeSync,
  fstatSync,
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
import {
  databaseFile,
  decodeHeader,
  encodeHeader,
  HEADER_BYTES,
  type Header,
  type Layout,
  layoutOf,
  readGeneration,
  vectorIndexPath,
  wordSum,
} from "./format.js";
import { strideFor } from "./kernel.js";
import { quantise } from "./quantise.js";
import { vec0Storage } from "./vec0-storage.js";

/**
 * Below this many chunks the exact vec0 scan answers within the latency budget (about 1.5 µs a
 * chunk: ~30 ms at 20,000, see bench/vectors.ts), so no index file is kept.
 */
export const INDEX_MIN_CHUNKS = 20_000;

export interface RefreshOptions {
  /** Overrides INDEX_MIN_CHUNKS (tests use a small corpus). */
  readonly minChunks?: number;
}

export type IndexRefresh =
  | { readonly status: "current" | "built"; readonly count: number; readonly bytes: number }
  | { readonly status: "not_needed" | "unavailable"; readonly reason: string };

/** The minimum corpus for an index: the option, else LORE_VECTOR_INDEX_MIN_CHUNKS, else the default. */
function minChunksOf(options: RefreshOptions): number {
  if (options.minChunks !== undefined) return options.minChunks;
  const fromEnv = Number.parseInt(process.env.LORE_VECTOR_INDEX_MIN_CHUNKS ?? "", 10);
  return Number.isSafeInteger(fromEnv) && fromEnv >= 0 ? fromEnv : INDEX_MIN_CHUNKS;
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
  try {
    return db.transaction(() => refreshIn(db, path, minChunksOf(options))).deferred();
  } catch (error) {
    return { status: "unavailable", reason: error instanceof Error ? error.message : String(error) };
  }
}

function refreshIn(db: Db, path: string, minChunks: number): IndexRefresh {
  const meta = readEmbeddingMeta(db);
  const generation = readGeneration(db);
  const chunks = db.prepare("SELECT count(*) FROM embedding_chunks").pluck().get() as number;
  if (!meta || generation === undefined || !vectorTableExists(db) || chunks < Math.max(1, minChunks)) {
    rmSync(path, { force: true });
    return { status: "not_needed", reason: `${chunks} chunks: the exact scan is fast enough` };
  }
  const current = readHeaderOf(path);
  if (
    current &&
    current.generation === generation &&
    current.dimension === meta.dimension &&
    checksumsHold(path, current)
  ) {
    return { status: "current", count: current.count, bytes: layoutOf(current.count, current.stride).end };
  }
  const storage = vec0Storage(db, VECTOR_TABLE, meta.dimension);
  if (!storage) {
    rmSync(path, { force: true });
    return { status: "unavailable", reason: "the vector table's storage is not laid out as expected" };
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
  };
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, "w");
  try {
    writeRows(fd, header, storage.chunks(), documentOf);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  return { status: "built", count: header.count, bytes: layoutOf(header.count, header.stride).end };
}

/** The header of an index file whose size matches it; undefined for a missing or broken file. */
export function readHeaderOf(path: string): Header | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const bytes = Buffer.alloc(HEADER_BYTES);
    if (readSync(fd, bytes, 0, HEADER_BYTES, 0) !== HEADER_BYTES) return undefined;
    const header = decodeHeader(bytes);
    if (!header || fstatSync(fd).size !== layoutOf(header.count, header.stride).end) return undefined;
    return header;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether every block still sums to its checksum: a file damaged after it was written is rebuilt by
 * the next writer even when the vectors have not changed since (searches ignore it meanwhile).
 */
function checksumsHold(path: string, header: Header): boolean {
  const layout = layoutOf(header.count, header.stride);
  const fd = openSync(path, "r");
  try {
    const buffer = new Uint8Array(new ArrayBuffer(8 << 20));
    const sumOf = (start: number, end: number): number => {
      let sum = 0;
      for (let at = start; at < end; at += buffer.length) {
        const bytes = Math.min(buffer.length, end - at);
        if (readSync(fd, buffer, 0, bytes, at) !== bytes) return -1;
        sum = wordSum(buffer.subarray(0, bytes), sum);
      }
      return sum;
    };
    if (sumOf(layout.rowids, layout.codes) !== header.rowsChecksum) return false;
    if (sumOf(layout.codes, layout.codes + header.count * header.stride) !== header.codesChecksum)
      return false;
    const rowChecksums = new Uint32Array(header.count);
    const rowBytes = new Uint8Array(rowChecksums.buffer);
    if (readSync(fd, rowBytes, 0, rowBytes.length, layout.checksums2) !== rowBytes.length) return false;
    const rowsPerRead = Math.floor(buffer.length / header.stride);
    for (let row = 0; row < header.count; row += rowsPerRead) {
      const rows = Math.min(rowsPerRead, header.count - row);
      const bytes = rows * header.stride;
      if (readSync(fd, buffer, 0, bytes, layout.codes2 + row * header.stride) !== bytes) return false;
      for (let r = 0; r < rows; r++) {
        const codes = buffer.subarray(r * header.stride, (r + 1) * header.stride);
        if (wordSum(codes) !== rowChecksums[row + r]) return false;
      }
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/** Rows written to the file per batch of codes. */
const BATCH = 2_048;

function writeRows(
  fd: number,
  header: Header,
  chunks: Iterable<{ readonly rowids: readonly number[]; readonly vectors: Float32Array }>,
  documentOf: ReadonlyMap<number, number>,
): void {
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
  const codes = new Int8Array(BATCH * stride);
  const codes2 = new Int8Array(BATCH * stride);
  const residual = new Float64Array(dimension);
  let row = 0;
  let batchStart = 0;
  let codesChecksum = 0;
  const flush = () => {
    const rows = row - batchStart;
    codesChecksum = wordSum(codes.subarray(0, rows * stride), codesChecksum);
    writeAt(fd, codes.subarray(0, rows * stride), layout.codes + batchStart * stride);
    writeAt(fd, codes2.subarray(0, rows * stride), layout.codes2 + batchStart * stride);
    codes.fill(0);
    codes2.fill(0);
    batchStart = row;
  };
  for (const chunk of chunks) {
    chunk.rowids.forEach((rowid, i) => {
      if (row >= count) throw new Error("more vectors than counted");
      const documentId = documentOf.get(rowid);
      if (documentId === undefined) throw new Error(`vector ${rowid} has no chunk`);
      const at = (row - batchStart) * stride;
      const x = chunk.vectors.subarray(i * dimension, (i + 1) * dimension);
      const first = quantise(x, codes.subarray(at, at + dimension), residual);
      const second = quantise(residual, codes2.subarray(at, at + dimension));
      rowids[row] = rowid;
      documentIds[row] = documentId;
      scales[row] = first.scale;
      residuals[row] = first.residual;
      norms[row] = first.norm;
      codeSums[row] = first.codeSum;
      scales2[row] = second.scale;
      residuals2[row] = second.residual;
      checksums2[row] = wordSum(codes2.subarray(at, at + stride));
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
  // Sized to the end of the last block's padding, which is never written.
  ftruncateSync(fd, layout.end);
  writeAt(fd, encodeHeader({ ...header, rowsChecksum, codesChecksum }), 0);
}

function writeAt(fd: number, view: ArrayBufferView, position: number): void {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}
