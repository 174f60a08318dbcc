// Holds real robot output to the field registry (src/agent/registry.ts): every key a shape names is
// there (unless its type says "(only …)"), no other key is, and each value has the type written,
// nested types and the --fields rows included. Used by the integration tests of each command.

import type { FieldTypes } from "../../src/agent/fields.js";
import { type CommandShape, ROBOT_COMMANDS, TYPES } from "../../src/agent/registry.js";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const PRIMITIVES: Readonly<Record<string, (value: unknown) => boolean>> = {
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === "number" && Number.isFinite(v),
  string: (v) => typeof v === "string",
  boolean: (v) => typeof v === "boolean",
  timestamp: (v) => typeof v === "string" && ISO_UTC.test(v),
  object: (v) => v !== null && typeof v === "object" && !Array.isArray(v),
  any: () => true,
};

/** A field's type: its alternatives (`a | b`, outside braces) and whether the key may be absent. */
export function parseFieldType(type: string): { alternatives: string[]; optional: boolean } {
  const note = / \(only [^)]*\)$/.exec(type);
  const bare = note ? type.slice(0, note.index) : type;
  const alternatives: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < bare.length; i++) {
    const c = bare[i];
    if (c === "{") depth += 1;
    else if (c === "}") depth -= 1;
    else if (depth === 0 && bare.startsWith(" | ", i)) {
      alternatives.push(bare.slice(start, i));
      start = i + 3;
    }
  }
  alternatives.push(bare.slice(start));
  return { alternatives: alternatives.map((a) => a.trim()), optional: note !== null };
}

/** Whether the registry's words can name this type (`row` and `entity` only where rows exist). */
export function knownType(alternative: string, hasRows: boolean): boolean {
  const base = alternative.replace(/(\[\])+$/, "");
  if (base === "null" || /^".*"$/.test(base) || base.startsWith("{")) return true;
  if (base === "row" || base === "entity") return hasRows;
  return base in PRIMITIVES || base in TYPES;
}

function checkValue(value: unknown, type: string, shape: CommandShape, path: string): string[] {
  let errors: string[] = [];
  for (const alternative of parseFieldType(type).alternatives) {
    const found = checkAlternative(value, alternative, shape, path);
    if (found.length === 0) return [];
    if (alternative !== "null") errors = found;
  }
  return errors.length > 0 ? errors : [`${path}: ${JSON.stringify(value)} is not ${type}`];
}

function checkAlternative(value: unknown, type: string, shape: CommandShape, path: string): string[] {
  if (type === "null") return value === null ? [] : [`${path}: not null`];
  if (/^".*"$/.test(type))
    return value === JSON.parse(type) ? [] : [`${path}: ${JSON.stringify(value)} ≠ ${type}`];
  if (type.endsWith("[]")) {
    if (!Array.isArray(value)) return [`${path}: not an array (${type})`];
    const item = type.slice(0, -2);
    return value.flatMap((v, i) => checkValue(v, item, shape, `${path}[${i}]`));
  }
  if (type.startsWith("{")) return PRIMITIVES.object?.(value) ? [] : [`${path}: not an object`];
  const primitive = PRIMITIVES[type];
  if (primitive) return primitive(value) ? [] : [`${path}: ${JSON.stringify(value)} is not ${type}`];
  if (type === "row" || type === "entity") {
    if (!shape.rows) return [`${path}: ${type} in a shape without rows`];
    return checkObject(value, shape.rows.fields, shape, path);
  }
  const named = TYPES[type];
  if (named) return checkObject(value, named, shape, path);
  return [`${path}: unknown type ${type}`];
}

function checkObject(value: unknown, fields: FieldTypes, shape: CommandShape, path: string): string[] {
  if (!PRIMITIVES.object?.(value)) return [`${path}: not an object`];
  const record = value as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of Object.keys(record)) {
    if (!(key in fields)) errors.push(`${path}.${key}: not in the registry`);
  }
  for (const [key, type] of Object.entries(fields)) {
    if (!(key in record)) {
      if (!parseFieldType(type).optional) errors.push(`${path}.${key}: missing`);
      continue;
    }
    errors.push(...checkValue(record[key], type, shape, `${path}.${key}`));
  }
  return errors;
}

/** Where `data` differs from the registry's shape `name` of `command` (empty when it matches). */
export function registryMismatches(command: string, name: string, data: unknown): string[] {
  const shape = ROBOT_COMMANDS[command]?.shapes[name];
  if (!shape) return [`no shape ${command}/${name}`];
  return checkObject(data, shape.data, shape, `${command}/${name}`);
}
