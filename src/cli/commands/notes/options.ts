// Turns `lore notes` flags into typed options. Every violation is USAGE, raised before the
// database is opened.

import { usageError } from "../../../core/errors.js";
import { type EntityArgument, parseEntityArgument } from "../../../history/entity-argument.js";
import { DEFAULT_NOTES_LIMIT, type NoteTypeFilter } from "../../../history/notes.js";
import { parseLimit, parseSince } from "../../../search/filters.js";
import { parseAuthor, parseProjectFlag } from "../entities/options.js";

export interface RawNotesFlags {
  readonly project?: unknown;
  readonly author?: unknown;
  readonly type?: unknown;
  readonly on?: unknown;
  readonly path?: unknown;
  readonly since?: unknown;
  readonly unresolved?: unknown;
  readonly contains?: unknown;
  readonly sort?: unknown;
  readonly asc?: unknown;
  readonly limit?: unknown;
}

export interface NotesCommandOptions {
  readonly project?: string | undefined;
  readonly author?: string | undefined;
  readonly type?: NoteTypeFilter | undefined;
  readonly on?: Extract<EntityArgument, { kind: "entity" }> | undefined;
  readonly pathPrefix?: string | undefined;
  readonly since?: string | undefined;
  readonly unresolved: boolean;
  readonly contains?: string | undefined;
  readonly sort: "created" | "updated";
  readonly ascending: boolean;
  readonly limit: number;
}

export const NOTE_TYPES = [
  "discussion",
  "diffnote",
  "system",
  "all",
] as const satisfies readonly NoteTypeFilter[];

export function parseNotesOptions(
  flags: RawNotesFlags,
  configuredProjects: readonly string[],
  gitlabUrl: string,
  now: number = Date.now(),
): NotesCommandOptions {
  const project = parseProjectFlag(flags.project, configuredProjects);
  const on = flags.on === undefined ? undefined : parseEntityArgument(String(flags.on), gitlabUrl, false);
  if (
    on?.kind === "entity" &&
    project !== undefined &&
    on.projectPath !== undefined &&
    on.projectPath.toLowerCase() !== project.toLowerCase()
  ) {
    throw usageError(`--on ${String(flags.on)} is in ${on.projectPath}, but -p names ${project}`);
  }
  return {
    project,
    author: parseAuthor(flags.author),
    type: parseNoteType(flags.type),
    on: on?.kind === "entity" ? on : undefined,
    pathPrefix: nonEmpty(flags.path, "--path needs a path prefix, e.g. --path src/api/"),
    since: typeof flags.since === "string" ? parseSince(flags.since, now) : undefined,
    unresolved: flags.unresolved === true,
    contains: nonEmpty(flags.contains, "--contains needs some text"),
    sort: parseSort(flags.sort),
    ascending: flags.asc === true,
    limit: parseLimit(flags.limit, DEFAULT_NOTES_LIMIT),
  };
}

function parseNoteType(value: unknown): NoteTypeFilter | undefined {
  if (value === undefined) return undefined;
  const text = String(value).toLowerCase();
  if ((NOTE_TYPES as readonly string[]).includes(text)) return text as NoteTypeFilter;
  throw usageError(`--type ${String(value)}: expected ${NOTE_TYPES.join(", ")}`);
}

function parseSort(value: unknown): "created" | "updated" {
  if (value === undefined || value === "created") return "created";
  if (value === "updated") return "updated";
  throw usageError(`--sort ${String(value)}: expected created or updated`);
}

function nonEmpty(value: unknown, message: string): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (text.trim() === "") throw usageError(message);
  return text;
}
