import type { Command } from "commander";
import { FIELDS_HELP } from "../../fields-help.js";
import type { Invoke } from "../../program.js";

export function registerWho(program: Command, invoke: Invoke): void {
  program
    .command("who")
    .description("people: experts for a path, a user's workload or review habits, open threads, overlap")
    .argument("[target]", "PATH (a file, or a directory with a trailing /) or @USER")
    .option(
      "--reviews",
      "with @USER: how they review (MRs, notes per MR, DiffNote share, time to first note)",
    )
    .option("--active", "unresolved resolvable threads on open issues and MRs, oldest first")
    .option("--overlap <path>", "who else works on the files that PATH's recent MRs changed")
    .option("-p, --project <path>", "only this configured project")
    .option("--since <date>", "only activity since an ISO date or a span such as 90d")
    .option(
      "--half-life <days>",
      "experts: a contribution's weight halves every this many days (default 180)",
    )
    .option("--include-bots", "keep bots (renovate-bot, project_N_bot_…, ghost, …) in the answer")
    .option("--explain", "experts: list the contributions behind each score")
    .option("-n, --limit <n>", "how many people or items per list", "50")
    .option("--fields <list>", FIELDS_HELP)
    .addHelpText(
      "after",
      `
Experts are ranked by the MRs they authored that changed PATH, the MRs they reviewed (named
reviewer or DiffNotes on PATH) and their DiffNotes on PATH, each weighted by recency. Bots are
left out unless --include-bots. Reads only the local mirror: run lore sync first.
--fields selects the keys of each row of the answer's list: experts, users (--overlap), recent_mrs
(--reviews), discussions (--active), and for @USER every one of its four lists alike.

Examples:
  lore who src/auth/
  lore who src/auth/login.ts --since 1y --explain
  lore who @alice
  lore who --reviews @alice
  lore who --active -p group/project
  lore who --overlap src/auth/login.ts
  lore --robot who src/api/ -n 5 | jq '.data.experts[].username'
  lore --robot who @alice --fields project,iid,title,web_url`,
    )
    .action(invoke("who", async () => (await import("./run.js")).runWho));
}
