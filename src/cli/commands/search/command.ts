import type { Command } from "commander";
import { FIELDS_HELP } from "../../fields-help.js";
import type { Invoke } from "../../program.js";
import { repeatable } from "../../repeatable.js";

export function registerSearch(program: Command, invoke: Invoke): void {
  program
    .command("search")
    .description("search the local documents (issues, merge requests, discussion threads)")
    .argument("<query...>", 'words, "quoted phrases", prefix*, -excluded')
    .option(
      "--mode <mode>",
      "hybrid | lexical | semantic (default: hybrid when embeddings exist, else lexical)",
    )
    .option("-p, --project <path>", "only this configured project")
    .option("--type <type>", "issue | mr | discussion")
    .option("--state <state>", "opened | closed | merged | locked | all")
    .option(
      "--label <name>",
      "documents whose issue/MR has this label (repeatable: all must match)",
      repeatable,
    )
    .option("--author <username>", "written by this user (for threads: any note in it)")
    .option("--since <date>", "updated since an ISO date or a span such as 7d, 12h, 2w")
    .option("-n, --limit <n>", "how many results", "20")
    .option("--explain", "show why each result ranks where it does (ranks, bm25, similarity, RRF score)")
    .option("--fields <list>", FIELDS_HELP)
    .addHelpText(
      "after",
      `
Documents with every term rank first, then those with most terms, each group by bm25 (title
above text); common words (the, why, does…) are ignored when the query has others. Quote the query
when it excludes words (a leading dash is a flag otherwise), or put the query after --.

Examples:
  lore search "rate limit"
  lore search login timeout --type issue --state opened
  lore search "why does the export time out behind the proxy"
  lore search "auth* -oauth" --label bug --since 30d
  lore search "rate limit" --explain
  lore search --type mr -- proxy -nginx
  lore --robot search "flaky test" -n 5 | jq '.data.results[].web_url'
  lore --robot search "rate limit" --fields minimal`,
    )
    .action(invoke("search", async () => (await import("./run.js")).runSearch));
}
