// The log of chunks changed since an index file was built (migration 018), and whether a file is
// still usable: built from these vectors (the generation token, which changes only on wholesale
// events), not newer than the reader's snapshot, with the log complete after its position (entries
// are deleted from the front once a newer file includes them, so a gap means the file is older than
// the log remembers) and short enough that computing the changed chunks exactly costs less than the
// exact scan of everything.

import type { Db } from "../../db/open.js";
import { countFromEnv, type Header, readGeneration } from "./format.js";

/**
 * How many log entries after a file's position a search takes on before it scans vec0 instead.
 * Each changed chunk costs one vec0 lookup by rowid (0.3–0.6 ms measured at 60,000 chunks on this
 * loaded 2-core machine: sqlite-vec walks the chunk's overflow pages), against 1.5 µs a chunk for
 * the exact scan: the file pays off while the changes stay under a 400th of its rows, and at most
 * 500 (~0.25 s of lookups, the exact scan's cost at 200,000 chunks). That is the worst case, rows
 * spread over the table: re-embedded chunks are new rows side by side in vec0's last chunks, and
 * 100 of them added nothing measurable to a search at 200,000 (bench/vectors.ts); deleted ones cost
 * no lookup. LORE_VECTOR_INDEX_MAX_CHANGES overrides it (documented in the README; the tests use
 * it with a corpus of hundreds).
 */
export const changeBound = (rows: number) =>
  countFromEnv("LORE_VECTOR_INDEX_MAX_CHANGES") ?? Math.min(500, Math.floor(rows / 400));

/**
 * How many entries a writer leaves to searches before rebuilding the file: half the bound, so a
 * file a full sync leaves behind stays usable through the surgical syncs that follow (a surgical
 * sync never rebuilds; a re-embedded issue is a handful of chunks), and a rebuild (~4 s at 200,000
 * chunks) is paid once per a few hundred changed chunks rather than on every sync.
 */
export const rebuildAfter = (rows: number) => Math.floor(changeBound(rows) / 2);

/** The log's high-water mark: the position of the last entry ever appended (0 before any). */
export function changeHead(db: Db): number {
  const seq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'vector_index_changes'").pluck().get();
  return typeof seq === "number" ? seq : 0;
}

export type Usability =
  | { readonly usable: true; readonly changes: number }
  | { readonly usable: false; readonly reason: string };

/** Whether a file with this header can answer in the caller's snapshot; call in a read transaction. */
export function usabilityOf(db: Db, header: Header): Usability {
  if (header.generation !== readGeneration(db)) return { usable: false, reason: "built from other vectors" };
  const head = changeHead(db);
  const changes = head - header.position;
  if (changes < 0) return { usable: false, reason: "newer than the database" };
  if (changes > changeBound(header.count)) {
    return { usable: false, reason: `${changes} changes since it was built` };
  }
  const logged = db
    .prepare("SELECT count(*) FROM vector_index_changes WHERE seq > ?")
    .pluck()
    .get(header.position) as number;
  if (logged !== changes) return { usable: false, reason: "the change log no longer reaches back to it" };
  return { usable: true, changes };
}

export interface ChangedChunk {
  readonly chunkId: number;
  /** Undefined for a chunk deleted since. */
  readonly documentId: number | undefined;
}

/** The distinct chunks logged after `position`, with their document when they still exist. */
export function changedChunks(db: Db, position: number): ChangedChunk[] {
  const rows = db
    .prepare(
      `SELECT l.chunk_id, c.document_id FROM (SELECT DISTINCT chunk_id FROM vector_index_changes WHERE seq > ?) l
       LEFT JOIN embedding_chunks c ON c.id = l.chunk_id`,
    )
    .raw()
    .all(position) as [number, number | null][];
  return rows.map(([chunkId, documentId]) => ({ chunkId, documentId: documentId ?? undefined }));
}

/** Forgets the entries at or before `position` (a file including them has replaced the old one). */
export function pruneChanges(db: Db, position: number): void {
  db.transaction(() =>
    db.prepare("DELETE FROM vector_index_changes WHERE seq <= ?").run(position),
  ).immediate();
}
