// Finds the issue or MR a command names by IID in the local mirror: one match, or USAGE when the IID
// exists in several projects in scope, or NOT_IN_MIRROR with the surgical sync that fetches it.

import { LoreError, usageError } from "../core/errors.js";
import type { Db } from "../db/open.js";
import type { EntityType } from "../read/list-entities.js";
import { findEntities } from "../read/show-entity.js";
import type { ProjectScope } from "./project-filter.js";

const NAMES = {
  issue: { sigil: "#", flag: "--issue" },
  merge_request: { sigil: "!", flag: "--mr" },
} as const;

/**
 * The stored row of this entity within the scope.
 * @param retry how to name it again with -p, for the ambiguity hint (`lore issues 42`)
 */
export function findStoredEntity(
  db: Db,
  scope: ProjectScope,
  type: EntityType,
  iid: number,
  retry: string,
): { id: number; project: string } {
  const found = scope.ids.length > 0 ? findEntities(db, type, scope.ids, iid) : [];
  const names = NAMES[type];
  if (found.length > 1) {
    throw usageError(
      `${names.sigil}${iid} exists in several projects: ${found.map((f) => f.project).join(", ")}`,
      `Pick one with -p, e.g. ${retry} -p ${found[0]?.project}`,
    );
  }
  const match = found[0];
  if (match) return match;
  const project = scope.paths.length === 1 ? scope.paths[0] : "PROJECT";
  const fetch = `lore sync -p ${project} ${names.flag} ${iid}`;
  throw new LoreError(
    "NOT_IN_MIRROR",
    `${names.sigil}${iid} is not in the local mirror${scope.paths.length === 1 ? ` of ${project}` : ""}.`,
    {
      suggestion: `Fetch it with: ${fetch}`,
      actions: [fetch],
      details: { iid, projects: scope.paths },
    },
  );
}
