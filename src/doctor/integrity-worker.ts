// Runs the database integrity check off the main thread, so `lore doctor` can stop waiting for it.

import { parentPort, workerData } from "node:worker_threads";
import { checkIntegrity } from "../db/integrity.js";

const { path, hold } = workerData as { path: string; hold: boolean };
// Fault injection for tests (LORE_TEST_HOLD_STAGE=integrity-check): a check that never ends.
if (hold) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
parentPort?.postMessage(checkIntegrity(path));
