// Flags and help shared by `lore issues` and `lore mrs`: the two differ only in their words and in
// the filters that exist for merge requests only (reviewer, draft, branches) or issues only (due).

import { type Command, Option } from "commander";
import { FIELDS_HELP } from "../../fields-help.js";
import type { Invoke } from "../../program.js";
import { repeatable } from "../../repeatable.js";

interface EntityCommandSpec {
  readonly name: "issues" | "mrs";
  readonly type: "issue" | "merge_request";
  readonly description: string;
  readonly singular: string;
  readonly surgicalFlag: "--issue" | "--mr";
  readonly examples: readonly string[];
}

export function registerEntityCommand(program: Command, invoke: Invoke, spec: EntityCommandSpec): void {
  const command = program
    .command(spec.name)
    .description(spec.description)
    .argument("[iid]", `show this ${spec.singular} (IID in the project)`)
    .option(
      "-p, --project <path>",
      "only this configured project (default: the one this directory's git remote names, if any)",
    )
    .option("--state <state>", "opened | closed | merged | locked | all (default for lists: opened)")
    .option("--label <name>", "with this label (repeatable: all must match)", repeatable)
    .option("--author <username>", "opened by this user")
    .option("--assignee <username>", "assigned to this user");
  if (spec.type === "merge_request") {
    command
      .option("--reviewer <username>", "with this user among the reviewers")
      .addOption(new Option("--draft", "drafts only"))
      .addOption(new Option("--no-draft", "no drafts"))
      .option("--target-branch <branch>", "merging into this branch")
      .option("--source-branch <branch>", "merging from this branch");
  }
  command
    .option("--milestone <title>", "in this milestone")
    .option("--search <text>", "title or description contains this text (case-insensitive)")
    .option("--since <date>", "updated since an ISO date or a span such as 7d")
    .option("--created-since <date>", "created since an ISO date or a span such as 30d");
  if (spec.type === "issue") command.option("--due-before <date>", "due before this day (2024-06-30)");
  command
    .option("--sort <order>", "updated | created | iid (default: updated, newest first)")
    .option("--asc", "oldest (or lowest IID) first")
    .option("-n, --limit <n>", "how many to list", "50")
    .option(
      "--max-age <duration>",
      `with an IID: refresh the local copy from GitLab first when it is older (30s, 5m, 2h; 0 = always; off) — default: config read.maxAge`,
    )
    .option("--fields <list>", FIELDS_HELP)
    .option("--web", `open the ${spec.singular} in the browser (prints the URL when there is none)`)
    .addHelpText(
      "after",
      `
Reads the local database: run lore sync first, or lore sync -p PROJECT ${spec.surgicalFlag} N for just one.
With --max-age, lore ${spec.name} IID first refreshes a copy older than that by a surgical sync (an
IID not in the mirror is fetched); if GitLab cannot be reached it answers from the local copy with a
warning, and robot output says "refreshed" and "stale".
Inside a clone of a configured project, lists show that project unless -p names another.
On a terminal, times are relative, columns fit the width and long output goes through $PAGER
(less -FRX by default; --no-pager to skip).

Examples:
${spec.examples.map((e) => `  ${e}`).join("\n")}`,
    )
    .action(invoke(spec.name, async () => (await import("./run.js")).entitiesCommand(spec.type)));
}
