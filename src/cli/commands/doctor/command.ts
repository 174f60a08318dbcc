import type { Command } from "commander";
import type { Invoke } from "../../program.js";

export function registerDoctor(program: Command, invoke: Invoke): void {
  program
    .command("doctor")
    .description("check config, token, GitLab access, database and embedding provider, one line each")
    .addHelpText(
      "after",
      `
Exits with the code of the first failing check (3 config, 4 auth, 5 network, 6 not found, 8 database).

Examples:
  lore doctor
  GITLAB_TOKEN=glpat-… lore doctor
  lore --robot doctor | jq '.data.checks'`,
    )
    .action(invoke("doctor", async () => (await import("./run.js")).runDoctor));
}
