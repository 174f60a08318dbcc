import type { Command } from "commander";
import type { Invoke } from "../../program.js";

/** Enough for quick_check and the FTS check of a mirror of about 1.5 GB on a loaded machine. */
export const DEFAULT_DB_TIMEOUT_S = "60";

export function registerDoctor(program: Command, invoke: Invoke): void {
  program
    .command("doctor")
    .description("check config, token, GitLab access, database and embedding provider, one line each")
    .option(
      "--db-timeout <seconds>",
      "how long the database integrity check may take (0: no limit)",
      DEFAULT_DB_TIMEOUT_S,
    )
    .addHelpText(
      "after",
      `
The database check opens the file read-only, runs SQLite's quick_check and FTS5's integrity-check
of the search index, and says how long they took. A damaged database is reported with the way to
recover (lore sync --recover); one that lore had found damaged and is sound again is cleared.
Exits with the code of the first failing check (3 config, 4 auth, 5 network, 6 not found, 8 database).

Examples:
  lore doctor
  GITLAB_TOKEN=glpat-… lore doctor
  lore doctor --db-timeout 0
  lore --robot doctor | jq '.data.checks'`,
    )
    .action(invoke("doctor", async () => (await import("./run.js")).runDoctor));
}
