// `--fields a,b,c`: which keys of each row (or of the one entity) robot output keeps. Pure: parsing
// the flag against a command's declared field list, and projecting `data` onto the selection.

import { usageError } from "../core/errors.js";

/** Field name → type, as robot-docs prints it: "integer", "string | null", "timestamp", "note[]"… */
export type FieldTypes = Readonly<Record<string, string>>;

/** The rows `--fields` applies to: an array of rows under `key`, or one object under `key`. */
export interface RowShape {
  readonly key: string;
  /**
   * Further lists selected alike (`lore who @user`: its open issues, MRs, reviews and threads);
   * `fields` is then every list's fields, and a row keeps those of the selected keys it has.
   */
  readonly alike?: readonly string[];
  readonly many: boolean;
  readonly fields: FieldTypes;
  /** The `--fields minimal` preset. */
  readonly minimal: readonly string[];
}

/** Every key of `data` whose rows `--fields` selects from. */
export function rowKeys(shape: RowShape): string[] {
  return [shape.key, ...(shape.alike ?? [])];
}

export type FieldSelection =
  | { readonly kind: "all" }
  | { readonly kind: "help" }
  | { readonly kind: "keep"; readonly names: readonly string[] };

export const MINIMAL = "minimal";
export const HELP = "help";

/**
 * Parses `--fields` (a comma list, or an array from an MCP argument): `help` lists the names,
 * `minimal` is the preset (combinable: `minimal,labels`), anything unknown is USAGE naming the
 * valid fields. Undefined keeps everything.
 */
export function parseFields(value: unknown, shape: RowShape, command: string): FieldSelection {
  if (value === undefined || value === null) return { kind: "all" };
  const parts = (Array.isArray(value) ? value.map(String) : String(value).split(","))
    .map((part) => part.trim())
    .filter((part) => part !== "");
  if (parts.length === 0) {
    throw usageError(
      "--fields needs field names (a,b,c), minimal or help",
      `Run \`lore ${command} --fields help\` for the names.`,
    );
  }
  if (parts.length === 1 && parts[0] === HELP) return { kind: "help" };
  const valid = Object.keys(shape.fields);
  const names: string[] = [];
  const unknown: string[] = [];
  for (const part of parts) {
    const expanded = part === MINIMAL ? shape.minimal : [part];
    for (const name of expanded) {
      if (!valid.includes(name)) unknown.push(name);
      else if (!names.includes(name)) names.push(name);
    }
  }
  if (unknown.length > 0) {
    throw usageError(
      `--fields: unknown field${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")} for lore ${command}; valid: ${valid.join(", ")} (or minimal, help)`,
    );
  }
  return { kind: "keep", names };
}

/** `data` with each row (or the one entity) under the shape's keys reduced to the selected keys, in the order asked. */
export function selectFields<T>(data: T, shape: RowShape, selection: FieldSelection): T {
  if (selection.kind !== "keep" || data === null || typeof data !== "object") return data;
  const pick = (row: unknown) => {
    if (row === null || typeof row !== "object") return row;
    const source = row as Record<string, unknown>;
    const kept: Record<string, unknown> = {};
    for (const name of selection.names) if (name in source) kept[name] = source[name];
    return kept;
  };
  const selected: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const key of rowKeys(shape)) {
    const target = selected[key];
    if (target === undefined) continue;
    selected[key] = shape.many && Array.isArray(target) ? target.map(pick) : pick(target);
  }
  return selected as T;
}

/** What `--fields help` answers: every field with its type, and the minimal preset. */
export function describeFields(shape: RowShape, command: string) {
  return {
    command,
    rows: shape.key,
    /** Every list the selection applies to (more than `rows` for `lore who @user` and `lore me`). */
    lists: rowKeys(shape),
    fields: Object.entries(shape.fields).map(([name, type]) => ({ name, type })),
    minimal: [...shape.minimal],
  };
}
