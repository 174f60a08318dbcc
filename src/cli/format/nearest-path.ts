// What `-v` says of how a semantic search (or `lore related`) found its nearest documents: through
// the vector index file, on how many threads, or by the exact scan and why.

import type { NearestPath } from "../../search/semantic.js";
import { formatCount } from "./count.js";

/** What `-v` says of how semantic search found its answer. */
export function nearestPathLine(path: NearestPath): string {
  if (path.via === "scan") {
    return path.indexScan
      ? `semantic: exact scan of every vector (the vector index file, ${formatCount(path.indexScan.chunks)} chunks, could not narrow this query down)`
      : "semantic: exact scan of every vector (no current vector index file)";
  }
  const changed = path.changed > 0 ? `, ${formatCount(path.changed)} changed since it was built` : "";
  const threads =
    path.threads === 2
      ? `2 threads (the second scanned ${path.helperBatches} of ${path.batches} batches)`
      : "1 thread";
  return `semantic: vector index file, ${formatCount(path.chunks)} chunks${changed}, scanned on ${threads}`;
}
