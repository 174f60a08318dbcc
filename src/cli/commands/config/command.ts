import { Argument, type Command } from "commander";
import { completeWith } from "../../completion-hints.js";
import type { Invoke } from "../../program.js";

const key = (name: string, description: string) =>
  completeWith(new Argument(name, description), { kind: "config-keys" });

export function registerConfig(program: Command, invoke: Invoke): void {
  const config = program
    .command("config")
    .description("read or change one setting of the config file, without re-running init")
    .addHelpText(
      "after",
      `
Keys are dotted, as in the file (gitlab.baseUrl, embedding.provider); values are checked against
the config's schema and written atomically (mode 0600). There is no key for the GitLab token: it
lives only in the environment variable that gitlab.tokenEnvVar names. Projects: lore project.

Examples:
  lore config get
  lore config get gitlab.baseUrl
  lore config set gitlab.concurrency 16
  lore config set embedding.provider none
  lore config set gitlab.tokenEnvVar GL_TOKEN
  lore config unset embedding.baseUrl
  lore config path`,
    );
  const run = (sub: "get" | "set" | "unset" | "path") =>
    invoke("config", async () => (await import("./run.js")).configCommands[sub]);
  config
    .command("get")
    .description("print a setting's value (without KEY: every setting)")
    .addArgument(key("[key]", "dotted key, e.g. gitlab.baseUrl"))
    .action(run("get"));
  config
    .command("set")
    .description("set a setting (numbers and true/false are typed as the schema wants)")
    .addArgument(key("<key>", "dotted key, e.g. gitlab.concurrency"))
    .addArgument(completeWith(new Argument("<value>", "the new value"), { kind: "config-values" }))
    .action(run("set"));
  config
    .command("unset")
    .description("remove a setting from the file, so its default applies")
    .addArgument(key("<key>", "dotted key, e.g. embedding.baseUrl"))
    .action(run("unset"));
  config.command("path").description("print the config file's path").action(run("path"));
}
