import type { Command } from "commander";
import { FIELDS_HELP } from "../../fields-help.js";
import type { Invoke } from "../../program.js";

export function registerRelated(program: Command, invoke: Invoke): void {
  program
    .command("related")
    .description("issues and merge requests most similar to one (or to a text), by embedding")
    .argument("<target...>", 'issue IID | mr IID | "free text"')
    .option("-p, --project <path>", "only this configured project")
    .option("--state <state>", "opened | closed | merged | locked | all")
    .option("-n, --limit <n>", "how many results", "10")
    .option("--fields <list>", FIELDS_HELP)
    .addHelpText(
      "after",
      `
Compares embeddings, so it needs them (lore embed, or lore sync with an embedding provider);
without them it exits 10 (EMBEDDING) and says how to get them. The entity itself is never among
its results; shared_labels are the labels a result has in common with it. Starting from an issue
or MR needs no provider (its vectors are stored); a text is embedded first. --fields selects the
keys of each result.

Examples:
  lore related issue 42
  lore related mr !7 -p group/project --state opened
  lore related "export times out behind the proxy" -n 5
  lore --robot related issue 42 | jq '.data.results[] | {iid, similarity}'
  lore --robot related issue 42 --fields minimal,web_url`,
    )
    .action(invoke("related", async () => (await import("./run.js")).runRelated));
}
