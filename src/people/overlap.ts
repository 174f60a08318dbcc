// `lore who --overlap PATH`: who else works on the same files as PATH's recent MRs. The files those
// MRs changed are the neighbourhood; everyone who authored or reviewed an MR changing any of them
// is listed with the two roles counted apart, the files they share and the MRs that show it.

import { CHANGED_FILES_MATCHING, type PathQuery, pathParams } from "../code/path-query.js";
import { getOrInsert } from "../core/get-or-insert.js";
import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { botDetector } from "./bots.js";
import { bounded, type ListScope } from "./items.js";
import { type MergeRequestPeople, MR_IN_SCOPE, MR_PEOPLE_COLUMNS, reviewersOf } from "./mr-people.js";

/** `since`: only MRs merged (else last changed) at or after it. */
export interface OverlapOptions extends ListScope {
  readonly path: PathQuery;
  readonly includeBots: boolean;
}

export interface OverlapUser {
  readonly username: string;
  readonly authored_mrs: number;
  readonly reviewed_mrs: number;
  readonly shared_files: number;
  /** Up to five of the shared files, most touched first. */
  readonly files: string[];
  /** Up to five of the MRs (`group/proj!12`), newest first. */
  readonly mrs: string[];
  readonly last_touched_at: string;
}

export interface OverlapResult {
  readonly mode: "overlap";
  readonly path: string;
  readonly since: string | null;
  /** How many of PATH's MRs define the neighbourhood (the newest ones). */
  readonly recent_mrs: number;
  readonly files: string[];
  readonly omitted_files: number;
  readonly users: OverlapUser[];
  readonly omitted_users: number;
  readonly omitted_bots: number;
}

/** PATH's newest MRs whose files make up the neighbourhood. */
export const RECENT_MRS = 20;
/** Files of the neighbourhood listed in the answer (all of them are used). */
const FILES_SHOWN = 50;
const PER_USER = 5;

// Exported for the query-plan test, which checks each statement still finds its index.
export const statements = perConnection((db) => ({
  recent: db.prepare<Record<string, unknown>, MergeRequestPeople>(`
    SELECT ${MR_PEOPLE_COLUMNS} FROM merge_requests m JOIN projects p ON p.id = m.project_id
    WHERE m.id IN (SELECT merge_request_id FROM (${CHANGED_FILES_MATCHING})) AND ${MR_IN_SCOPE}
    ORDER BY at DESC, m.id DESC LIMIT ${RECENT_MRS}`),
  filesOf: db.prepare<[{ ids: string }], { project_id: number; new_path: string }>(`
    SELECT m.project_id, f.new_path
    FROM merge_request_files f JOIN merge_requests m ON m.id = f.merge_request_id
    WHERE f.merge_request_id IN (SELECT value FROM json_each(@ids))
    GROUP BY m.project_id, f.new_path ORDER BY COUNT(*) DESC, f.new_path`),
  touching: db.prepare<
    Record<string, unknown>,
    MergeRequestPeople & { project_id: number; new_path: string }
  >(`
    SELECT ${MR_PEOPLE_COLUMNS}, m.project_id, f.new_path
    FROM merge_request_files f JOIN merge_requests m ON m.id = f.merge_request_id JOIN projects p ON p.id = m.project_id
    WHERE f.new_path IN (SELECT value FROM json_each(@files)) AND ${MR_IN_SCOPE}`),
  // `+n.system`: notes by path, not by `lore notes`' (system, created_at) index (every user note).
  diffNoteAuthors: db.prepare<
    Record<string, unknown>,
    { merge_request_id: number; author_username: string }
  >(`
    SELECT DISTINCT d.merge_request_id, n.author_username
    FROM notes n JOIN discussions d ON d.id = n.discussion_id
    WHERE n.position_new_path IN (SELECT value FROM json_each(@files)) AND +n.system = 0
      AND n.author_username IS NOT NULL AND d.merge_request_id IN (SELECT value FROM json_each(@ids))`),
}));

