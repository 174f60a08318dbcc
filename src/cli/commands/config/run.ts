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
import { type KeyValue, renderChange, renderPath, renderValue, renderValues } from "./render.js";

function read(ctx: CommandContext, key: ConfigKey): KeyValue {
  const value = valueAt(ctx.config(), key.path);
  const written = valueAt(readConfigDocument(ctx.configPath), key.path);
  const source: KeyValue["source"] =
    written !== undefined ? "file" : value !== undefined ? "default" : "unset";
  return { key: key.key, value: value ?? null, source };
}

const get: CommandRun = async (invocation, ctx) => {
  const text = invocation.args[0];
  if (typeof text === "string") {
    const key = resolveConfigKey(ConfigSchema, text);
    const data = { ...read(ctx, key), config_path: ctx.configPath };
    return { data, render: (out) => renderValue(out, data) };
  }
  const keys = leafKeys(ConfigSchema);
  const values = keys.map((key) => read(ctx, key));
  const data = { config_path: ctx.configPath, values };
  return { data, render: (out) => renderValues(out, values) };
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
  const shown = { key: key.key, current, previous, unset: value === undefined, configPath: ctx.configPath };
  return { data, render: (out) => renderChange(out, shown) };
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
  return { data, render: (out) => renderPath(out, data) };
};

export const configCommands = { get, set, unset, path };
