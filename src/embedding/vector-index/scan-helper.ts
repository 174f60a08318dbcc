// A second thread for the scan of the codes. At 200,000 chunks the scan reads ~150 MB from the
// page cache and multiplies it with the query: two thirds of a search, bound by one core's copy and
// multiply speed. A worker thread that shares the scan batch by batch (each thread claims the next
// 1 MiB batch from a shared counter) nearly halves it on two cores. The worker is started once per
// process, early (semantic search starts it before it embeds the query, so a one-shot command's
// start-up overlaps that round trip), and is never waited for: until it is ready, and whenever it
// fails, the search thread scans alone. The worker reads the index through the search's own file
// descriptor, writes its dot products and checksum into memory shared with the search, and the
// search waits for the batches it claimed before using them.

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { countFromEnv } from "./format.js";
import { BATCH_BYTES, batchRowsFor, type ReadAt, type VectorKernel } from "./kernel.js";

/** Below this many rows a scan takes a few milliseconds: not worth a second thread's start-up. */
export const HELPER_MIN_ROWS = 50_000;

/** How long the search waits for the batches the worker claimed before it scans everything alone. */
const STALL_MS = 2_000;

// The shared control words of one scan.
const NEXT = 0; // the next batch to claim
const DONE = 1; // batches the worker finished
const CHECKSUM = 2; // the checksum of the worker's batches
const FAILED = 3; // 1 when the worker could not finish a batch it claimed
const CONTROL_BYTES = 16;

interface Job {
  readonly fd: number;
  readonly position: number;
  readonly count: number;
  readonly stride: number;
  readonly batchRows: number;
  readonly batchBytes: number;
  /** The query as the kernel reads it (2 × stride bytes). */
  readonly query: Uint8Array;
  /** Control words, then which batches the worker scanned (a byte each), then the dot products. */
  readonly shared: SharedArrayBuffer;
  readonly ownersAt: number;
  readonly dotsAt: number;
}

/** The worker, and a word it sets to 1 once it can take jobs (read without the event loop turning). */
type State =
  | {
      readonly kind: "on";
      readonly worker: Worker;
      readonly ready: Int32Array;
      /** The dot-product module it runs: another one's dot products differ (kernel.dotOffset). */
      readonly module: WebAssembly.Module;
    }
  | { readonly kind: "off" };

let state: State | undefined;

/**
 * Whether a second thread may scan: not on a machine (or container) with one core, where it could
 * only compete with the search, and not with `LORE_VECTOR_SCAN_THREADS=1`.
 */
function helperAllowed(): boolean {
  return availableParallelism() >= 2 && (countFromEnv("LORE_VECTOR_SCAN_THREADS") ?? 2) >= 2;
}

/** Starts the worker for an index of `rows` rows, unless it is too small, started, or not allowed. */
export function startScanHelper(kernel: VectorKernel, rows: number): void {
  if (state || rows < HELPER_MIN_ROWS || !helperAllowed()) return;
  const ready = new Int32Array(new SharedArrayBuffer(4));
  let worker: Worker;
  try {
    // The worker's script hands the function its own require (a bundler rewrites calls of require).
    worker = new Worker(`(${scanWorker.toString()})(require)`, {
      eval: true,
      workerData: { module: kernel.dotsModule, ready },
    });
  } catch {
    state = { kind: "off" };
    return;
  }
  // Never what keeps the process alive, nor what it waits for at exit.
  worker.unref();
  state = { kind: "on", worker, ready, module: kernel.dotsModule };
  const off = () => {
    if (state?.kind === "on" && state.worker === worker) state = { kind: "off" };
  };
  worker.once("error", off);
  worker.once("exit", off);
}

/** Stops the worker (tests and benchmarks; a process simply ends with it). */
export async function stopScanHelper(): Promise<void> {
  const current = state;
  state = undefined;
  if (current?.kind === "on") await current.worker.terminate();
}

/** Whether the worker is ready to share scans. */
export const scanHelperReady = () => state?.kind === "on" && Atomics.load(state.ready, 0) === 1;

export interface ScanShare {
  /** The checksum of every batch, scanned by either thread. */
  readonly checksum: number;
  /** Whether the worker shared the scan (it was ready), then how many of its batches it scanned. */
  readonly shared: boolean;
  readonly batches: number;
  readonly helperBatches: number;
}

/**
 * kernel.scan over `count` rows, shared with the worker when it is ready. The dot products all land
 * at `outAt` in the kernel's memory. `mainTakesBatches` false leaves every batch to the worker
 * (tests prove its half of the work that way).
 */
