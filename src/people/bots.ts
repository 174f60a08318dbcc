// Which accounts are bots, as the contract defines them: usernames ending in `bot`
// (`renovate-bot`), GitLab's project and group access-token users (`project_123_bot_…`,
// `group_45_bot_…`), the `ghost` placeholder for deleted users, and users GitLab marks `bot: true`.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";

export function isBotUsername(username: string): boolean {
  const name = username.toLowerCase();
  return name.endsWith("bot") || /^(project|group)_\d+_bot/.test(name) || name === "ghost";
}

/** True when a GitLab user object, as served inside an issue, MR or note, says it is a bot. */
export function isMarkedBot(user: unknown): boolean {
  return typeof user === "object" && user !== null && (user as { bot?: unknown }).bot === true;
}

// Exported for the query-plan test, which checks each statement still finds its index.
export const statements = perConnection((db) => ({
  // One stored object per role is enough: `bot` is a property of the account, not of the row.
  noteAuthor: db.prepare<[string], { raw: string }>(
    "SELECT json_extract(raw_json, '$.author') AS raw FROM notes WHERE author_username = ? LIMIT 1",
  ),
  mergeRequestAuthor: db.prepare<[string], { raw: string }>(
    "SELECT json_extract(raw_json, '$.author') AS raw FROM merge_requests WHERE author_username = ? LIMIT 1",
  ),
  reviewer: db.prepare<[string, string], { raw: string }>(`
    SELECT j.value AS raw FROM merge_request_reviewers r JOIN merge_requests m ON m.id = r.merge_request_id,
      json_each(m.raw_json, '$.reviewers') j
    WHERE r.username = ? AND json_extract(j.value, '$.username') = ? LIMIT 1`),
}));

/** Decides bot-ness per username, reading the mirror at most once per name. */
export function botDetector(db: Db): (username: string) => boolean {
  const s = statements(db);
  const known = new Map<string, boolean>();
  const marked = (row: { raw: string } | undefined) => (row ? isMarkedBot(JSON.parse(row.raw)) : false);
  return (username) => {
    let bot = known.get(username);
    if (bot === undefined) {
      bot =
        isBotUsername(username) ||
        marked(s.noteAuthor.get(username)) ||
        marked(s.mergeRequestAuthor.get(username)) ||
        marked(s.reviewer.get(username, username));
      known.set(username, bot);
    }
    return bot;
  };
}
