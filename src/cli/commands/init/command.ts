import type { Command } from "commander";
import type { Invoke } from "../../program.js";
import { repeatable } from "../../repeatable.js";

export function registerInit(program: Command, invoke: Invoke): void {
  program
    .command("init")
    .description("write the config file (does not contact GitLab; `lore doctor` does)")
    .option("--gitlab-url <url>", "GitLab base URL, e.g. https://gitlab.com")
    .option("--project <path>", "project full path to mirror (repeatable)", repeatable)
    .option("--token-env <name>", "environment variable holding the GitLab token", "GITLAB_TOKEN")
    .option(
      "--username <name>",
      "your GitLab username, for lore me (lore doctor records the token's user if unset)",
    )
    .option("--db <path>", "database file (default: ~/.local/share/lore/lore.db)")
    .option("--embedding-provider <name>", "ollama | openai | none")
    .option("--embedding-url <url>", "embedding provider base URL")
    .option("--embedding-model <name>", "embedding model name")
    .option("--force", "replace an existing config file")
    .addHelpText(
      "after",
      `
The token itself is never written: lore reads it from the named environment variable.
On a terminal, missing values are asked for; elsewhere they are required flags.

Examples:
  lore init --gitlab-url https://gitlab.com --project gitlab-org/cli
  lore init --gitlab-url https://gitlab.example.com --project team/api --project team/web --token-env GL_TOKEN
  lore init --gitlab-url https://gitlab.com --project group/proj --embedding-provider none --force`,
    )
    .action(invoke("init", async () => (await import("./run.js")).runInit));
}
