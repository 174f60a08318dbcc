import type { Command } from "commander";
import { FIELDS_HELP } from "../../fields-help.js";
import type { Invoke } from "../../program.js";

export function registerNotes(program: Command, invoke: Invoke): void {
  program
    .command("notes")
    .description("individual notes across the mirror (system notes excluded unless asked)")
    .option("-p, --project <path>", "only this configured project")
    .option("--author <username>", "written by this user")
    .option("--type <type>", "discussion | diffnote | system | all (default: discussion and diffnote)")
    .option("--on <entity>", "only on this issue or MR: issue:42 | mr:7 | group/project!7 | URL")
    .option("--path <prefix>", "DiffNotes on files whose path starts with this")
    .option("--since <date>", "created since an ISO date or a span such as 7d")
    .option("--unresolved", "only resolvable notes not resolved yet")
    .option("--contains <text>", "whose body contains this text (any case)")
    .option("--sort <field>", "created | updated (default: created)")
    .option("--asc", "oldest first")
    .option("-n, --limit <n>", "how many notes", "50")
    .option("--fields <list>", FIELDS_HELP)
    .addHelpText(
      "after",
      `
Reads only the local database. Newest first by creation unless --sort/--asc say otherwise.
--fields selects the keys of each note.

Examples:
  lore notes --author alice --since 7d
  lore notes --on mr:7 --type diffnote --unresolved
  lore notes --path src/api/ --type diffnote -n 20
  lore notes --contains "flaky" --type all
  lore --robot notes --on issue:42 --asc | jq '.data.notes[] | [.author, .body]'
  lore --robot notes --author alice --fields minimal`,
    )
    .action(invoke("notes", async () => (await import("./run.js")).runNotes));
}