interface Tally {
  readonly authored: Set<number>;
  readonly reviewed: Set<number>;
  readonly files: Map<string, number>;
  readonly mrs: Map<number, { ref: string; at: string }>;
}

export function overlap(db: Db, options: OverlapOptions): OverlapResult {
  const s = statements(db);
  const scope = { projects: JSON.stringify(options.projectIds), since: options.since ?? "" };
  const recent = s.recent.all({ ...pathParams(options.path), ...scope });
  // A path is a file of one repository: the same name in another project is another file.
  const neighbourhood = s.filesOf.all({ ids: JSON.stringify(recent.map((mr) => mr.id)) });
  const inNeighbourhood = new Set(neighbourhood.map((f) => `${f.project_id}:${f.new_path}`));
  const files = [...new Set(neighbourhood.map((f) => f.new_path))];
  const touching = s.touching.all({ files: JSON.stringify(files), ...scope });

  const mrs = new Map<number, MergeRequestPeople & { files: Set<string> }>();
  for (const row of touching) {
    if (!inNeighbourhood.has(`${row.project_id}:${row.new_path}`)) continue;
    getOrInsert(mrs, row.id, () => ({ ...row, files: new Set<string>() })).files.add(row.new_path);
  }
  const reviewers = new Map<number, Set<string>>();
  for (const mr of mrs.values()) {
    reviewers.set(mr.id, new Set(reviewersOf(mr)));
  }
  for (const n of s.diffNoteAuthors.all({
    files: JSON.stringify(files),
    ids: JSON.stringify([...mrs.keys()]),
  })) {
    const mr = mrs.get(n.merge_request_id);
    if (mr && n.author_username !== mr.author_username) reviewers.get(mr.id)?.add(n.author_username);
  }

  const people = new Map<string, Tally>();
  const touch = (
    username: string,
    role: "authored" | "reviewed",
    mr: MergeRequestPeople & { files: Set<string> },
  ) => {
    const t = getOrInsert(people, username, () => ({
      authored: new Set<number>(),
      reviewed: new Set<number>(),
      files: new Map<string, number>(),
      mrs: new Map<number, { ref: string; at: string }>(),
    }));
    t[role].add(mr.id);
    for (const f of mr.files) t.files.set(f, (t.files.get(f) ?? 0) + 1);
    t.mrs.set(mr.id, { ref: `${mr.project}!${mr.iid}`, at: mr.at });
  };
  for (const mr of mrs.values()) {
    if (mr.author_username) touch(mr.author_username, "authored", mr);
    for (const reviewer of reviewers.get(mr.id) ?? []) touch(reviewer, "reviewed", mr);
  }

  const isBot = botDetector(db);
  let omittedBots = 0;
  const users: OverlapUser[] = [];
  for (const [username, t] of people) {
    if (!options.includeBots && isBot(username)) {
      omittedBots += 1;
      continue;
    }
    const byRecency = [...t.mrs.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    users.push({
      username,
      authored_mrs: t.authored.size,
      reviewed_mrs: t.reviewed.size,
      shared_files: t.files.size,
      files: [...t.files]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, PER_USER)
        .map(([f]) => f),
      mrs: byRecency.slice(0, PER_USER).map((m) => m.ref),
      last_touched_at: byRecency[0]?.at ?? "",
    });
  }
  users.sort(
    (a, b) =>
      b.authored_mrs + b.reviewed_mrs - (a.authored_mrs + a.reviewed_mrs) ||
      (a.last_touched_at < b.last_touched_at ? 1 : a.last_touched_at > b.last_touched_at ? -1 : 0) ||
      (a.username < b.username ? -1 : 1),
  );
  const shownUsers = bounded(users, options.limit);
  const shownFiles = bounded(files, FILES_SHOWN);
  return {
    mode: "overlap",
    path: options.path.path,
    since: options.since ?? null,
    recent_mrs: recent.length,
    files: shownFiles.items,
    omitted_files: shownFiles.omitted,
    users: shownUsers.items,
    omitted_users: shownUsers.omitted,
    omitted_bots: omittedBots,
  };
}
