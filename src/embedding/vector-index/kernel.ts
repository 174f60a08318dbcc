// The int8 dot-product scan in WebAssembly: codes are read straight from a source (the index file)
// into the module's memory a few MiB at a time, so a query never allocates the whole code block,
// and each batch is multiplied with the query by a SIMD kernel (dots-relaxed.wat where the engine
// has relaxed SIMD, otherwise dots-simd.wat). The results are exact integers.

import { CorruptIndexError } from "./format.js";
import { DOTS_RELAXED_WASM, DOTS_SIMD_WASM } from "./kernel-wasm.js";
import { MAX_CODE } from "./quantise.js";

/** Reads `target.length` bytes at `position` into `target`; returns how many it read. */
export type ReadAt = (target: Uint8Array, position: number) => number;

interface Instance {
  readonly relaxed: boolean;
  readonly memory: WebAssembly.Memory;
  /** Returns the checksum (sum of 32-bit words) of the codes it read. */
  readonly dots: (query: number, codes: number, count: number, stride: number, out: number) => number;
}

/** Bytes of codes read and multiplied per call into the kernel. */
const BATCH_BYTES = 8 << 20;
const PAGE = 65_536;

/** Code rows are padded to this many bytes (the kernel consumes 64 per step). */
export const STRIDE_ALIGN = 64;
export const strideFor = (dimension: number) => Math.ceil(dimension / STRIDE_ALIGN) * STRIDE_ALIGN;

let cached: Instance | undefined;

function compile(base64: string, relaxed: boolean): Instance {
  const module = new WebAssembly.Module(Buffer.from(base64, "base64"));
  const exports = new WebAssembly.Instance(module).exports as {
    memory: WebAssembly.Memory;
    dots: Instance["dots"];
  };
  return { relaxed, memory: exports.memory, dots: exports.dots };
}

/** The kernel for this engine: relaxed SIMD when it validates here, portable SIMD otherwise. */
export function dotKernel(preferRelaxed = true): Instance {
  if (cached && (preferRelaxed || !cached.relaxed)) return cached;
  const relaxedBytes = Buffer.from(DOTS_RELAXED_WASM, "base64");
  const relaxed = preferRelaxed && WebAssembly.validate(relaxedBytes);
  const instance = relaxed ? compile(DOTS_RELAXED_WASM, true) : compile(DOTS_SIMD_WASM, false);
  if (preferRelaxed) cached = instance;
  return instance;
}

function ensureBytes(memory: WebAssembly.Memory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / PAGE));
}

export interface Scan {
  /** c_q · c_i per row. */
  readonly dots: Int32Array;
  /** The sum modulo 2^32 of the 32-bit words of every code read (see format.ts). */
  readonly checksum: number;
}

/**
 * c_q · c_i for `count` code rows of `stride` bytes read from `read` starting at `position`.
 * `codeSums` holds Σ c_i per row (the relaxed kernel needs it). Throws on a short read.
 */
export function scanDots(
  read: ReadAt,
  position: number,
  count: number,
  stride: number,
  query: Int8Array,
  codeSums: Int32Array,
  kernel: Instance = dotKernel(),
): Scan {
  const queryBytes = 2 * stride;
  const outOffset = queryBytes;
  const batchRows = Math.max(1, Math.floor(BATCH_BYTES / stride));
  const bufferOffset = outOffset + Math.ceil((count * 4) / 16) * 16;
  ensureBytes(kernel.memory, bufferOffset + batchRows * stride);
  const memory = new Uint8Array(kernel.memory.buffer);
  layQuery(memory, query, stride, kernel.relaxed);
  let checksum = 0;
  for (let row = 0; row < count; row += batchRows) {
    const rows = Math.min(batchRows, count - row);
    const bytes = rows * stride;
    const target = memory.subarray(bufferOffset, bufferOffset + bytes);
    let done = 0;
    while (done < bytes) {
      const n = read(target.subarray(done), position + row * stride + done);
      if (n <= 0) throw new CorruptIndexError("short read");
      done += n;
    }
    checksum = (checksum + kernel.dots(0, bufferOffset, rows, stride, outOffset + row * 4)) | 0;
  }
  const dots = new Int32Array(kernel.memory.buffer, outOffset, count).slice();
  if (kernel.relaxed)
    for (let i = 0; i < count; i++) dots[i] = (dots[i] as number) - MAX_CODE * (codeSums[i] as number);
  return { dots, checksum: checksum >>> 0 };
}

/** The query as each kernel reads it (see the .wat files). Padding past the dimension is 0. */
function layQuery(memory: Uint8Array, query: Int8Array, stride: number, relaxed: boolean): void {
  if (relaxed) {
    for (let i = 0; i < stride; i++) {
      const shifted = (i < query.length ? (query[i] as number) : 0) + MAX_CODE;
      const high = shifted >> 1;
      memory[i] = high;
      memory[stride + i] = shifted - high;
    }
  } else {
    const lanes = new Int16Array(memory.buffer, 0, stride);
    for (let i = 0; i < stride; i++) lanes[i] = i < query.length ? (query[i] as number) : 0;
  }
}
