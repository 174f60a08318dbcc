// Changes to the config file made without re-running init (`lore config set`, `lore project add`):
// the file's JSON is edited as written (other settings, unknown keys and unset defaults stay as
// they are), validated against the schema, and written atomically with mode 0600.

import { LoreError, usageError } from "../core/errors.js";
import { describeIssues, readConfigDocument } from "./load.js";
import { type Config, ConfigSchema } from "./schema.js";
import { writeConfigFile } from "./write.js";

export type ConfigDocument = Record<string, unknown>;

export interface EditedConfig {
  readonly config: Config | undefined;
  /** Problems the file had before, elsewhere than the change: the change is written all the same. */
  readonly warnings: readonly string[];
}

/**
 * Applies `change` to the config file at `path`. A change that leaves `field` (the key it changes)
 * invalid is USAGE and nothing is written; problems elsewhere in the file were there before and do
 * not stop a change (it may be the one that fixes them next).
 */
export function editConfigFile(
  path: string,
  field: string,
  change: (document: ConfigDocument) => ConfigDocument,
): EditedConfig {
  const document = readConfigDocument(path);
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw new LoreError("CONFIG", `The config file ${path} does not hold a JSON object.`, {
      suggestion: "Recreate it with `lore init --force`.",
    });
  }
  const next = change(document as ConfigDocument);
  const result = ConfigSchema.safeParse(next);
  let warnings: string[] = [];
  if (!result.success) {
    const problems = describeIssues(result.error);
    const own = problems.find((p) => p.field === field || p.field.startsWith(`${field}.`));
    if (own) throw usageError(`Invalid ${own.field}: ${own.message}`);
    warnings = problems.map((p) => `${path}: ${p.field}: ${p.message} (fix it with lore config set)`);
  }
  writeConfigFile(path, next);
  return { config: result.success ? result.data : undefined, warnings };
}

/** The project paths a config document lists, as written. */
export function documentProjects(document: ConfigDocument): string[] {
  const projects = Array.isArray(document.projects) ? document.projects : [];
  return projects
    .map((p) => (p && typeof p === "object" ? (p as { path?: unknown }).path : undefined))
    .filter((path): path is string => typeof path === "string");
}

/** The document with `paths` appended to its projects (those already there, in any case, skipped). */
export function withProjects(document: ConfigDocument, paths: readonly string[]): ConfigDocument {
  const projects = Array.isArray(document.projects) ? [...document.projects] : [];
  const known = new Set(documentProjects(document).map((p) => p.toLowerCase()));
  for (const path of paths) {
    if (known.has(path.toLowerCase())) continue;
    known.add(path.toLowerCase());
    projects.push({ path });
  }
  return { ...document, projects };
}

/** The document without the project `path` (compared without regard to case). */
export function withoutProject(document: ConfigDocument, path: string): ConfigDocument {
  const projects = Array.isArray(document.projects) ? document.projects : [];
  return {
    ...document,
    projects: projects.filter(
      (p) =>
        !(
          p &&
          typeof p === "object" &&
          String((p as { path?: unknown }).path).toLowerCase() === path.toLowerCase()
        ),
    ),
  };
}
