// Finds the issue or MR a command names by IID in the local mirror: one match, or USAGE when the IID
// exists in several projects in scope, or NOT_IN_MIRROR with the commands that fetch it.

import { LoreError, usageError } from "../core/errors.js";
import type { Db } from "../db/open.js";
import type { EntityType } from "../read/list-entities.js";
import { findEntities } from "../read/show-entity.js";
import { shellQuote, surgicalSyncCommand } from "./command-line.js";
import type { ProjectScope } from "./project-filter.js";

const NAMES = {
  issue: { sigil: "#", flag: "--issue" },
  merge_request: { sigil: "!", flag: "--mr" },
} as const;

export interface StoredEntity {
  readonly id: number;
  readonly project: string;
}

/**
 * The stored row of this entity within the scope, or undefined when the mirror lacks it.
 * @param retry how to name it again with -p, for the ambiguity hint (`lore issues 42`)
 */
export function lookUpStoredEntity(
  db: Db,
  scope: ProjectScope,
  type: EntityType,
  iid: number,
  retry: string,
): StoredEntity | undefined {
  const found = scope.ids.length > 0 ? findEntities(db, type, scope.ids, iid) : [];
  if (found.length > 1) {
    throw usageError(
      `${NAMES[type].sigil}${iid} exists in several projects: ${found.map((f) => f.project).join(", ")}`,
      `Pick one with -p, e.g. ${retry} -p ${found[0]?.project}`,
    );
  }
  return found[0];
}

/**
 * NOT_IN_MIRROR with the commands that fetch it: a surgical sync of its project, and, for a read
 * that can refresh (`lore issues N`), the same read with `--max-age 0`.
 */
export function notInMirror(
  type: EntityType,
  iid: number,
  paths: readonly string[],
  freshRead?: string,
): LoreError {
  const names = NAMES[type];
  const fetch = (path: string) =>
    surgicalSyncCommand({
      project: path,
      issues: type === "issue" ? [iid] : [],
      mrs: type === "merge_request" ? [iid] : [],
    }) as string;
  const only = paths.length === 1 ? paths[0] : undefined;
  const actions = only
    ? [fetch(only), ...(freshRead ? [`${freshRead} -p ${shellQuote(only)} --max-age 0`] : [])]
    : paths.map(fetch);
  const suggestion = only
    ? freshRead
      ? "Fetch it with a surgical sync, or read it with --max-age, which fetches what is missing or old."
      : `Fetch it with: ${fetch(only)}`
    : `Fetch it with a surgical sync of its project (lore sync -p PROJECT ${names.flag} ${iid})${freshRead ? ", or name the project with -p and read it with --max-age 0" : ""}.`;
  return new LoreError(
    "NOT_IN_MIRROR",
    `${names.sigil}${iid} is not in the local mirror${only ? ` of ${only}` : ""}.`,
    { suggestion, actions, details: { iid, projects: paths } },
  );
}
