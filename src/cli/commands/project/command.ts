import { Argument, type Command } from "commander";
import { completeWith } from "../../completion-hints.js";
import type { Invoke } from "../../program.js";

export function registerProject(program: Command, invoke: Invoke): void {
  const project = program
    .command("project")
    .description("add, remove or list the mirrored projects, without re-running init")
    .addHelpText(
      "after",
      `
add checks each project on GitLab first (a project GitLab does not have is refused, exit 6; an
unreachable GitLab only warns) and writes the path as GitLab spells it. remove keeps the project's
local data unless --purge, which deletes it (issues, MRs, threads, documents, embeddings, cursors)
in one transaction. Other settings are never touched.

Examples:
  lore project list
  lore project add gitlab-org/cli
  lore project add team/api team/web --no-verify
  lore project remove team/web
  lore project remove team/web --purge
  lore --robot project list | jq -r '.data.projects[].project'`,
    );
  const run = (sub: "add" | "remove" | "list") =>
    invoke("project", async () => (await import("./run.js")).projectCommands[sub]);
  project
    .command("add")
    .description("add projects to the config (checked on GitLab when it answers)")
    .argument("<paths...>", "full project paths, e.g. group/subgroup/project")
    .option("--no-verify", "add without asking GitLab")
    .action(run("add"));
  project
    .command("remove")
    .description("remove a project from the config; --purge also deletes its local data")
    .addArgument(
      completeWith(new Argument("<path>", "a configured project's full path or unique suffix"), {
        kind: "projects",
      }),
    )
    .option("--purge", "also delete the project's local data")
    .action(run("remove"));
  project
    .command("list")
    .description("the configured projects, with what is stored locally for each")
    .action(run("list"));
}
