// `lore completion bash|zsh|fish`: the script, rendered from the command tree commander holds; and
// `--list-projects`, which the scripts call to offer the configured projects.

import { bashScript } from "../../../completion/bash.js";
import { fishScript } from "../../../completion/fish.js";
import { type ConfigCompletion, commandSpec, withHelpCommand } from "../../../completion/spec.js";
import { zshScript } from "../../../completion/zsh.js";
import { type ConfigDocument, documentProjects } from "../../../config/edit.js";
import { leafKeys } from "../../../config/keys.js";
import { readConfigDocument } from "../../../config/load.js";
import { ConfigSchema } from "../../../config/schema.js";
import { usageError } from "../../../core/errors.js";
import type { CommandRun } from "../../command.js";
import type { SHELLS } from "./command.js";

const RENDERERS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;

/** The keys `lore config` takes, and the fixed values of those that have them. */
export function configCompletion(): ConfigCompletion {
  const keys = leafKeys(ConfigSchema).filter((k) => k.kind !== "list");
  const values: Record<string, readonly string[]> = {};
  for (const k of keys) {
    if (k.kind === "enum" && k.values) values[k.key] = k.values;
    if (k.kind === "boolean") values[k.key] = ["true", "false"];
  }
  return { keys: keys.map((k) => k.key), values };
}

export const runCompletion: CommandRun = async (invocation, ctx) => {
  if (invocation.options.listProjects === true) {
    let projects: string[] = [];
    try {
      projects = documentProjects(readConfigDocument(ctx.configPath) as ConfigDocument);
    } catch {
      // No config (or a broken one): nothing to offer, and completion must never print an error.
    }
    return {
      data: { projects },
      render(out) {
        for (const project of projects) out.line(project);
      },
    };
  }
  const shell = invocation.args[0] as (typeof SHELLS)[number] | undefined;
  if (!shell) {
    throw usageError(
      "lore completion needs a shell: bash, zsh or fish",
      "For example: source <(lore completion bash)",
    );
  }
  const { buildProgram } = await import("../../program.js");
  const root = withHelpCommand(commandSpec(buildProgram(ctx.version, async () => {})));
  const script = RENDERERS[shell](root, configCompletion(), ctx.version);
  return { data: { shell, script }, render: (out) => out.raw(script) };
};
