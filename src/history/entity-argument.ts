// Names of an issue or merge request that commands accept — `issue:42`, `i:42`, `mr:7`, `m:7`,
// `#42`, `!7`, `group/proj#42`, `group/proj!7`, a web URL of the instance, or as two words
// `issue 42` / `mr !7` — and finding the entity they name in the mirror. Anything else is free
// text (a timeline query, a text to relate), where allowed. Timeline, related and notes --on read
// them here, so each accepts what the others do.

import { LoreError, usageError } from "../core/errors.js";
import type { Db } from "../db/open.js";
import { parseEntityUrl } from "../gitlab/entity-url.js";
import { type EntityType, entitiesByIid, entityByReference, type MirrorEntity } from "./mirror-entities.js";

export type EntityArgument =
  | {
      readonly kind: "entity";
      readonly type: EntityType;
      readonly iid: number;
      /** When the argument names the project (a full reference or a URL). */
      readonly projectPath?: string;
    }
  | { readonly kind: "query"; readonly text: string };

// The type words of the two-word form (`lore related issue 42`); with their short forms, the
// prefixes of the one-word form (`issue:42`, `i:42`).
const TYPE_WORDS: Record<string, EntityType> = {
  issue: "issue",
  mr: "merge_request",
  merge_request: "merge_request",
};
const PREFIXES: Record<string, EntityType> = { ...TYPE_WORDS, i: "issue", m: "merge_request" };
const PREFIXED = /^([a-z_]+):(.*)$/i;
const SHORT_REFERENCE = /^(?:([A-Za-z0-9_][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.-]*)+))?([#!])(\d+)$/;
const MAX_IID = 2_147_483_647;

/**
 * Parses one argument. `allowQuery`: free text becomes a query (timeline); otherwise it is USAGE
 * (`lore notes --on`). A form that looks like a name but is malformed is always USAGE.
 */
export function parseEntityArgument(raw: string, gitlabUrl: string, allowQuery: boolean): EntityArgument {
  const text = raw.trim();
  const examples = "issue:42, mr:7, group/project#42 or an issue/MR URL";
  if (text === "") throw usageError(`an issue or merge request is needed: ${examples}`);
  if (/^https?:\/\//i.test(text)) {
    const url = parseEntityUrl(text, gitlabUrl);
    if (!url) {
      throw usageError(`${text} is not an issue or merge request URL of ${gitlabUrl}`, `Use ${examples}.`);
    }
    return { kind: "entity", type: url.type, iid: url.iid, projectPath: url.projectPath };
  }
  const prefixed = PREFIXED.exec(text);
  const prefixType = prefixed ? PREFIXES[(prefixed[1] as string).toLowerCase()] : undefined;
  if (prefixed && prefixType)
    return { kind: "entity", type: prefixType, iid: iid(prefixed[2] as string, text) };
  const short = SHORT_REFERENCE.exec(text);
  if (short) {
    const type = short[2] === "#" ? "issue" : "merge_request";
    return {
      kind: "entity",
      type,
      iid: iid(short[3] as string, text),
      ...(short[1] ? { projectPath: short[1] } : {}),
    };
  }
  if (allowQuery) return { kind: "query", text };
  throw usageError(`${text}: expected ${examples}`);
}

/**
 * Command-line words naming an entity: a type word and its IID (`issue 42`, `mr !7`), or the words
 * as one argument (`parseEntityArgument`). A type word alone is USAGE: it lacks its IID.
 */
export function parseEntityWords(
  words: readonly string[],
  gitlabUrl: string,
  allowQuery: boolean,
): EntityArgument {
  const text = words.join(" ").trim();
  // `issue 42` as two arguments or as one quoted argument alike.
  const tokens = text.split(/\s+/);
  const [first = "", second] = tokens;
  const type = TYPE_WORDS[first.toLowerCase()];
  if (type && tokens.length === 1) throw usageError(`${first}: give its IID, e.g. ${first} 42`);
  if (type && tokens.length === 2 && second !== undefined && /^[#!]?\d+$/.test(second)) {
    const sigil = type === "issue" ? "#" : "!";
    if (/^[#!]/.test(second) && !second.startsWith(sigil)) {
      throw usageError(`${text}: ${type === "issue" ? "an issue" : "a merge request"} is ${sigil}IID`);
    }
    return { kind: "entity", type, iid: iid(second.replace(/^[#!]/, ""), text) };
  }
  return parseEntityArgument(text, gitlabUrl, allowQuery);
}

/** USAGE when the argument names a project (a full reference, a URL) other than -p's. */
export function assertSameProject(argument: EntityArgument, project: string | undefined, text: string): void {
  if (
    project !== undefined &&
    argument.kind === "entity" &&
    argument.projectPath !== undefined &&
    argument.projectPath.toLowerCase() !== project.toLowerCase()
  ) {
    throw usageError(
      `${text} is in ${argument.projectPath}, but -p names ${project}`,
      "Drop -p or one of the two.",
    );
  }
}

function iid(value: string, text: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > MAX_IID) {
    throw usageError(`${text}: an IID is a positive integer (issue:42, mr:7)`);
  }
  return n;
}

export interface EntityScope {
  /** Projects the lookup is limited to (the one -p names, else every configured one). */
  readonly paths: readonly string[];
  /** Local ids of those of them that have been synced. */
  readonly ids: readonly number[];
  /** Every configured project (to tell a fetchable entity from one of an unconfigured project). */
  readonly configured: readonly string[];
}

/**
 * The mirror's entity an argument names. Not in the mirror: NOT_IN_MIRROR with the surgical sync
 * that fetches it; an IID in several projects: USAGE asking for -p.
 */
export function findNamedEntity(
  db: Db,
  argument: Extract<EntityArgument, { kind: "entity" }>,
  scope: EntityScope,
): MirrorEntity {
  const { type, iid: number, projectPath } = argument;
  const sigil = type === "issue" ? "#" : "!";
  const found = projectPath
    ? [entityByReference(db, type, projectPath, number)].filter((e): e is MirrorEntity => e !== undefined)
    : entitiesByIid(db, type, scope.ids, number);
  if (found.length > 1) {
    throw usageError(
      `${sigil}${number} exists in several projects: ${found.map((f) => f.project).join(", ")}`,
      `Name one: ${found.map((f) => `${f.project}${sigil}${number}`).join(" or ")}, or add -p.`,
    );
  }
  const entity = found[0];
  if (entity) return entity;
  throw notInMirror(type, number, projectPath ? [projectPath] : scope.paths, scope.configured);
}

function notInMirror(
  type: EntityType,
  iid: number,
  paths: readonly string[],
  configured: readonly string[],
): LoreError {
  const sigil = type === "issue" ? "#" : "!";
  const flag = type === "issue" ? "--issue" : "--mr";
  const fetchable = paths
    .map((path) => configured.find((c) => c.toLowerCase() === path.toLowerCase()))
    .filter((path): path is string => path !== undefined);
  const actions = fetchable.map((path) => `lore sync -p ${path} ${flag} ${iid}`);
  const where = paths.length === 1 ? ` of ${paths[0]}` : "";
  return new LoreError("NOT_IN_MIRROR", `${sigil}${iid} is not in the local mirror${where}.`, {
    suggestion:
      actions.length > 0
        ? `Fetch it with: ${actions[0]}`
        : `${paths.join(", ")} is not a configured project: add it to lore's config (lore init --force --project …), then sync.`,
    actions,
    details: { entity_type: type, iid, projects: paths },
  });
}
