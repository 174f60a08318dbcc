// Whether the vector index file is what searches use, for `lore doctor`: current (perhaps with a
// few chunks changed since it was built, which searches compute exactly), stale (unusable: built
// from other vectors, or too far behind the change log; searches scan the vec0 table exactly until
// the next writer rebuilds it), or not needed for a corpus this small. Reads the header and the
// change log only; the checksums are checked by searches and writers.

import type { Db } from "../../db/open.js";
import { usabilityOf } from "./changes.js";
import { databaseFile, readHeaderOf, vectorIndexPath } from "./format.js";
import { minChunksOf } from "./write.js";

export type VectorIndexStatus =
  | { readonly state: "current"; readonly chunks: number; readonly changes: number }
  | { readonly state: "stale" | "missing" | "not_needed"; readonly chunks: number };

export function vectorIndexStatus(db: Db): VectorIndexStatus {
  return db
    .transaction((): VectorIndexStatus => {
      const chunks = db.prepare("SELECT count(*) FROM embedding_chunks").pluck().get() as number;
      const dbPath = databaseFile(db);
      if (!dbPath || chunks === 0 || chunks < minChunksOf({})) return { state: "not_needed", chunks };
      const header = readHeaderOf(vectorIndexPath(dbPath));
      if (!header) return { state: "missing", chunks };
      const usability = usabilityOf(db, header);
      return usability.usable
        ? { state: "current", chunks, changes: usability.changes }
        : { state: "stale", chunks };
    })
    .deferred();
}
