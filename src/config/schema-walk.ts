// Reading the config schema itself (zod's definitions), so that what walks the config — unknown-key
// warnings, `lore config get|set` — knows every key the schema knows, including keys added later.

import type { z } from "zod";

export interface SchemaDef {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly in?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  /** An enum's values, keyed by themselves. */
  readonly entries?: Record<string, string | number>;
  readonly defaultValue?: unknown;
}

export const def = (schema: z.ZodType): SchemaDef =>
  (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The schema under defaults, optionals and the like. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let d = def(current); ; d = def(current)) {
    const inner = d.innerType ?? (d.type === "pipe" ? d.in : undefined);
    if (!inner) return current;
    current = inner;
  }
}

export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const d = def(schema);
  return d.type === "object" ? d.shape : undefined;
}

export const joinKey = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

/** Every key path the schema knows (array elements as `[]`), sections included. */
export function knownPaths(schema: z.ZodType, parent = ""): string[] {
  const inner = unwrap(schema);
  const shape = objectShape(inner);
  if (shape) {
    return Object.entries(shape).flatMap(([key, child]) => [
      joinKey(parent, key),
      ...knownPaths(child, joinKey(parent, key)),
    ]);
  }
  const d = def(inner);
  return d.type === "array" && d.element ? knownPaths(d.element, `${parent}[]`) : [];
}
