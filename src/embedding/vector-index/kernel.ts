// The WebAssembly side of the vector index, on one memory: the int8 dot-product kernel
// (dots-relaxed.wat where the engine has relaxed SIMD, otherwise dots-simd.wat) and the per-row
// work, quantisation included (rows.wat). Codes are read straight from the index file into that memory 1 MiB at a time,
// so a query never allocates the whole code block, and each batch is multiplied with the query
// while it is still in the CPU's cache. The dot products are exact integers.

import { CorruptIndexError } from "./format.js";
import { DOTS_RELAXED_WASM, DOTS_SIMD_WASM, ROWS_WASM } from "./kernel-wasm.js";

/** Codes lie in -MAX_CODE..MAX_CODE (symmetric, so negating a vector negates its codes). */
export const MAX_CODE = 127;

/** Reads up to `target.length` bytes at `position` into `target`; returns how many it read. */
export type ReadAt = (target: Uint8Array, position: number) => number;

/**
 * Bytes of codes read and multiplied per call into the kernel: small enough that the kernel finds
 * them still in the CPU's cache after the read copied them (1 MiB: ~35 ms for 200,000 × 768 codes,
 * against ~45 ms with 8 MiB; reading ahead on libuv's thread pool was slower still on 2 cores).
 */
export const BATCH_BYTES = 1 << 20;
const PAGE = 65_536;

/** Code rows are padded to this many bytes (the kernel consumes 64 per step). */
export const STRIDE_ALIGN = 64;
export const strideFor = (dimension: number) => Math.ceil(dimension / STRIDE_ALIGN) * STRIDE_ALIGN;

/** Bins of the histogram `bounds` makes of the lower bounds: 1/1024 wide from -2. */
export const HISTOGRAM_BINS = 4096;
export const binFloor = (bin: number) => (bin === 0 ? Number.NEGATIVE_INFINITY : bin / 1024 - 2);

interface Exports {
  readonly memory: WebAssembly.Memory;
  readonly dots: (query: number, codes: number, count: number, stride: number, out: number) => number;
  readonly checksum: (at: number, bytes: number) => number;
  readonly bounds: (
    count: number,
    dots: number,
    codeSums: number,
    offset: number,
    scales: number,
    residuals: number,
    norms: number,
    qScale: number,
    qResidual: number,
    unitSlack: number,
    slack: number,
    lo: number,
    hi: number,
    hist: number,
  ) => void;
  readonly collect: (values: number, count: number, threshold: number, out: number) => number;
  readonly dotF32I8: (query: number, codes: number, n: number) => number;
  readonly widen: (from: number, to: number, n: number) => void;
  readonly quantise: (x: number, n: number, codes: number, residual: number, result: number) => void;
}

export interface VectorKernel extends Omit<Exports, "memory" | "dots"> {
  /** Whether the relaxed-SIMD kernel runs (its dot products carry an offset `bounds` removes). */
  readonly relaxed: boolean;
  /** What `bounds` is told to subtract per unit of a row's code sum. */
  readonly dotOffset: number;
  /** The memory; views of it must be made again after `reserve`. */
  buffer(): ArrayBuffer;
  /** Grows the memory to at least `bytes`. */
  reserve(bytes: number): void;
  /** Lays the query's codes out at `at` as the kernel reads them (2 × stride bytes). */
  layQuery(at: number, query: Int8Array, stride: number): void;
  /**
   * Reads `count` code rows of `stride` bytes from `read` at `position` through the 1 MiB buffer at
   * `bufferAt`, writing c_q · c_i (with the kernel's offset) to `outAt`: every batch, or those that
   * `claim` hands this thread. Returns the checksum of the codes it read; throws CorruptIndexError
   * on a short read.
   */
  scan(
    read: ReadAt,
    position: number,
    count: number,
    stride: number,
    queryAt: number,
    outAt: number,
    bufferAt: number,
    claim?: BatchClaim,
  ): number;
  /** The compiled dot-product module (another thread instantiates the same one: scan-helper.ts). */
  readonly dotsModule: WebAssembly.Module;
}

