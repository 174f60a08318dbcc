// Flags and help shared by `lore issues` and `lore mrs`: the two differ only in their words.

import type { Command } from "commander";
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
    .addHelpText(
      "after",
      `
Reads only the local database: run lore sync first, or lore sync -p PROJECT ${spec.surgicalFlag} N for just one.

Examples:
${spec.examples.map((e) => `  ${e}`).join("\n")}`,
    )
    .action(invoke(spec.name, async () => (await import("./run.js")).entitiesCommand(spec.type)));
}
