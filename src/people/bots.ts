// Which accounts are bots, as the contract defines them: usernames ending in `bot`
// (`renovate-bot`), GitLab's project and group access-token users (`project_123_bot_…`,
// `group_45_bot_…`), the `ghost` placeholder for deleted users, and users GitLab marks `bot: true`
// in a user object it served (collected into marked_bots as rows are written; migration 009).

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";

export function isBotUsername(username: string): boolean {
  const name = username.toLowerCase();
  return name.endsWith("bot") || /^(project|group)_\d+_bot/.test(name) || name === "ghost";
}

// Exported for the query-plan test, which checks each statement still finds its index.
export const statements = perConnection((db) => ({
  marked: db.prepare<[], { username: string }>("SELECT username FROM marked_bots"),
}));

/** Decides bot-ness per username: by name, or because GitLab marked the account. */
export function botDetector(db: Db): (username: string) => boolean {
  const marked = new Set(
    statements(db)
      .marked.all()
      .map((row) => row.username),
  );
  return (username) => isBotUsername(username) || marked.has(username);
}