/**
 * The index of the next batch of `BATCH_BYTES` (whole rows) this thread is to scan, or a number
 * past the last batch when none is left. Shared with another thread, it splits one scan.
 */
export type BatchClaim = () => number;

/** The rows in one batch of a scan. */
export const batchRowsFor = (stride: number) => Math.max(1, Math.floor(BATCH_BYTES / stride));

const kernels = new Map<boolean, VectorKernel>();
/** Whether this engine validates the relaxed-SIMD module (decoded and checked once). */
let relaxedValid: boolean | undefined;

/** This process's kernel: relaxed SIMD when it validates here, portable SIMD otherwise. */
export function vectorKernel(preferRelaxed = true): VectorKernel {
  const relaxedBytes = () => Buffer.from(DOTS_RELAXED_WASM, "base64");
  relaxedValid ??= WebAssembly.validate(relaxedBytes());
  const relaxed = preferRelaxed && relaxedValid;
  const cached = kernels.get(relaxed);
  if (cached) return cached;
  const dotsModule = new WebAssembly.Module(relaxed ? relaxedBytes() : Buffer.from(DOTS_SIMD_WASM, "base64"));
  const dots = new WebAssembly.Instance(dotsModule).exports as unknown as Pick<Exports, "memory" | "dots">;
  const rows = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(ROWS_WASM, "base64")), {
    kernel: { memory: dots.memory },
  }).exports as unknown as Omit<Exports, "memory" | "dots">;
  const memory = dots.memory;
  const kernel: VectorKernel = {
    relaxed,
    dotOffset: relaxed ? MAX_CODE : 0,
    checksum: (at, bytes) => rows.checksum(at, bytes) >>> 0,
    bounds: rows.bounds,
    collect: rows.collect,
    dotF32I8: rows.dotF32I8,
    widen: rows.widen,
    quantise: rows.quantise,
    buffer: () => memory.buffer,
    reserve: (bytes) => {
      const missing = bytes - memory.buffer.byteLength;
      if (missing > 0) memory.grow(Math.ceil(missing / PAGE));
    },
    layQuery: (at, query, stride) => layQuery(new Uint8Array(memory.buffer), at, query, stride, relaxed),
    dotsModule,
    scan: (read, position, count, stride, queryAt, outAt, bufferAt, claim) => {
      const batchRows = batchRowsFor(stride);
      let next = 0;
      const nextBatch = claim ?? (() => next++);
      let checksum = 0;
      for (let row = nextBatch() * batchRows; row < count; row = nextBatch() * batchRows) {
        const rowsNow = Math.min(batchRows, count - row);
        const bytes = rowsNow * stride;
        const target = new Uint8Array(memory.buffer, bufferAt, bytes);
        let done = 0;
        while (done < bytes) {
          const n = read(target.subarray(done), position + row * stride + done);
          if (n <= 0) throw new CorruptIndexError("short read");
          done += n;
        }
        checksum = (checksum + dots.dots(queryAt, bufferAt, rowsNow, stride, outAt + row * 4)) | 0;
      }
      return checksum >>> 0;
    },
  };
  kernels.set(relaxed, kernel);
  return kernel;
}

/** The query as each kernel reads it (see the .wat files). Padding past the dimension is 0. */
function layQuery(memory: Uint8Array, at: number, query: Int8Array, stride: number, relaxed: boolean): void {
  if (relaxed) {
    for (let i = 0; i < stride; i++) {
      const shifted = (i < query.length ? (query[i] as number) : 0) + MAX_CODE;
      const high = shifted >> 1;
      memory[at + i] = high;
      memory[at + stride + i] = shifted - high;
    }
  } else {
    const lanes = new Int16Array(memory.buffer, at, stride);
    for (let i = 0; i < stride; i++) lanes[i] = i < query.length ? (query[i] as number) : 0;
  }
}
