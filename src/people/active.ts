// `lore who --active`: unresolved resolvable threads on open issues and MRs, oldest first, with who
// takes part and when it last moved — the review debt of a project.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import {
  type DiscussionItem,
  type ListScope,
  type OpenThreadRow,
  oldestFirst,
  openThreadsSql,
  threadList,
} from "./items.js";

/** `since`: only threads with a note at or after it. */
export interface ActiveOptions extends ListScope {
  readonly now: number;
}

export interface ActiveResult {
  readonly mode: "active";
  readonly since: string | null;
  readonly discussions: DiscussionItem[];
  readonly omitted_discussions: number;
}

// Exported for the query-plan test, which checks each statement still finds its index.
export const statements = perConnection((db) => ({
  unresolved: db.prepare<Record<string, unknown>, OpenThreadRow>(
    openThreadsSql("SELECT DISTINCT discussion_id FROM notes WHERE resolvable = 1 AND resolved = 0"),
  ),
}));

export function activeDiscussions(db: Db, options: ActiveOptions): ActiveResult {
  const rows = statements(db).unresolved.all({
    projects: JSON.stringify(options.projectIds),
    since: options.since ?? "",
  });
  const list = threadList(db, rows, oldestFirst, options.limit, options.now);
  return {
    mode: "active",
    since: options.since ?? null,
    discussions: list.items,
    omitted_discussions: list.omitted,
  };
}
