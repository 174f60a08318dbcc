// `lore who PATH`: people ranked by how much they shaped the code under PATH — MRs they authored
// that changed it, MRs they reviewed (named reviewer, or DiffNotes on the path), and their DiffNotes
// on it — each weighted by recency. Bots are left out unless asked for.

import {
  CHANGED_FILES_MATCHING,
  DIFF_NOTES_MATCHING,
  type PathQuery,
  pathParams,
} from "../code/path-query.js";
import { getOrInsert } from "../core/get-or-insert.js";
import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { botDetector } from "./bots.js";
import type { ListScope } from "./items.js";
import { type MergeRequestPeople, MR_IN_SCOPE, MR_PEOPLE_COLUMNS, reviewersOf } from "./mr-people.js";
import { type ContributionKind, compareRanked, contributionScore, roundScore } from "./scoring.js";

/** `since`: only contributions at or after it. */
export interface ExpertOptions extends ListScope {
  readonly path: PathQuery;
  readonly halfLifeDays: number;
  readonly includeBots: boolean;
  /** Attach the contributions behind each score. */
  readonly explain: boolean;
  /** Milliseconds since the epoch that ages are measured from. */
  readonly now: number;
}

export interface Contribution {
  readonly kind: ContributionKind;
  readonly project: string;
  readonly iid: number;
  readonly at: string;
  readonly weight: number;
}

export interface Expert {
  readonly username: string;
  readonly score: number;
  readonly authored_mrs: number;
  readonly reviewed_mrs: number;
  readonly diff_notes: number;
  readonly last_active_at: string;
  readonly contributions?: Contribution[];
  readonly omitted_contributions?: number;
}

export interface ExpertResult {
  readonly mode: "expert";
  readonly path: string;
  readonly since: string | null;
  readonly half_life_days: number;
  readonly experts: Expert[];
  readonly omitted_experts: number;
  readonly omitted_bots: number;
}

/** How many contributions `--explain` lists per person (the rest are counted). */
export const EXPLAIN_LIMIT = 20;

interface DiffNoteRow {
  readonly author_username: string;
  readonly created_at: string;
  readonly merge_request_id: number;
  readonly project: string;
  readonly iid: number;
  readonly mr_author: string | null;
}

// Exported for the query-plan test, which checks each statement still finds its index.
export const statements = perConnection((db) => ({
  touched: db.prepare<Record<string, unknown>, MergeRequestPeople>(`
    SELECT ${MR_PEOPLE_COLUMNS} FROM merge_requests m JOIN projects p ON p.id = m.project_id
    WHERE m.id IN (SELECT merge_request_id FROM (${CHANGED_FILES_MATCHING})) AND ${MR_IN_SCOPE}`),
  diffNotes: db.prepare<Record<string, unknown>, DiffNoteRow>(`
    SELECT n.author_username, n.created_at, d.merge_request_id, p.path_with_namespace AS project, m.iid,
      m.author_username AS mr_author
    FROM notes n JOIN discussions d ON d.id = n.discussion_id
      JOIN merge_requests m ON m.id = d.merge_request_id JOIN projects p ON p.id = m.project_id
    WHERE n.id IN (${DIFF_NOTES_MATCHING})
      AND n.system = 0 AND n.author_username IS NOT NULL AND n.created_at >= @since
      AND m.project_id IN (SELECT value FROM json_each(@projects))`),
}));

interface Activity {
  readonly project: string;
  readonly iid: number;
  at: string;
}

interface Tally {
  readonly authored: Map<number, Activity>;
  readonly reviewed: Map<number, Activity>;
  readonly diffNotes: { project: string; iid: number; at: string }[];
}

export function findExperts(db: Db, options: ExpertOptions): ExpertResult {
  const s = statements(db);
  const params = {
    ...pathParams(options.path),
    projects: JSON.stringify(options.projectIds),
    since: options.since ?? "",
  };
  const people = new Map<string, Tally>();
  const tally = (username: string): Tally =>
    getOrInsert(people, username, () => ({ authored: new Map(), reviewed: new Map(), diffNotes: [] }));
  const note = (map: Map<number, Activity>, id: number, activity: Activity) => {
    const seen = map.get(id);
    if (!seen) map.set(id, { ...activity });
    else if (activity.at > seen.at) seen.at = activity.at;
  };

  for (const mr of s.touched.all(params)) {
    const activity = { project: mr.project, iid: mr.iid, at: mr.at };
    if (mr.author_username) note(tally(mr.author_username).authored, mr.id, activity);
    for (const reviewer of reviewersOf(mr)) note(tally(reviewer).reviewed, mr.id, activity);
  }
  for (const n of s.diffNotes.all(params)) {
    const person = tally(n.author_username);
    person.diffNotes.push({ project: n.project, iid: n.iid, at: n.created_at });
    // Commenting on someone else's change to these files is reviewing it.
    if (n.author_username !== n.mr_author) {
      note(person.reviewed, n.merge_request_id, { project: n.project, iid: n.iid, at: n.created_at });
    }
  }

  const isBot = botDetector(db);
  let omittedBots = 0;
  const ranked: (Expert & { contributions: Contribution[] })[] = [];
  for (const [username, t] of people) {
    if (!options.includeBots && isBot(username)) {
      omittedBots += 1;
      continue;
    }
    const contributions: Contribution[] = [];
    const add = (kind: ContributionKind, a: { project: string; iid: number; at: string }) =>
      contributions.push({
        kind,
        project: a.project,
        iid: a.iid,
        at: a.at,
        weight: contributionScore(kind, a.at, options.now, options.halfLifeDays),
      });
    for (const a of t.authored.values()) add("authored", a);
    for (const a of t.reviewed.values()) add("reviewed", a);
    for (const a of t.diffNotes) add("diff_note", a);
    ranked.push({
      username,
      score: contributions.reduce((sum, c) => sum + c.weight, 0),
      authored_mrs: t.authored.size,
      reviewed_mrs: t.reviewed.size,
      diff_notes: t.diffNotes.length,
      last_active_at:
        contributions
          .map((c) => c.at)
          .sort()
          .at(-1) ?? "",
      contributions,
    });
  }
  ranked.sort(compareRanked);
  const experts = ranked.slice(0, options.limit).map(({ contributions, ...expert }): Expert => {
    const shown = { ...expert, score: roundScore(expert.score) };
    if (!options.explain) return shown;
    const strongest = [...contributions].sort((a, b) => b.weight - a.weight || (a.at < b.at ? 1 : -1));
    return {
      ...shown,
      contributions: strongest
        .slice(0, EXPLAIN_LIMIT)
        .map((c) => ({ ...c, weight: Math.round(c.weight * 10_000) / 10_000 })),
      omitted_contributions: Math.max(0, strongest.length - EXPLAIN_LIMIT),
    };
  });
  return {
    mode: "expert",
    path: options.path.path,
    since: options.since ?? null,
    half_life_days: options.halfLifeDays,
    experts,
    omitted_experts: Math.max(0, ranked.length - experts.length),
    omitted_bots: omittedBots,
  };
}
