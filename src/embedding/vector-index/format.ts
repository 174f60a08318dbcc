// The vector index file: a derived, rebuildable copy of the vectors as int8 codes, beside the
// database (`<db>-vectors.i8`). SQLite's vec0 table stays the truth; the file is trusted only when
// its generation token equals the database's (migration 017, changed only on wholesale events since
// 018), the change log is complete after the position it records (changes.ts), its header matches,
// its size is exactly what the header implies, and what a search reads matches its checksums.
// Layout, little-endian, every block 64-byte aligned:
//
//   header (64 bytes): magic "LOREVI8\0", format version u32, dimension u32, stride u32, count u32,
//                      generation token i64, checksum of the row blocks u32, of the codes u32,
//                      change log position i64 (the last vector_index_changes entry it includes)
//   row blocks: rowids f64[count] · document ids f64[count] · scale, residual, norm f32[count] ·
//               code sums i32[count] · level-2 scale, residual f32[count] · level-2 row checksums
//               u32[count]
//   codes i8[count × stride] · level-2 codes i8[count × stride]
//
// The codes come last and one row after another, so a scan streams them in one sequential read. A
// checksum is the sum modulo 2^32 of the little-endian 32-bit words (the scan kernel adds them up as
// it reads); the level-2 codes, read row by row, have one per row.

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Db } from "../../db/open.js";

export const MAGIC = "LOREVI8\0";
export const FORMAT_VERSION = 2;
export const HEADER_BYTES = 64;

export interface Header {
  readonly dimension: number;
  readonly stride: number;
  readonly count: number;
  readonly generation: bigint;
  /** Checksum of the row blocks (from `rowids` up to `codes`). */
  readonly rowsChecksum: number;
  /** Checksum of the codes (count × stride bytes from `codes`). */
  readonly codesChecksum: number;
  /** The change log's head when the vectors were read: later entries are not in the file. */
  readonly position: number;
}

export interface Layout {
  readonly rowids: number;
  readonly documentIds: number;
  readonly scales: number;
  readonly residuals: number;
  readonly norms: number;
  readonly codeSums: number;
  readonly scales2: number;
  readonly residuals2: number;
  readonly checksums2: number;
  readonly codes: number;
  readonly codes2: number;
  /** The file's size. */
  readonly end: number;
}

const align = (n: number) => Math.ceil(n / 64) * 64;

/** Where each block of an index of `count` rows of `stride` bytes starts. */
export function layoutOf(count: number, stride: number): Layout {
  let at = HEADER_BYTES;
  const block = (bytes: number) => {
    const start = at;
    at = align(at + bytes);
    return start;
  };
  return {
    rowids: block(8 * count),
    documentIds: block(8 * count),
    scales: block(4 * count),
    residuals: block(4 * count),
    norms: block(4 * count),
    codeSums: block(4 * count),
    scales2: block(4 * count),
    residuals2: block(4 * count),
    checksums2: block(4 * count),
    codes: block(stride * count),
    codes2: block(stride * count),
    get end() {
      return at;
    },
  };
}

export function encodeHeader(header: Header): Buffer {
  const bytes = Buffer.alloc(HEADER_BYTES);
  bytes.write(MAGIC, 0, "latin1");
  bytes.writeUInt32LE(FORMAT_VERSION, 8);
  bytes.writeUInt32LE(header.dimension, 12);
  bytes.writeUInt32LE(header.stride, 16);
  bytes.writeUInt32LE(header.count, 20);
  bytes.writeBigInt64LE(header.generation, 24);
  bytes.writeUInt32LE(header.rowsChecksum >>> 0, 32);
  bytes.writeUInt32LE(header.codesChecksum >>> 0, 36);
  bytes.writeBigInt64LE(BigInt(header.position), 40);
  return bytes;
}

/** The header, or undefined when the bytes are not a header of this format version. */
export function decodeHeader(bytes: Buffer): Header | undefined {
  if (bytes.length < HEADER_BYTES) return undefined;
  if (bytes.toString("latin1", 0, 8) !== MAGIC || bytes.readUInt32LE(8) !== FORMAT_VERSION) return undefined;
  return {
    dimension: bytes.readUInt32LE(12),
    stride: bytes.readUInt32LE(16),
    count: bytes.readUInt32LE(20),
    generation: bytes.readBigInt64LE(24),
    rowsChecksum: bytes.readUInt32LE(32),
    codesChecksum: bytes.readUInt32LE(36),
    position: Number(bytes.readBigInt64LE(40)),
  };
}

/** The header at the start of an open file, or undefined when it has none of this format version. */
export function readHeader(fd: number): Header | undefined {
  const bytes = Buffer.alloc(HEADER_BYTES);
  return readSync(fd, bytes, 0, HEADER_BYTES, 0) === HEADER_BYTES ? decodeHeader(bytes) : undefined;
}

/** The header of the file at `path` when its size is what the header implies; else undefined. */
export function readHeaderOf(path: string): Header | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const header = readHeader(fd);
    if (!header || fstatSync(fd).size !== layoutOf(header.count, header.stride).end) return undefined;
    return header;
  } finally {
    closeSync(fd);
  }
}

/** The file of the database behind a connection; undefined for an in-memory or temporary one. */
export function databaseFile(db: Db): string | undefined {
  const name = db.name;
  if (!name || name === ":memory:") return undefined;
  if (name.startsWith("file:")) return fileURLToPath(name.split("?")[0] as string);
  return name;
}

/** The index file of a database file. */
export const vectorIndexPath = (dbPath: string) => `${dbPath}-vectors.i8`;

/** The database's wholesale generation token; undefined before migration 017 (never, once opened). */
export function readGeneration(db: Db): bigint | undefined {
  const row = db.prepare("SELECT token FROM vector_generation WHERE id = 1").safeIntegers().get() as
    | { token: bigint }
    | undefined;
  return row?.token;
}

/** A count from the environment (tests size the index's thresholds to a small corpus with these). */
export function countFromEnv(name: string): number | undefined {
  const value = Number.parseInt(process.env[name] ?? "", 10);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** The checksum of some bytes whose offset and length are multiples of 4. */
export function wordSum(view: ArrayBufferView, start = 0): number {
  const words = new Int32Array(view.buffer, view.byteOffset, view.byteLength >> 2);
  let sum = start | 0;
  for (let i = 0; i < words.length; i++) sum = (sum + (words[i] as number)) | 0;
  return sum >>> 0;
}

/** The file is shorter than it says, or what was read does not match its checksums. */
export class CorruptIndexError extends Error {}
