// What a search could not see yet: nothing synced at all, or documents an interrupted (or
// --no-docs) sync left in the queue. An empty answer then says what is missing and the command
// that finishes it, instead of a bare "No results".

import type { Db } from "../../../db/open.js";
import { countPendingDocuments } from "../../../documents/pending.js";
import type { ProjectScope } from "../../project-filter.js";

export interface SearchPending {
  /** Whether any project in scope has been synced. */
  readonly synced: boolean;
  /** Documents of the projects in scope still waiting to be built. */
  readonly documents_pending: number;
  /** Complete commands that finish the work (empty when there is none). */
  readonly actions: readonly string[];
}

/** `project`: the configured project -p named, if any (the sync to suggest is then that one's). */
export function searchPending(db: Db, scope: ProjectScope, project: string | undefined): SearchPending {
  const synced = scope.ids.length > 0;
  const documents = synced ? countPendingDocuments(db, scope.everything ? undefined : scope.ids) : 0;
  const only = project ? ` -p ${project}` : "";
  return {
    synced,
    documents_pending: documents,
    actions: !synced || documents > 0 ? [`lore sync${only}`] : [],
  };
}

/** The sentence that explains `pending`, or undefined when nothing is missing. */
export function describePending(pending: SearchPending): string | undefined {
  const sync = pending.actions[0];
  if (!pending.synced) return `Nothing synced yet: run ${sync} first.`;
  if (pending.documents_pending === 0) return undefined;
  const n = pending.documents_pending;
  return `${n.toLocaleString("en-US")} document${n === 1 ? " is" : "s are"} still waiting to be indexed (a sync was interrupted or ran with --no-docs), so results may be missing: ${sync} builds them first.`;
}
