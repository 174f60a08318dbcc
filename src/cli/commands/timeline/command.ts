import type { Command } from "commander";
import { FIELDS_HELP } from "../../fields-help.js";
import type { Invoke } from "../../program.js";

export function registerTimeline(program: Command, invoke: Invoke): void {
  program
    .command("timeline")
    .description("chronological history of an issue or merge request and of what it references")
    .argument(
      "<what...>",
      'issue:42 | mr:7 | i:42 | m:7 | group/project#42 | an issue/MR URL | "free text" (seeds from search)',
    )
    .option("-p, --project <path>", "the configured project an IID (or the search) belongs to")
    .option("--depth <n>", "reference hops to follow from the seeds (0: the seeds alone)", "1")
    .option("--no-mentions", "follow and show closing references only (not mentions or related MRs)")
    .option("--since <date>", "only events since an ISO date or a span such as 30d")
    .option("-n, --limit <n>", "keep the newest N events", "200")
    .option(
      "--max-age <duration>",
      "refresh the seeds (and the entities reached) from GitLab first when older (30s, 5m, 2h; 0 = always; off) — default: config read.maxAge",
    )
    .option("--fields <list>", FIELDS_HELP)
    .addHelpText(
      "after",
      `
Follows cross-references breadth-first: closes (an MR closing an issue) always; related MRs and
mentions (in descriptions, notes and GitLab's "mentioned in" notes) unless --no-mentions.
Reads only the local database: an entity that is not synced is named with the sync that fetches it.
With --max-age, the seeds and the entities reached that are older than that are first refreshed by
a surgical sync (one per project; a seed not in the mirror is fetched); when GitLab cannot be
reached the answer comes from the local copy, marked stale. --fields selects the keys of each event.

Examples:
  lore timeline issue:42
  lore timeline mr:7 -p gitlab-org/cli --depth 2
  lore timeline https://gitlab.com/gitlab-org/cli/-/issues/42 --since 30d
  lore timeline "login fails behind proxy" --no-mentions
  lore --robot timeline i:42 -n 50 | jq '.data.events[] | [.at, .kind, .summary]'
  lore --robot timeline issue:42 --max-age 5m --fields minimal`,
    )
    .action(invoke("timeline", async () => (await import("./run.js")).runTimeline));
}
