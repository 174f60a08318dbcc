// `lore me`: the configured user's dashboard — open issues assigned to them, their open MRs (draft,
// reviewers, unresolved threads), MRs awaiting their review — and what is new for them since they
// last looked. The cursor moves only through `advance`, which the command calls once the answer
// has been printed, so an answer lost to a broken pipe is shown again.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { type InboxItem, latestArrival, readInbox } from "./inbox.js";
import type { IssueItem, ListScope, MergeRequestItem } from "./items.js";
import { workload } from "./workload.js";

/** `since`: show news written since then instead of since the last look (the cursor stays). */
export interface MeOptions extends ListScope {
  readonly username: string;
  /** Forget the last look: this run sets a new baseline. */
  readonly resetCursor: boolean;
  readonly now: number;
}

export interface MeResult {
  readonly username: string;
  readonly assigned_issues: IssueItem[];
  readonly authored_mrs: MergeRequestItem[];
  readonly review_requests: MergeRequestItem[];
  readonly inbox: InboxItem[];
  /** The news is since this time: the last look, or --since; null when this run sets the baseline. */
  readonly since: string | null;
  /** True when this run starts the "since you last looked" count (first run, or --reset-cursor). */
  readonly baseline: boolean;
  readonly omitted_assigned_issues: number;
  readonly omitted_authored_mrs: number;
  readonly omitted_review_requests: number;
  readonly omitted_inbox: number;
}

export interface MeAnswer {
  readonly result: MeResult;
  /** Records this look (call after the answer was delivered); null when the cursor stays. */
  readonly advance: (() => void) | null;
}

interface CursorRow {
  readonly arrival_seq: number;
  readonly baseline_at: string;
  readonly looked_at: string;
}

// Exported for the query-plan test, which checks each statement still finds its index.
export const statements = perConnection((db) => ({
  cursor: db.prepare<[string], CursorRow>(
    "SELECT arrival_seq, baseline_at, looked_at FROM me_cursors WHERE username = ?",
  ),
  // The newest moment the mirror knows of, in GitLab's clock (what created_at is compared with).
  newestWritten: db.prepare<[], { at: string | null }>(`
    SELECT max(coalesce((SELECT MAX(created_at) FROM notes), ''),
      coalesce((SELECT MAX(updated_at) FROM issues), ''),
      coalesce((SELECT MAX(updated_at) FROM merge_requests), '')) AS at`),
  // Two `lore me` at once: the cursor never moves back.
  advance: db.prepare<[string, number, string, string]>(`
    INSERT INTO me_cursors (username, arrival_seq, baseline_at, looked_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (username) DO UPDATE SET arrival_seq = max(arrival_seq, excluded.arrival_seq),
      looked_at = excluded.looked_at`),
  reset: db.prepare<[string, number, string, string]>(`
    INSERT INTO me_cursors (username, arrival_seq, baseline_at, looked_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (username) DO UPDATE SET arrival_seq = excluded.arrival_seq,
      baseline_at = excluded.baseline_at, looked_at = excluded.looked_at`),
}));

export function me(db: Db, options: MeOptions): MeAnswer {
  const s = statements(db);
  const key = options.username.toLowerCase();
  const nowIso = new Date(options.now).toISOString();
  // One read snapshot: the lists, the news and the newest arrival agree with each other.
  return db.transaction((): MeAnswer => {
    const cursor = options.resetCursor ? undefined : s.cursor.get(key);
    const latest = latestArrival(db);
    const lists = workload(db, {
      username: options.username,
      projectIds: options.projectIds,
      limit: options.limit,
      now: options.now,
    });
    const window =
      options.since !== undefined
        ? ({ kind: "since", from: options.since } as const)
        : cursor
          ? ({ kind: "cursor", afterSeq: cursor.arrival_seq, from: cursor.baseline_at } as const)
          : undefined;
    const news = window
      ? readInbox(
          db,
          {
            username: options.username,
            projectIds: options.projectIds,
            window,
            limit: options.limit,
            now: options.now,
          },
          latest,
        )
      : { items: [], omitted: 0, seenSeq: latest };
    // A baseline needs something synced: taken over an empty mirror, the first sync would be news.
    const newest = s.newestWritten.get()?.at || null;
    const startsBaseline = !cursor && (options.resetCursor || options.since === undefined) && newest !== null;
    const result: MeResult = {
      username: options.username,
      assigned_issues: lists.assigned_issues.items,
      authored_mrs: lists.authored_mrs.items,
      review_requests: lists.review_requests.items,
      inbox: news.items,
      since: options.since ?? cursor?.looked_at ?? null,
      baseline: startsBaseline,
      omitted_assigned_issues: lists.assigned_issues.omitted,
      omitted_authored_mrs: lists.authored_mrs.omitted,
      omitted_review_requests: lists.review_requests.omitted,
      omitted_inbox: news.omitted,
    };
    let advance: (() => void) | null = null;
    if (startsBaseline && newest !== null) {
      advance = () => s.reset.run(key, latest, newest, nowIso);
    } else if (cursor && options.since === undefined) {
      advance = () => s.advance.run(key, news.seenSeq, cursor.baseline_at, nowIso);
    }
    return { result, advance };
  })();
}
