// `lore sync --recover`: makes the database sound before the sync writes into it. A file SQLite
// reports damaged is moved aside (kept, with its -wal and -shm) so the sync builds a new mirror; a
// search index that no longer matches its documents is rebuilt in place; a sound file is left as
// it is. Running it twice never moves a good database aside.

import { existsSync } from "node:fs";
import { clearDamage, describeDamage, moveAside, readDamage } from "./damage.js";
import { checkIntegrity } from "./integrity.js";
import { openDatabase } from "./open.js";

export type Recovery =
  | { readonly action: "none"; readonly reason: string }
  | { readonly action: "moved_aside"; readonly moved_to: string; readonly reason: string }
  | { readonly action: "rebuilt_search_index"; readonly reason: string };

export function recoverDatabase(path: string): Recovery {
  if (!existsSync(path)) return { action: "none", reason: "no database yet: the sync creates one" };
  const recorded = readDamage(path);
  const report = checkIntegrity(path);
  const quick = report.quick_check;
  if (!quick.ok) {
    const reason = `quick_check: ${quick.problems.slice(0, 3).join("; ")}`;
    return { action: "moved_aside", moved_to: moveAside(path), reason };
  }
  // Every page is sound: whatever damage was recorded is gone, and the file may be written again.
  clearDamage(path);
  if (report.fts.status === "damaged") {
    const db = openDatabase(path);
    try {
      db.prepare("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')").run();
    } finally {
      db.close();
    }
    return { action: "rebuilt_search_index", reason: `full-text index: ${report.fts.detail}` };
  }
  const was = recorded ? ` (it was ${describeDamage(recorded)})` : "";
  const unchecked = report.fts.status === "skipped" ? `; search index not checked: ${report.fts.detail}` : "";
  return { action: "none", reason: `the database is sound${was}${unchecked}` };
}
