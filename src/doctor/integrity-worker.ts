// Runs the database integrity check off the main thread, so `lore doctor` can stop waiting for it.

import { parentPort, workerData } from "node:worker_threads";
import { checkIntegrity } from "../db/integrity.js";

const { path } = workerData as { path: string };
parentPort?.postMessage(checkIntegrity(path));
