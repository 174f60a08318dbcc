// The human view of `--fields`: one tab-separated line per row (the selected keys in the order
// asked, for cut/awk; where several lists are selected alike, the list's name first), or
// `key: value` lines for one entity; and the field list for `--fields help`.

import type { FieldsPlan } from "../agent/apply-fields.js";
import { type describeFields, rowKeys } from "../agent/fields.js";
import type { Output } from "./output.js";

function cell(value: unknown, multiline: boolean): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return multiline ? value : value.replace(/[\t\r\n]+/g, " ");
  if (Array.isArray(value) && value.every((item) => typeof item !== "object" || item === null)) {
    return value.map(String).join(",");
  }
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

export function renderSelectedFields(out: Output, data: unknown, plan: FieldsPlan): void {
  if (plan.selection.kind !== "keep") return;
  const names = plan.selection.names;
  const record = data as Record<string, unknown> | null;
  if (plan.rows.many) {
    const lists = rowKeys(plan.rows);
    for (const list of lists) {
      const rows = record?.[list];
      for (const row of Array.isArray(rows) ? rows : []) {
        const cells = names.map((name) => cell((row as Record<string, unknown>)[name], false));
        out.line((lists.length > 1 ? [list, ...cells] : cells).join("\t"));
      }
    }
    return;
  }
  const target = record?.[plan.rows.key];
  if (target && typeof target === "object") {
    for (const name of names) out.line(`${name}: ${cell((target as Record<string, unknown>)[name], true)}`);
  }
}

export function renderFieldList(out: Output, help: ReturnType<typeof describeFields>): void {
  const width = Math.max(...help.fields.map((f) => f.name.length));
  out.line(`Fields of lore ${help.command} (${help.lists.join(", ")}):`);
  for (const field of help.fields) out.line(`  ${field.name.padEnd(width)}  ${out.style.dim(field.type)}`);
  out.line(`minimal: ${help.minimal.join(",")}`);
}
