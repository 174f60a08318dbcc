// Builds the commander program: global options, and each command's flags and help. Command work
// lives in modules loaded only when that command runs, so `lore --help` starts fast.

import { Command, Option } from "commander";
import type { CommandRun, Invocation } from "./command.js";
import { registerCompletion } from "./commands/completion/command.js";
import { registerConfig } from "./commands/config/command.js";
import { registerDoctor } from "./commands/doctor/command.js";
import { registerEmbed } from "./commands/embed/command.js";
import { registerFileHistory } from "./commands/file-history/command.js";
import { registerInit } from "./commands/init/command.js";
import { registerIssues } from "./commands/issues/command.js";
import { registerMcp } from "./commands/mcp/command.js";
import { registerMe } from "./commands/me/command.js";
import { registerMrs } from "./commands/mrs/command.js";
import { registerNotes } from "./commands/notes/command.js";
import { registerProject } from "./commands/project/command.js";
import { registerRelated } from "./commands/related/command.js";
import { registerRobotDocs } from "./commands/robot-docs/command.js";
import { registerSearch } from "./commands/search/command.js";
import { registerStatus } from "./commands/status/command.js";
import { registerSync } from "./commands/sync/command.js";
import { registerTimeline } from "./commands/timeline/command.js";
import { registerTrace } from "./commands/trace/command.js";
import { registerWho } from "./commands/who/command.js";

/** Runs a command's module for the parsed invocation; supplied by main. */
export type Dispatch = (
  name: string,
  load: () => Promise<CommandRun>,
  invocation: Invocation,
) => Promise<void>;

/** Wraps a lazily loaded run function as a commander action. */
export type Invoke = (
  name: string,
  load: () => Promise<CommandRun>,
) => (...actionArgs: unknown[]) => Promise<void>;

/** Each command's registration, in the order `lore --help` lists them. */
const REGISTRATIONS = {
  init: registerInit,
  doctor: registerDoctor,
  sync: registerSync,
  search: registerSearch,
  issues: registerIssues,
  mrs: registerMrs,
  status: registerStatus,
  embed: registerEmbed,
  who: registerWho,
  "file-history": registerFileHistory,
  trace: registerTrace,
  me: registerMe,
  related: registerRelated,
  timeline: registerTimeline,
  notes: registerNotes,
  mcp: registerMcp,
  "robot-docs": registerRobotDocs,
  config: registerConfig,
  project: registerProject,
  completion: registerCompletion,
} satisfies Record<string, (program: Command, invoke: Invoke) => void>;

export type CommandName = keyof typeof REGISTRATIONS;
export const COMMAND_NAMES = Object.keys(REGISTRATIONS) as readonly CommandName[];

/**
 * The whole command tree, or with `only` just that command under the program: enough to parse and
 * run it (its help and errors are the same), and quicker to build at every start.
 */
export function buildProgram(version: string, dispatch: Dispatch, only?: CommandName): Command {
  const program = new Command("lore");
  program
    .description("A local-first mirror of GitLab issues and merge requests, for people and coding agents.")
    .version(version, "--version", "print the version")
    .addOption(new Option("--robot", "machine output: one JSON document on stdout (also LORE_ROBOT=1)"))
    .addOption(new Option("--json", "alias of --robot").hideHelp())
    .option("--config <path>", "config file (default: $LORE_CONFIG_PATH or ~/.config/lore/config.json)")
    .option("-v, --verbose", "more detail on stderr")
    .option("-q, --quiet", "less on stderr")
    .option("--no-pager", "do not send long output through $PAGER (default on a terminal: less -FRX)")
    .helpOption("-h, --help", "show help")
    .showSuggestionAfterError(true)
    .addHelpText(
      "after",
      `
Examples:
  lore init --gitlab-url https://gitlab.com --project gitlab-org/cli
  lore sync
  lore search "rate limit"
  lore sync -p gitlab-org/cli --issue 42 --mr 7
  lore --robot issues 42`,
    );

  const invoke: Invoke =
    (name, load) =>
    async (...actionArgs) => {
      const command = actionArgs.at(-1) as Command;
      await dispatch(name, load, {
        options: command.optsWithGlobals(),
        args: command.processedArgs,
      });
    };

  for (const [name, register] of Object.entries(REGISTRATIONS)) {
    if (only === undefined || name === only) register(program, invoke);
  }
  return program;
}
