// Writes the config atomically (temp file + rename) with mode 0600; never overwrites without force,
// and updates an existing one in place of re-running init.

import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { LoreError } from "../core/errors.js";
import { validateConfig } from "./load.js";
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
  writeAtomically(path, document);
}

/**
 * Changes one part of an existing config file, keeping everything else as written (no defaults
 * filled in); the result must still be a valid config.
 */
export function updateConfigFile(path: string, update: (raw: Record<string, unknown>) => void): void {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new LoreError("CONFIG", `Cannot read the config file ${path}: ${(error as Error).message}`);
  }
  update(raw);
  validateConfig(raw, path);
  writeAtomically(path, raw);
}

function writeAtomically(path: string, value: unknown): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new LoreError("CONFIG", `Cannot write the config file ${path}: ${(error as Error).message}`);
  }
}
