import type { Command } from "commander";
import { FIELDS_HELP } from "../../fields-help.js";
import type { Invoke } from "../../program.js";

export function registerFileHistory(program: Command, invoke: Invoke): void {
  program
    .command("file-history")
    .description("MRs that changed a file (or a directory's files), newest first, following renames")
    .argument("<path>", "a file, or a directory with a trailing /")
    .option("--discussions", "with each MR, the DiffNotes on the file")
    .option("--merged", "merged MRs only")
    .option("--no-follow-renames", "stop at the file's current name")
    .option("-p, --project <path>", "only this configured project")
    .option("-n, --limit <n>", "how many MRs", "50")
    .option("--fields <list>", FIELDS_HELP)
    .addHelpText(
      "after",
      `
Renames are followed backwards through MRs whose changed file was renamed (at most 20 names);
each earlier name counts only up to the MR that renamed it. Reads only the local mirror.
--fields selects the keys of each merge request.

Examples:
  lore file-history src/auth/login.ts
  lore file-history src/auth/login.ts --discussions --merged
  lore file-history src/auth/ -n 10
  lore --robot file-history app/models/user.rb | jq '.data.renames'
  lore --robot file-history src/auth/login.ts --fields minimal`,
    )
    .action(invoke("file-history", async () => (await import("./run.js")).runFileHistory));
}
