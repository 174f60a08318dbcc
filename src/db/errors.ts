// SQLite failures as lore errors. Kept free of the driver import: the CLI maps errors at start-up.

import { LoreError } from "../core/errors.js";
import { RECOVER_ACTIONS, RECOVER_SUGGESTION } from "./damage.js";

/**
 * A SQLite failure while reading or writing (locked past the busy timeout, disk full, I/O error,
 * read-only file, damaged file) as DATABASE. Constraint violations and other non-SQLite errors are not mapped:
 * those are bugs in lore.
 */
export function sqliteFailure(error: unknown): LoreError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (!(error instanceof Error) || typeof code !== "string" || !code.startsWith("SQLITE_")) return undefined;
  if (code.startsWith("SQLITE_CONSTRAINT")) return undefined;
  const details = { sqlite_code: code };
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new LoreError(
      "DATABASE",
      `The database stayed locked by another process for longer than lore waits (${error.message}).`,
      { suggestion: "Retry once the other lore command has finished.", details, cause: error },
    );
  }
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
    return new LoreError("DATABASE", `The database file is damaged (${code}: ${error.message}).`, {
      suggestion: RECOVER_SUGGESTION,
      actions: [...RECOVER_ACTIONS],
      details: { ...details, damaged: true },
      cause: error,
    });
  }
  return new LoreError("DATABASE", `The database could not be read or written: ${error.message}`, {
    suggestion: "Check free disk space and that the database file is writable.",
    details,
    cause: error,
  });
}
