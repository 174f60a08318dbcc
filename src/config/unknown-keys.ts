// Keys in a config file that the schema does not know. Zod drops them silently, so a misspelt
// `tokenEnvVr` would quietly leave the default in force; lore warns instead, naming the key the
// user probably meant. The schema is walked as it is, so keys added to it are known at once.

import type { z } from "zod";
import { def, joinKey as join, knownPaths, objectShape, unwrap } from "./schema-walk.js";

export interface UnknownKey {
  /** Where the key sits, e.g. `gitlab.tokenEnvVr` or `projects[0].pth`. */
  readonly path: string;
  /** The known key it most likely means, as a full path. */
  readonly suggestion?: string;
}

const normalise = (key: string) => key.toLowerCase().replace(/[-_]/g, "");

/** Optimal string alignment distance: edits, with a swap of neighbours counting as one. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * The candidate whose name is closest to `key` (case, `-` and `_` ignored), if it is close enough
 * to be a typo. Candidates are `[name, what to suggest]`.
 */
export function closest(key: string, candidates: readonly (readonly [string, string])[]): string | undefined {
  const wanted = normalise(key);
  let best: { suggestion: string; distance: number } | undefined;
  for (const [name, suggestion] of candidates) {
    const distance = editDistance(wanted, normalise(name));
    if (!best || distance < best.distance) best = { suggestion, distance };
  }
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  return best && best.distance <= allowed ? best.suggestion : undefined;
}

/** The unknown keys of `value` under `schema`, each with the known key it most likely means. */
export function unknownKeys(schema: z.ZodType, value: unknown): UnknownKey[] {
  // Every known key by its last name, for a key put in the wrong section (`tokenEnvVar` at the top).
  const everywhere = knownPaths(schema).map((path) => [path.split(".").at(-1) ?? path, path] as const);
  const found: UnknownKey[] = [];
  const walk = (node: z.ZodType, data: unknown, path: string) => {
    const inner = unwrap(node);
    const shape = objectShape(inner);
    if (shape && data !== null && typeof data === "object" && !Array.isArray(data)) {
      for (const [key, child] of Object.entries(data)) {
        const known = shape[key];
        if (known) {
          walk(known, child, join(path, key));
          continue;
        }
        const siblings = Object.keys(shape).map((name) => [name, join(path, name)] as const);
        const suggestion = closest(key, siblings) ?? closest(key, everywhere);
        found.push({ path: join(path, key), ...(suggestion ? { suggestion } : {}) });
      }
      return;
    }
    const d = def(inner);
    if (d.type === "array" && d.element && Array.isArray(data)) {
      data.forEach((item, index) => {
        walk(d.element as z.ZodType, item, `${path}[${index}]`);
      });
    }
  };
  walk(schema, value, "");
  return found;
}

export function describeUnknownKey(key: UnknownKey): string {
  return `unknown key "${key.path}" is ignored${key.suggestion ? ` (did you mean "${key.suggestion}"?)` : ""}`;
}
