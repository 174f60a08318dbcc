import type { Command } from "commander";
import { FIELDS_HELP } from "../../fields-help.js";
import type { Invoke } from "../../program.js";

export function registerMe(program: Command, invoke: Invoke): void {
  program
    .command("me")
    .description("your dashboard: assigned issues, your MRs, reviews awaited, new mentions and replies")
    .option("--user <username>", "whose dashboard (default: gitlab.username from the config)")
    .option("--since <date>", "news since an ISO date or a span such as 7d, instead of since the last look")
    .option("--reset-cursor", "forget the last look: this run starts counting news afresh")
    .option("-n, --limit <n>", "how many items per list", "50")
    .option("--fields <list>", FIELDS_HELP)
    .addHelpText(
      "after",
      `
"Since you last looked" counts what reached the mirror after the previous lore me was printed:
notes by others on your issues and MRs (or after yours in a thread) and @mentions of you in notes
and descriptions (not in code). The first run sets the baseline. --since shows a window by date
and leaves the last look where it was. The user is gitlab.username, which lore doctor records
from your token (or lore init --username). Reads only the local mirror: sync first.
--fields selects the keys of the rows of every list alike (issues, MRs, reviews, news).

Examples:
  lore sync && lore me
  lore me --since 7d
  lore me --user alice
  lore me --reset-cursor
  lore --robot me | jq '.data.inbox'
  lore --robot me --fields minimal`,
    )
    .action(invoke("me", async () => (await import("./run.js")).runMe));
}
