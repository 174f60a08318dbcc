// Turns `lore timeline` arguments and flags into typed options. Every violation is USAGE, raised
// before the database is opened.

import { usageError } from "../../../core/errors.js";
import {
  assertSameProject,
  type EntityArgument,
  parseEntityWords,
} from "../../../history/entity-argument.js";
import { DEFAULT_TIMELINE_DEPTH, DEFAULT_TIMELINE_LIMIT } from "../../../history/timeline.js";
import { parseLimit, parseSince } from "../../../search/filters.js";
import { parseProjectFlag } from "../entities/options.js";

export interface RawTimelineFlags {
  readonly project?: unknown;
  readonly depth?: unknown;
  readonly mentions?: unknown;
  readonly since?: unknown;
  readonly limit?: unknown;
}

export interface TimelineCommandOptions {
  readonly seed: EntityArgument;
  /** A configured project's full path, when -p named one. */
  readonly project?: string | undefined;
  readonly depth: number;
  readonly mentions: boolean;
  readonly since?: string | undefined;
  readonly limit: number;
}

export const MAX_TIMELINE_DEPTH = 10;

export function parseTimelineOptions(
  words: readonly unknown[],
  flags: RawTimelineFlags,
  configuredProjects: readonly string[],
  gitlabUrl: string,
  now: number = Date.now(),
): TimelineCommandOptions {
  const seed = parseEntityWords(words.map(String), gitlabUrl, true);
  const project = parseProjectFlag(flags.project, configuredProjects);
  assertSameProject(seed, project, words.map(String).join(" ").trim());
  return {
    seed,
    project,
    depth: parseDepth(flags.depth),
    mentions: flags.mentions !== false,
    since: typeof flags.since === "string" ? parseSince(flags.since, now) : undefined,
    limit: parseLimit(flags.limit, DEFAULT_TIMELINE_LIMIT),
  };
}

export function parseDepth(value: unknown): number {
  if (value === undefined) return DEFAULT_TIMELINE_DEPTH;
  const text = String(value);
  const depth = Number(text);
  if (!/^\d+$/.test(text) || depth > MAX_TIMELINE_DEPTH) {
    throw usageError(`--depth ${text}: expected an integer from 0 to ${MAX_TIMELINE_DEPTH}`);
  }
  return depth;
}
