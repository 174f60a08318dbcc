import type { Command } from "commander";
import type { Invoke } from "../../program.js";
import { repeatable } from "../../repeatable.js";

export function registerSync(program: Command, invoke: Invoke): void {
  program
    .command("sync")
    .description(
      "mirror issues, merge requests and their discussions, events and links into the local database",
    )
    .option("-p, --project <path>", "only this configured project (full path or unique suffix)")
    .option("--full", "ignore cursors, re-fetch everything and remove what GitLab no longer lists")
    .option(
      "--issue <iid>",
      "surgical sync: refresh this issue (42, #42, group/project#42 or web URL; repeatable)",
      repeatable,
    )
    .option(
      "--mr <iid>",
      "surgical sync: refresh this merge request (7, !7, group/project!7 or web URL; repeatable)",
      repeatable,
    )
    .option("--dry-run", "surgical sync: check the IIDs on GitLab and report, writing nothing")
    .option(
      "--recover",
      "first make the database sound: move a damaged file aside (kept) and build a new mirror, or rebuild a stale search index",
    )
    .option("--no-docs", "do not regenerate search documents")
    .option("--no-embed", "do not compute embeddings")
    .addHelpText(
      "after",
      `
Incremental sync fetches what changed since the last run (with a few minutes of overlap); --full
re-fetches everything. Surgical sync (--issue/--mr) refreshes just the named entities, with their
discussions, events, links, documents and embeddings, without the sync lock or moving cursors.
--recover checks the database first (as lore doctor does): a damaged file is renamed to
lore.db.damaged-<time> with its -wal and -shm and the sync builds a new mirror; a sound file is kept.

Examples:
  lore sync
  lore sync -p gitlab-org/cli
  lore sync --full
  lore sync --recover
  lore sync -p gitlab-org/cli --issue 42 --issue 43 --mr 7
  lore sync -p gitlab-org/cli --issue https://gitlab.com/gitlab-org/cli/-/issues/42
  lore sync -p gitlab-org/cli --issue 'gitlab-org/cli#42' --mr 'gitlab-org/cli!7'
  lore --robot sync -p cli --mr 7 --dry-run`,
    )
    .action(invoke("sync", async () => (await import("./run.js")).runSync));
}
