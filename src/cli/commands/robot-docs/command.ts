import type { Command } from "commander";
import type { Invoke } from "../../program.js";

export function registerRobotDocs(program: Command, invoke: Invoke): void {
  program
    .command("robot-docs")
    .description("print one JSON document describing every command, flag, data shape and exit code")
    .addHelpText(
      "after",
      `
Generated from the same command definitions the CLI parses with and the field lists robot output
is checked against. Printed as JSON in both modes (inside the envelope's data with --robot).

Examples:
  lore robot-docs
  lore robot-docs | jq '.commands[] | {name, options: [.options[].flags]}'
  lore --robot robot-docs | jq '.data.commands[] | select(.name == "issues") | .data.show.rows.fields'`,
    )
    .action(invoke("robot-docs", async () => (await import("./run.js")).runRobotDocs));
}
