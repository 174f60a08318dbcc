import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { wordSum } from "../../src/embedding/vector-index/format.js";
import { BATCH_BYTES, type ReadAt, vectorKernel } from "../../src/embedding/vector-index/kernel.js";
import {
  HELPER_MIN_ROWS,
  scanHelperReady,
  sharedScan,
  startScanHelper,
  stopScanHelper,
} from "../../src/embedding/vector-index/scan-helper.js";
import { prng } from "../support/generate.js";

// Rows of 64 codes, 16,384 to a 1 MiB batch: 6.5 batches, the last one short.
const STRIDE = 64;
const ROWS = Math.floor((6.5 * BATCH_BYTES) / STRIDE);
const OFFSET = 4_096; // the codes start inside the file, as in an index file

const kernel = vectorKernel();
const random = prng(17);
const codes = Int8Array.from({ length: ROWS * STRIDE }, () => Math.round(random() * 254) - 127);
const query = Int8Array.from({ length: STRIDE }, () => Math.round(random() * 254) - 127);

let dir: string;
let fd: number;
const read: ReadAt = (target, position) => readSync(fd, target, 0, target.length, position);
const at = { position: OFFSET, queryAt: 0, outAt: 4 * STRIDE, bufferAt: 4 * STRIDE + 4 * ROWS };

const whenReady = async () => {
  for (let waited = 0; !scanHelperReady(); waited += 10) {
    if (waited > 10_000) throw new Error("the scan helper did not start");
    await sleep(10);
  }
};

/** The dot products a scan left in the kernel's memory, offset removed. */
const dotsOf = () => {
  const raw = new Int32Array(kernel.buffer(), at.outAt, ROWS);
  return Array.from(raw, (value, row) => {
    let sum = 0;
    for (let d = 0; d < STRIDE; d++) sum += codes[row * STRIDE + d] as number;
    return value - kernel.dotOffset * sum;
  });
};

const expected = Array.from({ length: ROWS }, (_, row) => {
  let sum = 0;
  for (let d = 0; d < STRIDE; d++) sum += (codes[row * STRIDE + d] as number) * (query[d] as number);
  return sum;
});

describe("a scan shared with the helper thread", () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "lore-scan-helper-"));
    const file = join(dir, "codes");
    writeFileSync(file, Buffer.concat([Buffer.alloc(OFFSET, 7), Buffer.from(codes.buffer)]));
    fd = openSync(file, "r");
    kernel.reserve(at.bufferAt + BATCH_BYTES + STRIDE);
    kernel.layQuery(at.queryAt, query, STRIDE);
  });
  afterEach(async () => {
    await stopScanHelper();
    new Int32Array(kernel.buffer(), at.outAt, ROWS).fill(0);
  });
  afterAll(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it("scans alone until the helper is ready, and for an index too small to start it", () => {
    startScanHelper(kernel, HELPER_MIN_ROWS - 1);
    const scan = sharedScan(kernel, fd, read, at, ROWS, STRIDE);
    expect(scan).toEqual({ checksum: wordSum(codes), shared: false, batches: 7, helperBatches: 0 });
    expect(dotsOf()).toEqual(expected);
  });

  it("gives the same dot products and checksum when the helper scans every batch", async () => {
    startScanHelper(kernel, HELPER_MIN_ROWS);
    await whenReady();
    const scan = sharedScan(kernel, fd, read, at, ROWS, STRIDE, false);
    expect(scan).toEqual({ checksum: wordSum(codes), shared: true, batches: 7, helperBatches: 7 });
    expect(dotsOf()).toEqual(expected);
  });

  it("gives the same when both threads take batches, query after query", async () => {
    startScanHelper(kernel, HELPER_MIN_ROWS);
    await whenReady();
    for (let i = 0; i < 5; i++) {
      new Int32Array(kernel.buffer(), at.outAt, ROWS).fill(0);
      const scan = sharedScan(kernel, fd, read, at, ROWS, STRIDE);
      expect(scan).toMatchObject({ checksum: wordSum(codes), shared: true });
      expect(dotsOf()).toEqual(expected);
    }
  });

  it("scans alone when the helper fails the batches it claimed, and stops using it", async () => {
    startScanHelper(kernel, HELPER_MIN_ROWS);
    await whenReady();
    // A helper that cannot read: every batch it claims fails.
    const scan = sharedScan(kernel, -1, read, at, ROWS, STRIDE, false);
    expect(scan).toEqual({ checksum: wordSum(codes), shared: false, batches: 7, helperBatches: 0 });
    expect(dotsOf()).toEqual(expected);
    // It is not used again.
    expect(sharedScan(kernel, fd, read, at, ROWS, STRIDE, false).shared).toBe(false);
  });
});