export function sharedScan(
  kernel: VectorKernel,
  fd: number,
  read: ReadAt,
  at: {
    readonly position: number;
    readonly queryAt: number;
    readonly outAt: number;
    readonly bufferAt: number;
  },
  count: number,
  stride: number,
  mainTakesBatches = true,
): ScanShare {
  const batchRows = batchRowsFor(stride);
  const batches = Math.ceil(count / batchRows);
  const alone = () => ({
    checksum: kernel.scan(read, at.position, count, stride, at.queryAt, at.outAt, at.bufferAt),
    shared: false,
    batches,
    helperBatches: 0,
  });
  if (state?.kind !== "on" || state.module !== kernel.dotsModule || !scanHelperReady()) return alone();
  const worker = state.worker;
  const ownersAt = CONTROL_BYTES;
  const dotsAt = Math.ceil((ownersAt + batches) / 4) * 4;
  const shared = new SharedArrayBuffer(dotsAt + 4 * count);
  const control = new Int32Array(shared, 0, CONTROL_BYTES / 4);
  const job: Job = {
    fd,
    position: at.position,
    count,
    stride,
    batchRows,
    batchBytes: BATCH_BYTES,
    query: new Uint8Array(kernel.buffer(), at.queryAt, 2 * stride).slice(),
    shared,
    ownersAt,
    dotsAt,
  };
  worker.postMessage(job);
  let mine = 0;
  const claim = () => {
    if (!mainTakesBatches) return batches;
    const batch = Atomics.add(control, NEXT, 1);
    if (batch < batches) mine += 1;
    return batch;
  };
  let checksum = kernel.scan(read, at.position, count, stride, at.queryAt, at.outAt, at.bufferAt, claim);

  // Every batch is claimed once the counter passes the last; wait for the worker's to be done.
  const theirs = () => batches - mine;
  const deadline = performance.now() + STALL_MS;
  for (;;) {
    const done = Atomics.load(control, DONE);
    const claimed = Math.min(Atomics.load(control, NEXT), batches);
    if (Atomics.load(control, FAILED) === 1) break;
    if (claimed >= batches && done >= theirs()) {
      const owners = new Uint8Array(shared, ownersAt, batches);
      const dots = new Int32Array(shared, dotsAt, count);
      const out = new Int32Array(kernel.buffer(), at.outAt, count);
      for (let batch = 0; batch < batches; batch++) {
        if (owners[batch] !== 1) continue;
        const from = batch * batchRows;
        out.set(dots.subarray(from, Math.min(count, from + batchRows)), from);
      }
      checksum = (checksum + Atomics.load(control, CHECKSUM)) >>> 0;
      return { checksum, shared: true, batches, helperBatches: done };
    }
    const left = deadline - performance.now();
    if (left <= 0) break;
    Atomics.wait(control, DONE, done, left);
  }
  // The worker failed or stalled: it is not used again, and this thread scans everything itself.
  state = { kind: "off" };
  void worker.terminate();
  return alone();
}

/**
 * The worker's whole program, run from its source text (so that it needs no file of its own in the
 * bundle): it instantiates the dot-product module it is sent, then scans the batches it claims of
 * each job. Self-contained: nothing outside this function and its argument exists in the worker.
 */
function scanWorker(load: NodeJS.Require): void {
  const { parentPort, workerData } = load("node:worker_threads") as typeof import("node:worker_threads");
  const { readSync } = load("node:fs") as typeof import("node:fs");
  if (!parentPort) return;
  const { module, ready } = workerData as { module: WebAssembly.Module; ready: Int32Array };
  const kernel = new WebAssembly.Instance(module).exports as unknown as {
    memory: WebAssembly.Memory;
    dots: (query: number, codes: number, count: number, stride: number, out: number) => number;
  };
  parentPort.on("message", (job: Job) => {
    const control = new Int32Array(job.shared, 0, 4);
    const [next, done, checksum, failed] = [0, 1, 2, 3];
    const owners = new Uint8Array(job.shared, job.ownersAt);
    const dots = new Int32Array(job.shared, job.dotsAt, job.count);
    const batches = Math.ceil(job.count / job.batchRows);
    try {
      const { memory } = kernel;
      // The query, then the batch of codes, then its dot products.
      const queryAt = 0;
      const codesAt = 2 * job.stride;
      const outAt = codesAt + job.batchBytes + job.stride;
      const bytes = outAt + 4 * job.batchRows;
      if (memory.buffer.byteLength < bytes)
        memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65_536));
      new Uint8Array(memory.buffer, queryAt, job.query.length).set(job.query);
      for (
        let batch = Atomics.add(control, next, 1);
        batch < batches;
        batch = Atomics.add(control, next, 1)
      ) {
        const row = batch * job.batchRows;
        const rows = Math.min(job.batchRows, job.count - row);
        const target = new Uint8Array(memory.buffer, codesAt, rows * job.stride);
        for (let read = 0; read < target.length; ) {
          const n = readSync(
            job.fd,
            target,
            read,
            target.length - read,
            job.position + row * job.stride + read,
          );
          if (n <= 0) throw new Error("short read");
          read += n;
        }
        const sum = kernel.dots(queryAt, codesAt, rows, job.stride, outAt);
        dots.set(new Int32Array(memory.buffer, outAt, rows), row);
        owners[batch] = 1;
        Atomics.add(control, checksum, sum);
        Atomics.add(control, done, 1);
        Atomics.notify(control, done);
      }
    } catch {
      Atomics.store(control, failed, 1);
      Atomics.notify(control, done);
    }
  });
  Atomics.store(ready, 0, 1);
}
