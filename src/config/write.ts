// Writes the config atomically (temp file + rename) with mode 0600; never overwrites without force.
// Changes to an existing file (config set, project add, doctor's gitlab.username) go through
// `editConfigFile` (edit.ts), which ends here.

import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { LoreError } from "../core/errors.js";
import type { Config } from "./schema.js";

export function writeConfig(path: string, config: Config, force: boolean): void {
  if (existsSync(path) && !force) {
    throw new LoreError("CONFIG", `A config file already exists at ${path}.`, {
      suggestion: "Pass --force to replace it.",
    });
  }
  writeConfigFile(path, config);
}

/**
 * Replaces the config file with `document`: a reader sees the old file or the new one, never half
 * of one, and the file stays private to its owner (0600) whatever it was before.
 */
export function writeConfigFile(path: string, document: unknown): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new LoreError("CONFIG", `Cannot write the config file ${path}: ${(error as Error).message}`);
  }
}
