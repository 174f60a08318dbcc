import type { Command } from "commander";
import type { Invoke } from "../../program.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerIssues(program: Command, invoke: Invoke): void {
  program
    .command("issues")
    .description("list issues, or show one with its discussions, events, related and closing MRs")
    .argument("[iid]", "show this issue (IID in the project)")
    .option("-p, --project <path>", "only this configured project")
    .option("--state <state>", "opened | closed | merged | locked | all (default for lists: opened)")
    .option("--label <name>", "with this label (repeatable: all must match)", collect)
    .option("--author <username>", "opened by this user")
    .option("--since <date>", "updated since an ISO date or a span such as 7d")
    .option("-n, --limit <n>", "how many to list", "50")
    .addHelpText(
      "after",
      `
Reads only the local database: run lore sync first, or lore sync -p PROJECT --issue N for just one.

Examples:
  lore issues
  lore issues --label bug --author alice
  lore issues 42
  lore --robot issues 42 -p gitlab-org/cli | jq '.data.issue.discussions'`,
    )
    .action(invoke("issues", async () => (await import("../entities/run.js")).entitiesCommand("issue")));
}
