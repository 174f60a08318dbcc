// `lore robot-docs`: one JSON document describing every command — arguments, flags with types and
// defaults, the robot data shape, exit codes and examples — generated from the commander tree the
// CLI parses with and the field registry the output is checked against, so it cannot drift. The
// examples are read from each command's own --help text.

import type { Argument, Command, Option } from "commander";
import { repeatable as accumulate } from "../cli/repeatable.js";
import { type ErrorCode, EXIT_CODES } from "../core/errors.js";
import { rowKeys } from "./fields.js";
import { COMMON_ERRORS, ROBOT_COMMANDS, TYPES } from "./registry.js";

/** The contract's exit-code table, in words. */
const WHEN: Readonly<Record<ErrorCode, string>> = {
  INTERNAL: "a bug",
  USAGE: "bad flags or arguments, validation failures",
  CONFIG: "missing or invalid config",
  GITLAB_AUTH: "401/403 from GitLab",
  GITLAB_NETWORK: "connection failures, timeouts, 5xx after retries",
  GITLAB_NOT_FOUND: "a project or entity does not exist on GitLab",
  SURGICAL_PREFLIGHT_FAILED: "surgical sync: some requested IIDs are not on GitLab (nothing written)",
  NOT_IN_MIRROR: "the entity is not in the local mirror (actions name the surgical sync that fetches it)",
  GITLAB_RATE_LIMITED: "429 after retries",
  DATABASE: "the database cannot be opened, migrated or written",
  SYNC_LOCKED: "another incremental/full sync holds the sync lock",
  EMBEDDING: "the embedding provider failed where embedding was the job",
  CANCELLED: "stopped by SIGINT/SIGTERM; work done so far is committed",
};

export interface OptionDoc {
  readonly flags: string;
  readonly name: string;
  readonly short: string | null;
  readonly type: string;
  readonly repeatable: boolean;
  readonly default: unknown;
  readonly description: string;
}

/** A command's own words: what `lore NAME --help` says of it. */
export interface SubcommandDoc {
  readonly name: string;
  readonly description: string;
  readonly usage: string;
  readonly arguments: readonly {
    name: string;
    required: boolean;
    variadic: boolean;
    description: string;
  }[];
  readonly options: readonly OptionDoc[];
}

export interface CommandDoc extends SubcommandDoc {
  /** `lore config get`, `lore project add`…: their data shapes are the command's, by `when`. */
  readonly subcommands?: readonly SubcommandDoc[];
  readonly data: Readonly<Record<string, unknown>>;
  readonly exit_codes: readonly { code: ErrorCode | "OK"; exit_code: number }[];
  readonly examples: readonly string[];
}

/** Types of option values, from the placeholder's name; anything else is a string. */
const VALUE_TYPES: Readonly<Record<string, string>> = { n: "integer" };

function optionDoc(option: Option): OptionDoc {
  const placeholder = /[<[](\w+)/.exec(option.flags)?.[1];
  // A flag given several times accumulates through the shared parser.
  const repeatable = option.parseArg === accumulate;
  const base = placeholder === undefined ? "boolean" : (VALUE_TYPES[placeholder] ?? "string");
  const fallback = option.negate ? true : (option.defaultValue ?? null);
  return {
    flags: option.flags,
    name: option.attributeName(),
    short: option.short ?? null,
    type: repeatable ? `${base}[]` : base,
    repeatable,
    default: base === "integer" && typeof fallback === "string" ? Number(fallback) : fallback,
    description: option.description,
  };
}

function visibleOptions(command: Command): Option[] {
  return command.options.filter((option) => !(option as Option & { hidden: boolean }).hidden);
}

/** The example command lines of a command's --help text (the lines under "Examples:"). */
export function helpExamples(help: string): string[] {
  const section = help.split(/^Examples:$/m)[1] ?? "";
  const examples: string[] = [];
  for (const line of section.split("\n").slice(1)) {
    if (!line.startsWith("  ")) break;
    examples.push(line.trim());
  }
  return examples;
}

/** The full --help text of a command, as `lore CMD --help` prints it (including text added after). */
export function helpText(command: Command): string {
  let text = "";
  const previous = command.configureOutput();
  command.configureOutput({ ...previous, writeOut: (chunk) => (text += chunk) });
  try {
    command.outputHelp();
  } finally {
    command.configureOutput(previous);
  }
  return text;
}

/** What --help says of a command: `path` is how it is called (`config get`). */
function subcommandDoc(command: Command, path: string): SubcommandDoc {
  return {
    name: command.name(),
    description: command.description(),
    usage: `lore ${path} ${command.usage()}`,
    arguments: command.registeredArguments.map((argument: Argument) => ({
      name: argument.name(),
      required: argument.required,
      variadic: argument.variadic,
      description: argument.description,
    })),
    options: visibleOptions(command).map(optionDoc),
  };
}

function commandDoc(command: Command): CommandDoc {
  const name = command.name();
  const entry = ROBOT_COMMANDS[name];
  const codes = [...COMMON_ERRORS, ...(entry?.errors ?? [])];
  const subcommands = command.commands.map((sub) => subcommandDoc(sub, `${name} ${sub.name()}`));
  return {
    ...subcommandDoc(command, name),
    ...(subcommands.length > 0 ? { subcommands } : {}),
    data: Object.fromEntries(
      Object.entries(entry?.shapes ?? {}).map(([shapeName, shape]) => [
        shapeName,
        {
          when: shape.when,
          fields: shape.data,
          ...(shape.rows
            ? {
                rows: {
                  key: shape.rows.key,
                  lists: rowKeys(shape.rows),
                  fields: shape.rows.fields,
                  minimal: shape.rows.minimal,
                },
              }
            : {}),
        },
      ]),
    ),
    exit_codes: [
      { code: "OK" as const, exit_code: 0 },
      ...codes.map((code) => ({ code, exit_code: EXIT_CODES[code] })),
    ],
    examples: helpExamples(helpText(command)),
  };
}

export function robotDocs(program: Command, version: string) {
  return {
    version,
    envelope: {
      success: '{"ok": true, "data": {...}, "meta": {"command", "elapsed_ms"}}',
      failure:
        '{"ok": false, "error": {"code", "message", "exit_code", "suggestion"?, "actions"?, "details"?}, "meta": {...}}',
      notes:
        "snake_case fields; ISO-8601 UTC timestamps; adding fields is not breaking, renaming or removing is. --fields keeps only the named keys of each row (the rows of every list in data.<rows.lists>, or the one entity under data.<rows.key>); a key whose type says (only …) is there only then.",
    },
    global_options: visibleOptions(program).map(optionDoc),
    exit_codes: (Object.keys(EXIT_CODES) as ErrorCode[]).map((code) => ({
      code,
      exit_code: EXIT_CODES[code],
      when: WHEN[code],
    })),
    types: TYPES,
    commands: program.commands.map(commandDoc),
  };
}
