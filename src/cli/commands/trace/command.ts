import type { Command } from "commander";
import { FIELDS_HELP } from "../../fields-help.js";
import type { Invoke } from "../../program.js";

export function registerTrace(program: Command, invoke: Invoke): void {
  program
    .command("trace")
    .description("why code is as it is: file → MRs → the issues they close or mention → DiffNote threads")
    .argument("<path[:line]>", "a file, optionally with a line (src/auth/login.ts:42)")
    .option("--discussions", "every note of each thread in full (default: the first note, shortened)")
    .option("-p, --project <path>", "only this configured project")
    .option("-n, --limit <n>", "how many MRs", "20")
    .option("--fields <list>", FIELDS_HELP)
    .addHelpText(
      "after",
      `
From GitLab data only (no git): MRs that changed the file, following renames, newest first; for
each, the issues it closes or mentions and the DiffNote threads on the file — with LINE, only
threads within 10 lines of it (by the DiffNote's new or old line, or its line range).
--fields selects the keys of each chain (merge_request, issues, discussions…).

Examples:
  lore trace src/auth/login.ts
  lore trace src/auth/login.ts:42
  lore trace src/auth/login.ts:42 --discussions -p group/project
  lore --robot trace src/auth/login.ts:42 | jq '.data.chains[].issues'
  lore --robot trace src/auth/login.ts:42 --fields merge_request,issues`,
    )
    .action(invoke("trace", async () => (await import("./run.js")).runTrace));
}
