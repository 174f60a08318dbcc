import { Argument, type Command, Option } from "commander";
import type { Invoke } from "../../program.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;

export function registerCompletion(program: Command, invoke: Invoke): void {
  program
    .command("completion")
    .description("print the shell completion script for bash, zsh or fish")
    .addArgument(new Argument("[shell]", "the shell").choices(SHELLS))
    // What the scripts call to offer the configured projects for -p: cheap, and never an error.
    .addOption(new Option("--list-projects", "print the configured project paths, one a line").hideHelp())
    .addHelpText(
      "after",
      `
The script completes commands, subcommands, options, the values of options such as --state, --mode
and --type, config keys, and the configured projects for -p (read from the config each time).

Examples:
  lore completion bash > ~/.local/share/bash-completion/completions/lore
  lore completion zsh > "\${fpath[1]}/_lore"                       # then start a new zsh
  lore completion fish > ~/.config/fish/completions/lore.fish
  source <(lore completion bash)                                  # this bash session only`,
    )
    .action(invoke("completion", async () => (await import("./run.js")).runCompletion));
}
