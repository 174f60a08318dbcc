// Flags and help shared by `lore issues` and `lore mrs`: the two differ only in their words.

import type { Command } from "commander";
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
  program
    .command(spec.name)
    .description(spec.description)
    .argument("[iid]", `show this ${spec.singular} (IID in the project)`)
    .option("-p, --project <path>", "only this configured project")
    .option("--state <state>", "opened | closed | merged | locked | all (default for lists: opened)")
    .option("--label <name>", "with this label (repeatable: all must match)", repeatable)
    .option("--author <username>", "opened by this user")
    .option("--since <date>", "updated since an ISO date or a span such as 7d")
    .option("-n, --limit <n>", "how many to list", "50")
    .option(
      "--max-age <duration>",
      `with an IID: refresh the local copy from GitLab first when it is older (30s, 5m, 2h; 0 = always; off) — default: config read.maxAge`,
    )
    .option("--fields <list>", FIELDS_HELP)
    .addHelpText(
      "after",
      `
Reads the local database: run lore sync first, or lore sync -p PROJECT ${spec.surgicalFlag} N for just one.
With --max-age, lore ${spec.name} IID first refreshes a copy older than that by a surgical sync (an
IID not in the mirror is fetched); if GitLab cannot be reached it answers from the local copy with a
warning, and robot output says "refreshed" and "stale".

Examples:
${spec.examples.map((e) => `  ${e}`).join("\n")}`,
    )
    .action(invoke(spec.name, async () => (await import("./run.js")).entitiesCommand(spec.type)));
}
