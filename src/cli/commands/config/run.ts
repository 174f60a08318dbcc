// `lore config get|set|unset|path`: one dotted key of the config file at a time.

import { existsSync } from "node:fs";
import { editConfigFile } from "../../../config/edit.js";
import {
  type ConfigKey,
  leafKeys,
  parseConfigValue,
  resolveConfigKey,
  valueAt,
  withValue,
} from "../../../config/keys.js";
import { readConfigDocument } from "../../../config/load.js";
import { ConfigSchema } from "../../../config/schema.js";
import { usageError } from "../../../core/errors.js";
import type { CommandResult, CommandRun } from "../../command.js";
import type { CommandContext } from "../../context.js";
import type { Output } from "../../output.js";

type Source = "file" | "default" | "unset";

interface KeyValue {
  readonly key: string;
  readonly value: unknown;
  /** Written in the file, the schema's default, or neither. */
  readonly source: Source;
}

function read(ctx: CommandContext, key: ConfigKey): KeyValue {
  const value = valueAt(ctx.config(), key.path);
  const written = valueAt(readConfigDocument(ctx.configPath), key.path);
  const source: Source = written !== undefined ? "file" : value !== undefined ? "default" : "unset";
  return { key: key.key, value: value ?? null, source };
}

/** A value as a person reads it on one line: strings bare, the rest as JSON. */
function show(value: unknown): string {
  if (value === null || value === undefined) return "(not set)";
  return typeof value === "string" ? value : JSON.stringify(value);
}

const get: CommandRun = async (invocation, ctx) => {
  const text = invocation.args[0];
  if (typeof text === "string") {
    const key = resolveConfigKey(ConfigSchema, text);
    const data = { ...read(ctx, key), config_path: ctx.configPath };
    return {
      data,
      render(out) {
        if (data.source === "unset") out.info(`${data.key} is not set.`);
        else if (typeof data.value === "object") out.line(JSON.stringify(data.value, null, 2));
        else out.line(show(data.value));
      },
    };
  }
  const keys = leafKeys(ConfigSchema);
  const values = keys.map((key) => read(ctx, key));
  const data = { config_path: ctx.configPath, values };
  return {
    data,
    render(out) {
      const width = Math.max(...values.map((v) => v.key.length));
      for (const v of values) {
        const value =
          v.key === "projects"
            ? (v.value as { path: string }[]).map((p) => p.path).join(", ")
            : show(v.value);
        const note = v.source === "default" ? out.style.dim("  (default)") : "";
        out.line(`${v.key.padEnd(width)} = ${value}${note}`);
      }
    },
  };
};

function change(ctx: CommandContext, key: ConfigKey, value: unknown): CommandResult {
  const previous = valueAt(readConfigDocument(ctx.configPath), key.path);
  const edited = editConfigFile(ctx.configPath, key.key, (document) => withValue(document, key.path, value));
  for (const warning of edited.warnings) ctx.output.warn(warning);
  const current = edited.config ? valueAt(edited.config, key.path) : value;
  const data = {
    key: key.key,
    value: current ?? null,
    previous: previous ?? null,
    config_path: ctx.configPath,
  };
  return {
    data,
    render(out) {
      const was = previous === undefined ? "" : out.style.dim(` (was ${show(previous)})`);
      const now =
        value === undefined
          ? `unset${current === undefined ? "" : `: default ${show(current)}`}`
          : `= ${show(current)}`;
      out.line(`${out.style.green("✓")} ${key.key} ${now}${was} in ${ctx.configPath}`);
      nextStep(out, key);
    },
  };
}

/** Settings whose change `lore doctor` should confirm, and what else each calls for. */
const NEXT_STEPS: Record<string, string> = {
  "gitlab.baseUrl": "lore doctor checks the connection",
  "gitlab.tokenEnvVar": "lore doctor checks the connection and the token",
  "embedding.provider": "lore doctor checks the provider, then lore embed embeds the mirror",
  "embedding.baseUrl": "lore doctor checks the provider",
  "embedding.model": "lore doctor checks the model, then lore embed --all re-embeds the mirror with it",
  "embedding.apiKeyEnvVar": "lore doctor checks the provider",
};

function nextStep(out: Output, key: ConfigKey): void {
  const step = NEXT_STEPS[key.key];
  if (step) out.line(`Next: ${step}.`);
}

const set: CommandRun = async (invocation, ctx) => {
  const key = resolveConfigKey(ConfigSchema, String(invocation.args[0]));
  return change(ctx, key, parseConfigValue(key, String(invocation.args[1])));
};

const unset: CommandRun = async (invocation, ctx) => {
  const key = resolveConfigKey(ConfigSchema, String(invocation.args[0]));
  // A section or a list is refused as a value is: unsetting one would drop many settings at once.
  if (key.kind === "section" || key.kind === "list") parseConfigValue(key, "");
  if (key.required) {
    throw usageError(
      `${key.key} has no default, so it cannot be unset.`,
      `Change it instead: lore config set ${key.key} VALUE`,
    );
  }
  return change(ctx, key, undefined);
};

const path: CommandRun = async (_invocation, ctx) => {
  const data = { config_path: ctx.configPath, exists: existsSync(ctx.configPath) };
  return {
    data,
    render(out) {
      out.line(data.config_path);
      if (!data.exists) out.info("(no file there yet: lore init writes it)");
    },
  };
};

export const configCommands = { get, set, unset, path };
