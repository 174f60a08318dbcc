import type { Command } from "commander";
import type { Invoke } from "../../program.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerMrs(program: Command, invoke: Invoke): void {
  program
    .command("mrs")
    .description(
      "list merge requests, or show one with its discussions, events, closes-issues and changed files",
    )
    .argument("[iid]", "show this merge request (IID in the project)")
    .option("-p, --project <path>", "only this configured project")
    .option("--state <state>", "opened | closed | merged | locked | all (default for lists: opened)")
    .option("--label <name>", "with this label (repeatable: all must match)", collect)
    .option("--author <username>", "opened by this user")
    .option("--since <date>", "updated since an ISO date or a span such as 7d")
    .option("-n, --limit <n>", "how many to list", "50")
    .addHelpText(
      "after",
      `
Reads only the local database: run lore sync first, or lore sync -p PROJECT --mr N for just one.

Examples:
  lore mrs
  lore mrs --state merged --since 14d
  lore mrs 7
  lore --robot mrs 7 | jq '.data.mr.changed_files'`,
    )
    .action(invoke("mrs", async () => (await import("../entities/run.js")).entitiesCommand("merge_request")));
}
