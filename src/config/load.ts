// Reads and validates the config file; every problem is a CONFIG error naming the file and field,
// and keys the schema does not know are warnings.

import type { z } from "zod";
import { LoreError } from "../core/errors.js";
import { type Config, ConfigSchema } from "./schema.js";
import { INIT_ACTION, readConfigText } from "./text.js";
import { describeUnknownKey, unknownKeys } from "./unknown-keys.js";

export interface LoadedConfig {
  readonly config: Config;
  /** Problems that do not stop lore (unknown keys), one sentence each. */
  readonly warnings: readonly string[];
}

export function loadConfig(path: string): Config {
  return loadConfigWithWarnings(path).config;
}

/** The config, and warnings about keys the schema does not know (they are ignored). */
export function loadConfigWithWarnings(path: string): LoadedConfig {
  return configFromText(path, readConfigText(path));
}

/** The config in `text` (the file at `path`, already read), validated, with its warnings. */
export function configFromText(path: string, text: string): LoadedConfig {
  const json = parseConfigText(path, text);
  const config = validateConfig(json, path);
  const warnings = unknownKeys(ConfigSchema, json).map(describeUnknownKey);
  return { config, warnings };
}

/** The config file's JSON as written, not validated: what `lore config set` edits. */
export function readConfigDocument(path: string): unknown {
  return parseConfigText(path, readConfigText(path));
}

function parseConfigText(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new LoreError("CONFIG", `The config file ${path} is not valid JSON: ${(error as Error).message}`, {
      suggestion: "Fix the file by hand, or recreate it with `lore init --force`.",
      actions: [`${INIT_ACTION} --force`],
    });
  }
}

export function validateConfig(json: unknown, source: string): Config {
  const result = ConfigSchema.safeParse(json);
  if (result.success) return result.data;
  const problems = describeIssues(result.error);
  const first = problems[0];
  throw new LoreError("CONFIG", `Invalid config in ${source}: ${first?.field}: ${first?.message}`, {
    suggestion: `${fixFor(first?.field ?? "")}, or recreate the file with \`lore init --force\`.`,
    details: { problems },
  });
}

/** How to fix one field without re-running init. */
function fixFor(field: string): string {
  if (field.startsWith("projects")) return "Fix the projects with `lore project add|remove`";
  if (/^[\w.]+$/.test(field) && field.includes(".")) return `Fix it with \`lore config set ${field} VALUE\``;
  return "Fix the named field";
}

export function describeIssues(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join(".") : "(root)",
    message: issue.message,
  }));
}
