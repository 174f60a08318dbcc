// Loads sqlite-vec into a connection: vectors live in a vec0 table that deletes cascade into, so
// every connection needs it, and opening the database is the place that knows every connection.

import * as sqliteVec from "sqlite-vec";
import type { Db } from "./open.js";

export function loadVectorExtension(db: Db): void {
  sqliteVec.load(db);
}
