import type { Command } from "commander";
import { FIELDS_HELP } from "../../fields-help.js";
import type { Invoke } from "../../program.js";

export function registerStatus(program: Command, invoke: Invoke): void {
  program
    .command("status")
    .description("show what is stored per project, the sync cursors and the last sync runs")
    .option("--runs <n>", "how many recent sync runs to list", "10")
    .option("--fields <list>", FIELDS_HELP)
    .addHelpText(
      "after",
      `
Examples:
  lore status
  lore status --runs 30
  lore --robot status | jq '.data.projects[] | {project, issues, mrs}'
  lore --robot status --fields minimal`,
    )
    .action(invoke("status", async () => (await import("./run.js")).runStatus));
}
