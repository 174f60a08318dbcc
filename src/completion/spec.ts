// The command tree as shell completion needs it, read from commander's own: every command and
// subcommand, its options (which take a value, and what that value can be) and its positional
// arguments. The scripts for bash, zsh and fish are each rendered from this one description.

import type { Argument, Command, Option } from "commander";
import { completionHint, type ValueSource } from "../cli/completion-hints.js";

export type { ValueSource } from "../cli/completion-hints.js";

export interface OptionSpec {
  /** Every spelling, short first: ["-p", "--project"]. */
  readonly names: readonly string[];
  readonly description: string;
  /** What its value completes to; undefined for a flag that takes none. */
  readonly value: ValueSource | undefined;
}

export interface CommandSpec {
  /** Words from the root, e.g. ["config", "set"]; empty for `lore` itself. */
  readonly path: readonly string[];
  readonly description: string;
  /** The command's own options (global ones are in the root's spec). */
  readonly options: readonly OptionSpec[];
  readonly subcommands: readonly CommandSpec[];
  /** Positional arguments in order; a variadic last one repeats. */
  readonly args: readonly ValueSource[];
  readonly variadic: boolean;
}

const TEXT: ValueSource = { kind: "text" };

/**
 * "hybrid | lexical | semantic (default: …)": the values lore's help lists for an option, as the
 * whole description or before a parenthesis.
 */
export function wordsFromDescription(description: string): string[] | undefined {
  const match = /^\s*([\w.-]+(?:\s*\|\s*[\w.-]+)+)\s*(?:$|\()/.exec(description);
  return match?.[1]?.split("|").map((word) => word.trim());
}

function optionValue(option: Option): ValueSource | undefined {
  if (!option.required && !option.optional) return undefined;
  const hint = completionHint(option);
  if (hint) return hint;
  if (option.argChoices) return { kind: "words", words: option.argChoices };
  if (option.short === "-p") return { kind: "projects" };
  const words = wordsFromDescription(option.description);
  if (words) return { kind: "words", words };
  // `--config <path>`, `--db <path>`: described as files; `--project <path>` is not one.
  return /<file>/.test(option.flags) || /\bfile\b/.test(option.description) ? { kind: "files" } : TEXT;
}

function argumentValue(argument: Argument): ValueSource {
  const hint = completionHint(argument);
  if (hint) return hint;
  return argument.argChoices ? { kind: "words", words: argument.argChoices } : TEXT;
}

function optionSpec(option: Option): OptionSpec {
  const names = [option.short, option.long].filter((name): name is string => name !== undefined);
  return { names, description: option.description, value: optionValue(option) };
}

const HELP: OptionSpec = { names: ["-h", "--help"], description: "show help", value: undefined };

export function commandSpec(command: Command, path: readonly string[] = []): CommandSpec {
  const options = command.options.filter((o) => !o.hidden).map(optionSpec);
  const subcommands = command.commands.map((sub) => commandSpec(sub, [...path, sub.name()]));
  const args = command.registeredArguments.map(argumentValue);
  return {
    path,
    description: command.description(),
    options: [...options, HELP],
    subcommands,
    args,
    variadic: command.registeredArguments.at(-1)?.variadic ?? false,
  };
}

/** Every command in the tree, the root first, parents before children. */
export function allCommands(root: CommandSpec): CommandSpec[] {
  return [root, ...root.subcommands.flatMap(allCommands)];
}

/** The root with commander's implicit `help [command]`, which takes a command's name. */
export function withHelpCommand(root: CommandSpec): CommandSpec {
  const names = root.subcommands.map((c) => c.path[0] as string);
  const help: CommandSpec = {
    path: ["help"],
    description: "display help for command",
    options: [],
    subcommands: [],
    args: [{ kind: "words", words: names }],
    variadic: false,
  };
  return { ...root, subcommands: [...root.subcommands, help] };
}

/** What `lore config get|set|unset` can name, and the fixed values some keys take. */
export interface ConfigCompletion {
  readonly keys: readonly string[];
  readonly values: Readonly<Record<string, readonly string[]>>;
}

/** The options accepted after a command's name too (lore's global ones): not --version or help. */
export function globalOptions(root: CommandSpec): OptionSpec[] {
  return root.options.filter((o) => !o.names.includes("--version") && !o.names.includes("--help"));
}

/** Every option `spec` accepts: its own and the global ones. */
export function optionsFor(root: CommandSpec, spec: CommandSpec): OptionSpec[] {
  return spec === root ? [...root.options] : [...spec.options, ...globalOptions(root)];
}

/** The names of a command's subcommands. */
export const subcommandNames = (spec: CommandSpec): string[] =>
  spec.subcommands.map((s) => s.path.at(-1) as string);

/** Every spelling of the options `spec` accepts that take a value. */
export const valueOptionNames = (root: CommandSpec, spec: CommandSpec): string[] =>
  optionsFor(root, spec)
    .filter((o) => o.value !== undefined)
    .flatMap((o) => o.names);

/**
 * One branch per command of a shell `case`/`switch` on the command path: `branch(path, body)` for
 * each command whose `body` is not undefined, joined by newlines. Every script dispatches this way.
 */
export function branchPerCommand(
  root: CommandSpec,
  body: (spec: CommandSpec) => string | undefined,
  branch: (path: string, body: string) => string,
): string {
  return allCommands(root)
    .flatMap((spec) => {
      const text = body(spec);
      return text === undefined ? [] : [branch(spec.path.join(" "), text)];
    })
    .join("\n");
}
