// Applies `--fields` to a command's invocation: validated against the command's registered rows
// before the command runs (USAGE before any database or network work), then used on its data.

import type { Invocation } from "../cli/command.js";
import { usageError } from "../core/errors.js";
import { type FieldSelection, parseFields, type RowShape, selectFields } from "./fields.js";
import { shapeOf } from "./registry.js";

export interface FieldsPlan {
  readonly command: string;
  readonly rows: RowShape;
  readonly selection: FieldSelection;
}

/** The `--fields` selection for this invocation; undefined when the flag is absent. */
export function planFields(command: string, invocation: Invocation): FieldsPlan | undefined {
  const raw = invocation.options.fields;
  if (raw === undefined) return undefined;
  const rows = shapeOf(command, invocation)?.rows;
  if (!rows) throw usageError(`--fields does not apply to lore ${command}: it has no rows to select from`);
  return { command, rows, selection: parseFields(raw, rows, command) };
}

/** `data` reduced to the planned fields (unchanged without a plan). */
export function applyFields<T>(data: T, plan: FieldsPlan | undefined): T {
  return plan ? selectFields(data, plan.rows, plan.selection) : data;
}
