// Whether the vector index file is what searches use, for `lore doctor`: current, stale (searches
// scan the vec0 table exactly until the next writer rebuilds it), or not needed for a corpus this
// small. Reads the header only; the checksums are checked by searches and writers.

import type { Db } from "../../db/open.js";
import { databaseFile, readGeneration, vectorIndexPath } from "./format.js";
import { minChunksOf, readHeaderOf } from "./write.js";

export type VectorIndexStatus =
  | { readonly state: "current"; readonly chunks: number }
  | { readonly state: "stale" | "missing" | "not_needed"; readonly chunks: number };

export function vectorIndexStatus(db: Db): VectorIndexStatus {
  const chunks = db.prepare("SELECT count(*) FROM embedding_chunks").pluck().get() as number;
  const dbPath = databaseFile(db);
  if (!dbPath || chunks === 0 || chunks < minChunksOf({})) return { state: "not_needed", chunks };
  const header = readHeaderOf(vectorIndexPath(dbPath));
  if (!header) return { state: "missing", chunks };
  return { state: header.generation === readGeneration(db) ? "current" : "stale", chunks };
}
